/**
 * The one Ajv setup of tracking plans, shared by plan validation and the enforcement step so
 * a rule that validates here behaves the same at ingest.
 *
 * Options: `allErrors` (every violation of an event is reported, not the first),
 * `strict: false` (schemas exported from Segment carry unknown keywords such as `labels` or
 * `id`; they are ignored rather than refused), `validateFormats` with `ajv-formats` (so
 * `format: date-time`, `email`, `uri` … are checked). The dialect follows the schema's
 * `$schema`: 2019-09 and 2020-12 select their Ajv classes, anything else is draft-07.
 */
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'
import type { PlanRule } from './model.js'

export type SchemaDialect = 'draft-07' | '2019-09' | '2020-12'

type AjvInstance = Ajv | Ajv2019 | Ajv2020

// ajv-formats is CommonJS with `exports.default`; under NodeNext the import is the module.
const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (
  ajv: AjvInstance,
) => AjvInstance

/** The dialect a schema declares in `$schema`; draft-07 when absent or unrecognised. */
export function schemaDialect(schema: Record<string, unknown>): SchemaDialect {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : ''
  if (declared.includes('2020-12')) return '2020-12'
  if (declared.includes('2019-09')) return '2019-09'
  return 'draft-07'
}

/** A new Ajv instance of one dialect, with the options above. */
export function createPlanAjv(dialect: SchemaDialect = 'draft-07'): AjvInstance {
  const options = { allErrors: true, strict: false, validateFormats: true } as const
  const ajv =
    dialect === '2020-12'
      ? new Ajv2020(options)
      : dialect === '2019-09'
        ? new Ajv2019(options)
        : new Ajv(options)
  return addFormats(ajv)
}

/** A compiled rule, or why its schema does not compile. */
export type CompiledRule =
  { ok: true; validate: ValidateFunction } | { ok: false; message: string; schemaPath: string }

/** Compiles rules; reuse one for many rules (an Ajv instance costs milliseconds to build). */
export type RuleCompiler = (rule: Pick<PlanRule, 'jsonSchema'>) => CompiledRule

/**
 * A compiler holding one Ajv instance per dialect, built on first use. Each schema is removed
 * from its instance's cache once compiled (the compiled function keeps working), so two rules
 * declaring the same `$id` never collide. Never throws.
 */
export function createRuleCompiler(): RuleCompiler {
  const instances = new Map<SchemaDialect, AjvInstance>()
  return (rule) => {
    const dialect = schemaDialect(rule.jsonSchema)
    let ajv = instances.get(dialect)
    if (!ajv) {
      ajv = createPlanAjv(dialect)
      instances.set(dialect, ajv)
    }
    const schema = rule.jsonSchema as AnySchema
    try {
      return { ok: true, validate: ajv.compile(schema) }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return { ok: false, message, schemaPath: schemaPathOf(message) }
    } finally {
      ajv.removeSchema(schema)
    }
  }
}

/** Compiles one rule with its own compiler (see {@link createRuleCompiler}). Never throws. */
export function compileRule(rule: Pick<PlanRule, 'jsonSchema'>): CompiledRule {
  return createRuleCompiler()(rule)
}

/**
 * Where in the schema a compile error points, as a dotted path, when Ajv says so
 * (`schema is invalid: data/properties/total/type must be …`); empty otherwise.
 */
function schemaPathOf(message: string): string {
  const match = /data(\/[^\s,]*)/.exec(message)
  if (!match?.[1]) return ''
  return match[1]
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.')
}

export type { ErrorObject, ValidateFunction }
