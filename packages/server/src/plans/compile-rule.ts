import type { ValidateFunction } from 'ajv'
import { createRuleCompiler } from './ajv.js'

/**
 * The enforcement step's view of the one Ajv setup (`ajv.ts`): compiles a rule's schema to a
 * validate function and throws when it does not compile (plans are validated before they are
 * stored, so a throw here means a plan that bypassed validation).
 */
export interface EnforcementCompiler {
  compile(schema: Record<string, unknown>): ValidateFunction
}

/** An {@link EnforcementCompiler} over one {@link createRuleCompiler} (one Ajv per dialect). */
export function createEnforcementCompiler(): EnforcementCompiler {
  const compileRule = createRuleCompiler()
  return {
    compile(schema) {
      const compiled = compileRule({ jsonSchema: schema })
      if (!compiled.ok) throw new Error(`rule schema does not compile: ${compiled.message}`)
      return compiled.validate
    },
  }
}
