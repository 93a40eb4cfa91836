/**
 * `drop_properties` and `allow_properties` (segment-compat.md §6.1) as copy-on-write edits:
 * the input is never mutated (one stored event is shared by every destination), only the
 * objects on the edited path are copied, and an edit that changes nothing returns the very
 * object it was given, so callers can tell "unchanged" by identity.
 */
import type { JsonObject, JsonValue } from '../../protocol/index.js'

/** An edit of one object; returns the same object when it changes nothing. */
export type ObjectEdit = (target: JsonObject) => JsonObject

/** Removes `keys` from the object. */
export function dropKeys(keys: readonly string[]): ObjectEdit {
  const dropped = new Set(keys)
  return (target) => {
    if (!keys.some((key) => Object.hasOwn(target, key))) return target
    return pick(target, (key) => !dropped.has(key))
  }
}

/** Keeps only `keys` in the object (an empty list empties it). */
export function allowKeys(keys: readonly string[]): ObjectEdit {
  const allowed = new Set(keys)
  return (target) => {
    if (Object.keys(target).every((key) => allowed.has(key))) return target
    return pick(target, (key) => allowed.has(key))
  }
}

/**
 * The path of a `fields` entry: `''` is the event itself, `'context.traits'` is
 * `event.context.traits`. Keys are split on `.` with no escapes, as in Segment's filters.
 */
export function fieldPath(path: string): string[] {
  return path === '' ? [] : path.split('.')
}

/**
 * Applies `edit` to the object at `path` under `root`, copying `root` and every object on the
 * way. When the path does not lead to a JSON object (missing, a list, a string…) or the
 * edit changes nothing, `root` itself is returned.
 */
export function editAt(root: JsonObject, path: readonly string[], edit: ObjectEdit): JsonObject {
  return editFrom(root, path, 0, edit)
}

function editFrom(
  node: JsonObject,
  path: readonly string[],
  index: number,
  edit: ObjectEdit,
): JsonObject {
  const key = path[index]
  if (key === undefined) return edit(node)
  const child = Object.hasOwn(node, key) ? node[key] : undefined
  if (!isJsonObject(child)) return node
  const updated = editFrom(child, path, index + 1, edit)
  // A computed key defines an own property, even for `__proto__`.
  return updated === child ? node : { ...node, [key]: updated }
}

function pick(target: JsonObject, keep: (key: string) => boolean): JsonObject {
  const copy: JsonObject = {}
  for (const key of Object.keys(target)) {
    const value = target[key]
    if (keep(key) && value !== undefined) copy[key] = value
  }
  return copy
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
