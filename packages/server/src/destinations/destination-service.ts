/**
 * Destinations as the API sees them: listed and read with secrets masked; created, replaced
 * and deleted when the config file does not manage them (sealed at rest with the secret box);
 * every change validated in full and announced to the delivery engine.
 */
import type { Clock } from '../platform/clock.js'
import type { DestinationConfigStore } from './delivery-store.js'
import type { KindResolver } from './engine.js'
import { DestinationErrors } from './errors.js'
import type { DestinationConfig } from './model.js'
import { isSealed, maskSettings, SECRET_MASK, type SecretBox } from './secret-box.js'
import { validateDestination } from './validate-destination.js'

export interface DestinationRecord {
  config: DestinationConfig
  createdAt: number | null
  updatedAt: number | null
}

export interface DestinationService {
  /** True when the config file defines the destinations (then the API is read-only). */
  readonly managed: boolean
  /** Every destination, secrets masked, by id. */
  list(): Promise<DestinationRecord[]>
  /** One destination, secrets masked; `DESTINATIONS_NOT_FOUND` when absent. */
  get(id: string): Promise<DestinationRecord>
  /** Every destination with its secrets in clear, for the engine and the event tester. */
  configs(): Promise<DestinationConfig[]>
  /** Validates and stores a new destination; `DESTINATIONS_EXISTS` if the id is taken. */
  create(input: unknown): Promise<DestinationRecord>
  /**
   * Validates and replaces a destination. A secret sent back as the mask keeps its stored
   * value, so a form can round-trip a masked answer.
   */
  replace(id: string, input: unknown): Promise<DestinationRecord>
  /** Deletes the destination with its lane, retries, dead letters and metrics. */
  remove(id: string): Promise<void>
  /** Checks a config without storing it; `problems` is empty when valid. */
  check(input: unknown): Promise<string[]>
  /** Re-announces the list to the engine (after the config file was reloaded). */
  reload(): Promise<void>
}

export interface DestinationServiceOptions {
  store: DestinationConfigStore
  kinds: KindResolver
  box: SecretBox
  clock: Clock
  /**
   * The destinations of the config file, when it has a `destinations:` section (read at each
   * call, so a config reload is seen). Whether the file manages destinations is fixed at start.
   */
  fileConfigs: () => DestinationConfig[] | null
  /** Called after every change with the full list (secrets in clear). */
  onChange: (configs: DestinationConfig[]) => void
  /**
   * Starts a new destination's lane at the current end of the event log, so that every event
   * acknowledged after its creation is answered reaches it, and none from before.
   */
  startLane: (destinationId: string) => Promise<void>
}

export function createDestinationService(options: DestinationServiceOptions): DestinationService {
  const { store, kinds, box, clock } = options
  const managed = options.fileConfigs() !== null

  async function secretsOf(type: string): Promise<readonly string[]> {
    return (await kinds(type))?.settings.secrets ?? []
  }

  async function masked(config: DestinationConfig): Promise<DestinationConfig> {
    return { ...config, settings: maskSettings(config.settings, await secretsOf(config.type)) }
  }

  function open(text: string): DestinationConfig {
    const config = JSON.parse(text) as DestinationConfig
    const settings: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(config.settings)) {
      settings[key] = isSealed(value) ? box.open(value) : value
    }
    return { ...config, settings }
  }

  async function seal(config: DestinationConfig): Promise<string> {
    const secrets = new Set(await secretsOf(config.type))
    const settings: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(config.settings)) {
      settings[key] = secrets.has(key) && value !== undefined ? box.seal(value) : value
    }
    return JSON.stringify({ ...config, settings })
  }

  async function clearConfigs(): Promise<DestinationConfig[]> {
    const file = options.fileConfigs()
    if (file !== null) return file
    return (await store.list()).map((row) => open(row.config))
  }

  async function validated(input: unknown): Promise<DestinationConfig> {
    const result = await validateDestination(input, kinds)
    if (!result.ok) {
      throw DestinationErrors.invalid(result.problems.join('; '), {
        details: { problems: result.problems },
      })
    }
    return result.config
  }

  /** Announces the current list (after an edit, or a config reload). */
  async function changed(): Promise<void> {
    options.onChange(await clearConfigs())
  }

  function assertWritable(): void {
    if (managed) throw DestinationErrors.managed()
  }

  return {
    managed,
    async list() {
      const file = options.fileConfigs()
      if (file !== null) {
        return Promise.all(
          file.map(async (c) => ({
            config: await masked(c),
            createdAt: null,
            updatedAt: null,
          })),
        )
      }
      const rows = await store.list()
      return Promise.all(
        rows.map(async (row) => ({
          config: await masked(open(row.config)),
          createdAt: row.createdAt,
          updatedAt: row.updatedAt,
        })),
      )
    },
    async get(id) {
      const file = options.fileConfigs()
      if (file !== null) {
        const config = file.find((c) => c.id === id)
        if (!config) throw DestinationErrors.notFound()
        return { config: await masked(config), createdAt: null, updatedAt: null }
      }
      // One row, not the whole list: every admin route of a destination starts here.
      const row = await store.get(id)
      if (!row) throw DestinationErrors.notFound()
      return {
        config: await masked(open(row.config)),
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      }
    },
    configs: clearConfigs,
    async create(input) {
      assertWritable()
      const config = await validated(input)
      if (await store.get(config.id)) throw DestinationErrors.exists()
      await options.startLane(config.id)
      const now = clock.now()
      await store.put({ id: config.id, config: await seal(config), createdAt: now, updatedAt: now })
      await changed()
      return { config: await masked(config), createdAt: now, updatedAt: now }
    },
    async replace(id, input) {
      assertWritable()
      const existing = await store.get(id)
      if (!existing) throw DestinationErrors.notFound()
      const previous = open(existing.config)
      const body: Record<string, unknown> = { ...(input as Record<string, unknown>), id }
      const settings = (body.settings ?? {}) as Record<string, unknown>
      const kept: Record<string, unknown> = { ...settings }
      for (const [key, value] of Object.entries(settings)) {
        if (value === SECRET_MASK) kept[key] = previous.settings[key]
      }
      const config = await validated({ ...body, settings: kept })
      const now = clock.now()
      await store.put({
        id,
        config: await seal(config),
        createdAt: existing.createdAt,
        updatedAt: now,
      })
      await changed()
      return { config: await masked(config), createdAt: existing.createdAt, updatedAt: now }
    },
    async remove(id) {
      assertWritable()
      if (!(await store.delete(id))) throw DestinationErrors.notFound()
      await changed()
    },
    reload: changed,
    async check(input) {
      const result = await validateDestination(input, kinds)
      return result.ok ? [] : result.problems
    },
  }
}
