/**
 * Full validation of a destination: the common shape (config.ts), the type exists, its
 * settings pass the type's schema, the type's own checks (subscriptions, …) and the filters'
 * FQL compiles. Problems are `path: message` strings, all reported at once.
 */
import type { KindResolver } from './engine.js'
import { compileFilters } from './filters/index.js'
import { destinationInputSchema, toDestinationConfig } from './config.js'
import type { DestinationKind } from './driver.js'
import type { DestinationConfig } from './model.js'

export type ValidationResult =
  { ok: true; config: DestinationConfig; kind: DestinationKind } | { ok: false; problems: string[] }

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.')
}

export async function validateDestination(
  input: unknown,
  kinds: KindResolver,
): Promise<ValidationResult> {
  const parsed = destinationInputSchema.safeParse(input)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`),
    }
  }
  const config = toDestinationConfig(parsed.data)
  const kind = await kinds(config.type)
  if (!kind) return { ok: false, problems: [`type: unknown destination type '${config.type}'`] }
  const problems: string[] = []
  const settings = kind.settings.schema.safeParse(config.settings)
  if (!settings.success) {
    for (const i of settings.error.issues) {
      problems.push(`settings.${issuePath(i.path)}: ${i.message}`)
    }
  }
  if (!kind.usesSubscriptions && config.subscriptions.length > 0) {
    problems.push(`subscriptions: type '${config.type}' does not use subscriptions`)
  }
  problems.push(...(await kind.validate(config)))
  problems.push(...compileFilters(config.filters).problems.map((p) => `filters: ${p}`))
  const unique = [...new Set(problems)]
  return unique.length > 0 ? { ok: false, problems: unique } : { ok: true, config, kind }
}
