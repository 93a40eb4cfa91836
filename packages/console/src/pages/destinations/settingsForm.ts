/**
 * A destination type's settings form, read from its JSON Schema: one field per property
 * (strings, passwords, numbers, booleans, choices; anything else as JSON text), and the
 * conversions between the form's text and the settings object.
 */
import type { JsonSchema } from '../../api/destination-types'

export type FieldKind = 'string' | 'password' | 'number' | 'boolean' | 'enum' | 'json'

export interface FieldSpec {
  key: string
  label: string
  kind: FieldKind
  description: string
  required: boolean
  integer: boolean
  choices: Array<string | number>
  defaultValue: unknown
}

/** A form value: text for most fields, a flag for checkboxes. */
export type FieldValue = string | boolean
export type FieldValues = Record<string, FieldValue>

const asRecord = (value: unknown): JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {}

/** The property's type, ignoring `null` in a type list (`["string", "null"]`). */
function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type
  if (typeof type === 'string') return type
  if (Array.isArray(type)) {
    return type.find((t): t is string => typeof t === 'string' && t !== 'null')
  }
  return undefined
}

const SIMPLE_KINDS: Record<string, FieldKind> = {
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
}

function kindOf(key: string, schema: JsonSchema, secrets: readonly string[]): FieldKind {
  if (Array.isArray(schema.enum)) return 'enum'
  const type = typeOf(schema)
  if (type === 'string') {
    return schema.format === 'password' || secrets.includes(key) ? 'password' : 'string'
  }
  return SIMPLE_KINDS[type ?? ''] ?? 'json'
}

/** The fields of `schema`'s properties, required ones first (in schema order otherwise). */
export function describeFields(schema: JsonSchema, secrets: readonly string[]): FieldSpec[] {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  const fields = Object.entries(asRecord(schema.properties)).map(([key, raw]): FieldSpec => {
    const prop = asRecord(raw)
    return {
      key,
      label: typeof prop.title === 'string' ? prop.title : key,
      kind: kindOf(key, prop, secrets),
      description: typeof prop.description === 'string' ? prop.description : '',
      required: required.has(key),
      integer: typeOf(prop) === 'integer',
      choices: Array.isArray(prop.enum)
        ? prop.enum.filter((v): v is string | number => ['string', 'number'].includes(typeof v))
        : [],
      defaultValue: prop.default,
    }
  })
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)]
}

function toFieldValue(field: FieldSpec, value: unknown): FieldValue {
  if (field.kind === 'boolean') return value === true
  if (value === undefined || value === null) return ''
  if (field.kind === 'json') return JSON.stringify(value, null, 2)
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Form values for `settings`; a new destination starts from the schema's defaults. */
export function toFieldValues(
  fields: FieldSpec[],
  settings: Record<string, unknown>,
  useDefaults: boolean,
): FieldValues {
  const values: FieldValues = {}
  for (const field of fields) {
    const value = field.key in settings ? settings[field.key] : undefined
    values[field.key] = toFieldValue(
      field,
      useDefaults && value === undefined ? field.defaultValue : value,
    )
  }
  return values
}

function numberOf(field: FieldSpec, text: string): { value?: unknown; problem?: string } {
  const n = Number(text)
  if (!Number.isFinite(n) || (field.integer && !Number.isInteger(n))) {
    return { problem: `${field.label}: expected ${field.integer ? 'an integer' : 'a number'}` }
  }
  return { value: n }
}

function fromFieldValue(
  field: FieldSpec,
  value: FieldValue,
): { value?: unknown; problem?: string } {
  if (field.kind === 'boolean') return { value: value === true }
  const text = typeof value === 'string' ? value : ''
  if (text.trim() === '') return {}
  switch (field.kind) {
    case 'number':
      return numberOf(field, text)
    case 'enum':
      return { value: field.choices.find((c) => String(c) === text) ?? text }
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown }
      } catch {
        return { problem: `${field.label}: not valid JSON` }
      }
    case 'string':
    case 'password':
      return { value: text }
  }
}

/**
 * The settings object of the form: empty fields are left out (the type's defaults apply), and
 * keys of `original` the schema does not list are kept.
 */
export function toSettings(
  fields: FieldSpec[],
  values: FieldValues,
  original: Record<string, unknown> = {},
): { settings: Record<string, unknown>; problems: string[] } {
  const known = new Set(fields.map((f) => f.key))
  const settings: Record<string, unknown> = Object.fromEntries(
    Object.entries(original).filter(([key]) => !known.has(key)),
  )
  const problems: string[] = []
  for (const field of fields) {
    const result = fromFieldValue(field, values[field.key] ?? '')
    if (result.problem) problems.push(result.problem)
    else if (result.value !== undefined) settings[field.key] = result.value
  }
  return { settings, problems }
}
