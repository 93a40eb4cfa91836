import { Ajv, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives as the module.
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2019 | Ajv2020) => unknown

type AnyAjv = Ajv | Ajv2019 | Ajv2020

const DRAFT_2019 = /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/
const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/

/**
 * Ajv instances by dialect, built lazily and reused: compiling is what costs, and one instance
 * per dialect keeps its compiled-schema cache. Options: every error (`allErrors`, so one event
 * reports all its violations), no strict mode (plans written for Segment use keywords such as
 * `id` or `description` in places Ajv's strict mode refuses), formats from `ajv-formats`.
 */
export interface RuleCompiler {
  /** Compiles a rule's JSON Schema; throws Ajv's error when the schema itself is invalid. */
  compile(schema: Record<string, unknown>): ValidateFunction
}

/**
 * Creates a compiler choosing the dialect by `$schema`: draft 2019-09 and 2020-12 through
 * their own Ajv classes, everything else (draft-07, or no `$schema`) as draft-07.
 */
export function createRuleCompiler(): RuleCompiler {
  const instances = new Map<string, AnyAjv>()
  const instance = (dialect: '07' | '2019' | '2020'): AnyAjv => {
    let ajv = instances.get(dialect)
    if (!ajv) {
      const options = { allErrors: true, strict: false }
      ajv =
        dialect === '2019'
          ? new Ajv2019(options)
          : dialect === '2020'
            ? new Ajv2020(options)
            : new Ajv(options)
      addFormats(ajv)
      instances.set(dialect, ajv)
    }
    return ajv
  }
  return {
    compile(schema) {
      const declared = typeof schema.$schema === 'string' ? schema.$schema : ''
      const dialect = DRAFT_2019.test(declared) ? '2019' : DRAFT_2020.test(declared) ? '2020' : '07'
      // `$id`s would collide across plans sharing one instance: compile an id-free copy.
      const { $id: _ignored, ...rest } = schema
      return instance(dialect).compile(rest)
    },
  }
}
