/**
 * A catalog destination's settings, described for Tessera (zod schema, JSON Schema, secrets)
 * from its `authentication.fields`. Pure: works from the manifest's fields or a definition's.
 */
import { z } from 'zod'
import type { SettingsSpec } from '../driver.js'

/** The parts of a field this module reads (manifest and definition fields both fit). */
export interface SettingsField {
  label?: string
  description?: string
  type: string
  required?: boolean
  multiple?: boolean
  default?: unknown
  choices?: ReadonlyArray<string | number | { label?: string; value: string | number }>
}

/** Setting names that hold credentials even when the catalog types them as plain strings. */
const SECRET_NAME =
  /(secret|password|passwd|token|api_?key|apikey|access_?key|private_?key|write_?key|auth_?key|credential)/i
/** …unless they say they are public (e.g. `publicEncryptionKey`). */
const PUBLIC_NAME = /public/i

/** True when setting `name` of type `type` is a secret. */
export function isSecretSetting(name: string, type: string): boolean {
  return type === 'password' || (SECRET_NAME.test(name) && !PUBLIC_NAME.test(name))
}

function choiceValues(field: SettingsField): Array<string | number> {
  return (field.choices ?? []).map((c) => (typeof c === 'object' ? c.value : c))
}

function scalarSchema(field: SettingsField): z.ZodType {
  const values = choiceValues(field)
  if (values.length > 0) {
    const literals = values.map((v) => z.literal(v))
    return literals.length === 1 ? literals[0]! : z.union(literals)
  }
  switch (field.type) {
    case 'number':
      return z.number()
    case 'integer':
      return z.number().int()
    case 'boolean':
      return z.boolean()
    case 'object':
      return z.record(z.string(), z.unknown())
    default:
      // string, text, password, datetime, hidden, …
      return z.string()
  }
}

function fieldSchema(field: SettingsField): z.ZodType {
  let schema = field.multiple ? z.array(scalarSchema(field)) : scalarSchema(field)
  const text = field.description ?? field.label
  if (text) schema = schema.describe(text)
  if (field.default !== undefined && !isDirective(field.default)) {
    return schema.default(field.default as never)
  }
  return field.required ? schema : schema.optional()
}

function isDirective(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).some((key) => key.startsWith('@'))
  )
}

/**
 * The settings spec of `fields`. The zod schema is strict (an unknown key is a typo), applies
 * plain defaults, and requires what the catalog requires; `jsonSchema` is the catalog's own
 * (`fieldsToJsonSchema`, the schema actions-core validates with) when given, else a derived one.
 */
export function buildSettingsSpec(
  fields: Readonly<Record<string, SettingsField>>,
  jsonSchema?: Record<string, unknown>,
): SettingsSpec {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(fields)) shape[key] = fieldSchema(field)
  const schema = z.object(shape).strict()
  return {
    schema,
    jsonSchema: jsonSchema ?? z.toJSONSchema(schema, { io: 'input' }),
    secrets: Object.entries(fields)
      .filter(([key, field]) => isSecretSetting(key, field.type))
      .map(([key]) => key),
  }
}
