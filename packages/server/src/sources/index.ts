/** Sources and their write keys. See README.md. */
export type { RateLimit, Source, SourceInput, WriteKey } from './source.js'
export type { SourceStore } from './source-store.js'
export { SourcesErrors } from './errors.js'
export { createSourceService, type SourceService } from './source-service.js'
export {
  checkSourcesUnique,
  sourceConfigSchema,
  toManagedSource,
  type SourceConfig,
} from './config.js'
