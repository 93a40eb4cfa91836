/**
 * Settings validation shared by the built-in destination types: zod issues as the
 * `path: message` strings {@link DestinationKind.validate} returns, and a parse that throws a
 * typed error for drivers built from settings nobody validated (a caller bug).
 */
import type { z } from 'zod'

/** `settings.url: Invalid URL`-style lines, one per issue. */
export function formatSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = ['settings', ...issue.path.map(String)].join('.')
    return `${path}: ${issue.message}`
  })
}

/** Thrown by a kind's `create` when the settings do not pass its schema. */
export class InvalidSettingsError extends Error {
  constructor(
    readonly destinationType: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid ${destinationType} settings: ${issues.join('; ')}`)
    this.name = 'InvalidSettingsError'
  }
}

/** The parsed settings, or {@link InvalidSettingsError} with every issue. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  settings: unknown,
  destinationType: string,
): z.output<S> {
  const parsed = schema.safeParse(settings)
  if (!parsed.success) {
    throw new InvalidSettingsError(destinationType, formatSettingsIssues(parsed.error))
  }
  return parsed.data
}
