/**
 * Destination filters and routing as pure functions: FQL conditions, the filter actions
 * (drop, sample, drop_properties, allow_properties) and the event's `integrations` object.
 * See README.md.
 */
export { compileFql, type CompiledFql } from './fql.js'
export {
  compileFilters,
  type CompiledFilters,
  type CompileFiltersOptions,
  type FilterOutcome,
} from './apply-filters.js'
export { integrationsAllow } from './integrations.js'
