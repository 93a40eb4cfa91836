import type { TesseraConfig } from './config.js'

/**
 * The top-level sections that differ between two configs (`sources`, `destinations` …), by
 * their JSON, sorted. Names only: the audit entry of a reload never holds values, which may be
 * secrets (tokens, keys).
 */
export function changedSections(
  before: Readonly<TesseraConfig>,
  after: Readonly<TesseraConfig>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  const a = before as Record<string, unknown>
  const b = after as Record<string, unknown>
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort()
}
