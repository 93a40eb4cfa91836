/**
 * Segment's action-destination catalog (`@segment/action-destinations`, pinned) as Tessera
 * destination kinds: list it from a generated manifest, load a destination's definition only
 * when one of its type is configured, and run it through actions-core with every request
 * going through the destination's {@link HttpClient}. See README.md.
 *
 * @example
 * const catalog = createCatalogRegistry()
 * catalog.list().length                       // 214, nothing loaded
 * const kind = await catalog.kind('actions-mixpanel')  // loads actions-core + mixpanel once
 * const problems = await kind?.validate(config)        // [] when valid
 * const driver = await kind?.create(config, { http, logger, clock })
 */
export { createCatalogRegistry, definitionBatchSize, type CatalogRegistry } from './catalog-kind.js'
export {
  CATALOG_NEEDS,
  loadManifest,
  type CatalogEntry,
  type CatalogManifest,
  type CatalogNeed,
  type ManifestAction,
  type ManifestField,
  type ManifestPreset,
} from './manifest.js'
export { isDefinitionLoaded } from './definitions.js'
export { isSecretSetting } from './settings-spec.js'
