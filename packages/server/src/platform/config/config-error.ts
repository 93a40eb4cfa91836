import { defineError } from '../errors/index.js'

/** One problem found in the configuration. */
export interface ConfigProblem {
  /** The file (or `env`, `flags`) the value came from. */
  file: string
  /** Dotted path to the value, e.g. `sources.0.writeKey`. */
  path: string
  message: string
}

export const ConfigErrors = {
  invalid: defineError('CONFIG_INVALID', 'The configuration is not valid.', 500),
  unreadable: defineError('CONFIG_UNREADABLE', 'The configuration file cannot be read.', 500),
} as const

/** Renders problems one per line: `file: path: message`. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.path || '(root)'}: ${p.message}`).join('\n')
}
