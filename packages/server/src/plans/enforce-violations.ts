import type { ErrorObject } from 'ajv'
import type { Violation } from './model.js'

/** Segment's violation types, as written in `context.protocols.violations[].type`. */
export const VIOLATION_TYPES = [
  'Required',
  'Invalid Type',
  'Invalid Value',
  'Unplanned Event',
  'Unplanned Property',
  'Unplanned Trait',
] as const
export type ViolationType = (typeof VIOLATION_TYPES)[number]

/** `/properties/a~1b/0` → `properties.a/b.0` (JSON Pointer to a dotted path). */
export function pointerToField(pointer: string): string {
  if (pointer === '') return ''
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.')
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`
}

/** The JSON type of a value, as Segment names it (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function valueAt(root: unknown, field: string): unknown {
  if (field === '') return root
  let node = root
  for (const part of field.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

/** Keywords whose failure only repeats a nested one (`if` reports its `then`/`else`). */
const SILENT = new Set(['if', '$ref'])

/**
 * Maps Ajv errors to Segment violations: `required` → `Required` at the missing field;
 * `type` → `Invalid Type` ("Invalid type. Expected: integer, given: number");
 * `additionalProperties: false` → `Unplanned Property` (or `Unplanned Trait` under `traits`)
 * at the extra key; everything else (enum, const, pattern, format, bounds, lengths, oneOf …)
 * → `Invalid Value` with Ajv's message. Repeated (type, field) pairs are reported once.
 */
export function violationsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  payload: unknown,
): Violation[] {
  const out: Violation[] = []
  const seen = new Set<string>()
  const push = (v: Violation): void => {
    const key = `${v.type}\u0000${v.field}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(v)
  }
  for (const error of errors ?? []) {
    if (SILENT.has(error.keyword)) continue
    const at = pointerToField(error.instancePath)
    const params = error.params as Record<string, unknown>
    if (error.keyword === 'required') {
      const field = join(at, String(params.missingProperty))
      push({ type: 'Required', field, description: `${field} is required` })
    } else if (error.keyword === 'type') {
      const expected = Array.isArray(params.type) ? params.type.join(', ') : String(params.type)
      const given = jsonTypeOf(valueAt(payload, at))
      push({
        type: 'Invalid Type',
        field: at,
        description: `Invalid type. Expected: ${expected}, given: ${given}`,
      })
    } else if (error.keyword === 'additionalProperties') {
      const field = join(at, String(params.additionalProperty))
      const trait = field.startsWith('traits.') || field.startsWith('context.traits.')
      push({
        type: trait ? 'Unplanned Trait' : 'Unplanned Property',
        field,
        description: `${field} is not in the tracking plan`,
      })
    } else {
      const detail =
        error.keyword === 'enum' && Array.isArray(params.allowedValues)
          ? `must be one of ${JSON.stringify(params.allowedValues)}`
          : (error.message ?? `fails ${error.keyword}`)
      push({ type: 'Invalid Value', field: at, description: `Invalid value: ${detail}` })
    }
  }
  return out
}
