/**
 * The field walker shared by the field inventory and the observed schema: visits every field
 * of an event's `properties`, `traits` and `context`, objects and arrays included, with its
 * generic path (array elements as `$`, as Segment's schema shows them) and its JSON type.
 * Depth and field count are bounded so a hostile payload costs a bounded amount of work.
 */

export const JSON_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'null',
  'object',
  'array',
] as const
export type JsonType = (typeof JSON_TYPES)[number]

export const WALKED_SECTIONS = ['properties', 'traits', 'context'] as const

export interface WalkLimits {
  /** Deepest path (sections count as depth 1). Default 8. */
  maxDepth: number
  /** Fields visited per event at most. Default 1,000. */
  maxFields: number
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 8, maxFields: 1_000 }

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return 'object'
}

/** `joined` is `path` joined with dots (built on the way down, cheaper than joining). */
export type FieldVisitor = (
  path: readonly string[],
  value: unknown,
  type: JsonType,
  joined: string,
) => void

/**
 * Calls `visit` for every field under the walked sections, parents before children, in key
 * order. Elements of one array share a path; each is visited. Returns the number of fields
 * visited (at most `maxFields`; the rest are skipped).
 */
export function walkFields(
  payload: Record<string, unknown>,
  visit: FieldVisitor,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
): number {
  let visited = 0
  const walk = (value: unknown, path: string[], joined: string): void => {
    if (visited >= limits.maxFields) return
    const type = jsonTypeOf(value)
    visited++
    visit(path, value, type, joined)
    if (path.length >= limits.maxDepth) return
    if (type === 'array') {
      const itemPath = [...path, '$']
      const itemJoined = `${joined}.$`
      for (const item of value as unknown[]) walk(item, itemPath, itemJoined)
    } else if (type === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walk(child, [...path, key], `${joined}.${key}`)
      }
    }
  }
  for (const section of WALKED_SECTIONS) {
    const value = payload[section]
    if (
      value !== undefined &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walk(child, [section, key], `${section}.${key}`)
      }
    }
  }
  return visited
}
