import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import type { z } from 'zod'
import { ConfigErrors, formatProblems, type ConfigProblem } from './config-error.js'

/** Reads a YAML or JSON config file into a plain value; reports syntax errors with lines. */
export function readConfigFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw ConfigErrors.unreadable(`cannot read config file ${path}`, { cause })
  }
  const problems: ConfigProblem[] = []
  try {
    if (extname(path) === '.json') return JSON.parse(text) as unknown
    return parseYaml(text, { prettyErrors: true }) as unknown
  } catch (error) {
    const message =
      error instanceof YAMLParseError || error instanceof SyntaxError
        ? error.message
        : String(error)
    problems.push({ file: path, path: '', message })
  }
  throw ConfigErrors.invalid(formatProblems(problems), { details: { problems } })
}

/**
 * Validates `value` against `schema`, collecting every problem at once. Returns the parsed,
 * deeply frozen config, or throws CONFIG_INVALID whose message lists `file: path: message`
 * lines and whose `details.problems` holds them structured.
 */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
  extraChecks: (config: z.infer<S>) => Array<{ path: string; message: string }> = () => [],
): Readonly<z.infer<S>> {
  const result = schema.safeParse(value)
  const problems: ConfigProblem[] = result.success
    ? extraChecks(result.data).map((p) => ({ file, ...p }))
    : result.error.issues.map((issue) => ({
        file,
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }))
  if (problems.length > 0 || !result.success) {
    throw ConfigErrors.invalid(formatProblems(problems), { details: { problems } })
  }
  return deepFreeze(result.data)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
