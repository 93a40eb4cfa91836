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

/** A path met before: its segments and dotted form, built once and shared by every visit. */
interface PathNode {
  path: readonly string[]
  joined: string
  children: Map<string, PathNode> | null
}

/**
 * Interns field paths across walks, so that a path seen before costs one lookup by its last
 * key (JSON keys are short and their hashes cached) instead of a new array and string, and the
 * same string (hash already computed) reaches every map the caller keys by it. Bounded: past
 * `maxNodes` paths it starts afresh. Not shared between threads; one per consumer.
 */
export class PathCache {
  #root = new Map<string, PathNode>()
  #nodes = 0
  constructor(private readonly maxNodes = 100_000) {}

  /** The node of `key` under `parent` (a section under null). */
  child(parent: PathNode | null, key: string): PathNode {
    if (this.#nodes >= this.maxNodes) {
      // Start afresh; nodes in use by a walk stay valid, only detached from the cache.
      this.#root = new Map()
      this.#nodes = 0
      if (parent !== null) parent.children = null
    }
    const children =
      parent === null ? this.#root : (parent.children ??= new Map<string, PathNode>())
    let node = children.get(key)
    if (!node) {
      node = {
        path: parent === null ? [key] : [...parent.path, key],
        joined: parent === null ? key : `${parent.joined}.${key}`,
        children: null,
      }
      children.set(key, node)
      this.#nodes++
    }
    return node
  }
}

/**
 * Calls `visit` for every field under the walked sections, parents before children, in key
 * order. Elements of one array share a path; each is visited. Returns the number of fields
 * visited (at most `maxFields`; the rest are skipped). With a `cache`, the `path` and `joined`
 * of a path seen before are the same objects as before (callers must not change them).
 */
export function walkFields(
  payload: Record<string, unknown>,
  visit: FieldVisitor,
  limits: WalkLimits = DEFAULT_WALK_LIMITS,
  cache: PathCache = new PathCache(),
): number {
  let visited = 0
  const walk = (value: unknown, node: PathNode): void => {
    if (visited >= limits.maxFields) return
    const type = jsonTypeOf(value)
    visited++
    visit(node.path, value, type, node.joined)
    if (node.path.length >= limits.maxDepth) return
    if (type === 'array') {
      const item = cache.child(node, '$')
      for (const element of value as unknown[]) walk(element, item)
    } else if (type === 'object') {
      for (const key in value as Record<string, unknown>) {
        if (!Object.hasOwn(value as object, key)) continue
        walk((value as Record<string, unknown>)[key], cache.child(node, key))
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
      const sectionNode = cache.child(null, section)
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walk(child, cache.child(sectionNode, key))
      }
    }
  }
  return visited
}
