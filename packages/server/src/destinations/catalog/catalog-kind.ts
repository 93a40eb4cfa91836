/**
 * Segment's action-destination catalog as Tessera destination kinds. Listing reads the
 * manifest only; a destination's definition (and actions-core) is loaded the first time a
 * kind of its type is asked for, then cached for the life of the process.
 */
import type { DestinationKind, DriverDeps } from '../driver.js'
import type { DestinationConfig } from '../model.js'
import { createCatalogDriver } from './catalog-driver.js'
import { loadRuntime, type DestinationDefinition } from './core.js'
import { loadDefinition } from './definitions.js'
import { loadManifest, type CatalogEntry } from './manifest.js'
import { buildSettingsSpec } from './settings-spec.js'
import { DEFAULT_CATALOG_BATCH, MAX_CATALOG_BATCH, validateSubscriptions } from './subscriptions.js'

export interface CatalogRegistry {
  /** Every catalog destination, from the manifest (nothing loaded). Sorted by slug. */
  list(): CatalogEntry[]
  /** The entry whose slug (`actions-mixpanel`) or directory (`mixpanel`) is given; or null. */
  entry(slugOrDir: string): CatalogEntry | null
  /**
   * The kind for `type` (a slug or directory), loading its definition on first use; null for
   * a type that is not in the catalog. Rejects when the definition fails to load (broken
   * install). The same kind object is returned on later calls.
   */
  kind(type: string): Promise<DestinationKind | null>
}

/**
 * The largest batch any action of the destination takes (its `batch_size` default, else
 * 100, at most 1000); 1 when no action has `performBatch`. A config's own subscriptions may
 * batch less: the driver then splits what it gets.
 */
export function definitionBatchSize(definition: DestinationDefinition): number {
  const sizes = Object.values(definition.actions)
    .filter((action) => typeof action.performBatch === 'function')
    .map((action) => {
      const size = action.fields.batch_size?.default
      return typeof size === 'number' && size >= 1 ? Math.floor(size) : DEFAULT_CATALOG_BATCH
    })
  return sizes.length > 0 ? Math.min(MAX_CATALOG_BATCH, Math.max(...sizes)) : 1
}

function createKind(entry: CatalogEntry, definition: DestinationDefinition): DestinationKind {
  const runtime = loadRuntime()
  const fields = definition.authentication?.fields ?? {}
  const settings = buildSettingsSpec(fields, runtime.core.fieldsToJsonSchema(fields))
  // One Destination for validation only (cheap; never runs events).
  const validator = new runtime.core.Destination(definition)
  const settingsOf = (config: DestinationConfig): Record<string, unknown> => {
    const parsed = settings.schema.safeParse(config.settings)
    return parsed.success ? (parsed.data as Record<string, unknown>) : config.settings
  }
  return {
    type: entry.slug,
    title: entry.name,
    description: entry.description ?? '',
    settings,
    maxBatchSize: definitionBatchSize(definition),
    usesSubscriptions: true,
    supportsDeletion: definition.onDelete !== undefined,
    validate(config) {
      const problems: string[] = []
      try {
        validator.validateSettings(settingsOf(config))
      } catch (error) {
        problems.push(`settings: ${error instanceof Error ? error.message : String(error)}`)
      }
      problems.push(...validateSubscriptions(runtime, definition, config))
      return Promise.resolve(problems)
    },
    create(config: DestinationConfig, deps: DriverDeps) {
      const driver = createCatalogDriver({
        definition,
        config,
        settings: settingsOf(config),
        secrets: settings.secrets,
        deps,
      })
      if (entry.needs.length > 0) {
        deps.logger.info(
          { destinationId: config.id, type: entry.slug, needs: entry.needs },
          'catalog destination with limited support',
        )
      }
      return Promise.resolve(driver)
    },
  }
}

/** Builds a registry over the generated manifest. Nothing is read until first use. */
export function createCatalogRegistry(): CatalogRegistry {
  const kinds = new Map<string, DestinationKind>()
  let index: Map<string, CatalogEntry> | null = null
  const lookup = (): Map<string, CatalogEntry> => {
    if (!index) {
      index = new Map()
      for (const e of loadManifest().destinations) index.set(e.slug, e).set(e.dir, e)
    }
    return index
  }
  return {
    list: () => [...loadManifest().destinations],
    entry: (slugOrDir) => lookup().get(slugOrDir) ?? null,
    kind(type) {
      const entry = lookup().get(type)
      if (!entry) return Promise.resolve(null)
      const known = kinds.get(entry.slug)
      if (known) return Promise.resolve(known)
      try {
        const kind = createKind(entry, loadDefinition(entry.dir))
        kinds.set(entry.slug, kind)
        return Promise.resolve(kind)
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)))
      }
    },
  }
}
