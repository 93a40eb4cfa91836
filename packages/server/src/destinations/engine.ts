/**
 * The delivery engine: one {@link Lane} per enabled destination, started, restarted and
 * stopped as the destination configs change. It follows the event store: `poke()` after new
 * events were stored ends every lane's idle wait.
 */
import type { RoutePolicy } from '../consent/index.js'
import type { Clock } from '../platform/clock.js'
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js'
import type { DeliveryQueue, LaneCommit } from './delivery-store.js'
import type { DestinationKind, DriverDeps } from './driver.js'
import { startLane, type Lane, type LaneStatus } from './lane.js'
import type { DestinationConfig } from './model.js'
import { scopePayloads, type DeliveryPayloadScope } from './pii-scope.js'
import { createRouter } from './route.js'

/** Finds the kind of a destination type (built-in or catalog); null when unknown. */
export type KindResolver = (type: string) => Promise<DestinationKind | null>

export interface DeliveryEngineOptions {
  queue: DeliveryQueue
  kinds: KindResolver
  driverDeps: DriverDeps
  clock: Clock
  random?: () => number
  backoff?: BackoffPolicy
  /** Longest idle wait of a lane (default 1 s). */
  idleMs?: number
  onCommit?: (destinationId: string, commit: LaneCommit) => void
  onError: (destinationId: string, error: unknown) => void
  /** Per-destination payload rules (privacy), applied after routing; none by default. */
  payloadScope?: DeliveryPayloadScope
  /**
   * The consent mode and the people indexes (restriction, preferences) every lane routes
   * with. Read per event, so an index updated in place applies at once. Default: Segment's
   * consent rules, nobody restricted or opted out.
   */
  policy?: RoutePolicy
}

export interface EngineDestinationStatus extends Partial<LaneStatus> {
  destinationId: string
  state: 'running' | 'disabled' | 'error'
  /** Why the destination does not run (unknown type, invalid config, …). */
  problem?: string
}

export interface DeliveryEngine {
  /**
   * Makes the running lanes match `configs`: lanes of removed or disabled destinations stop,
   * changed ones restart (their cursor and retries are kept in the store), new ones start.
   * Calls are serialized. A destination that cannot start is reported in `status()`.
   */
  configure(configs: readonly DestinationConfig[]): Promise<void>
  poke(): void
  status(): EngineDestinationStatus[]
  stop(): Promise<void>
}

interface Running {
  key: string
  lane: Lane | null
  status: EngineDestinationStatus
  close: () => Promise<void>
}

/** Names the `integrations` object may use for a destination. */
export function integrationNames(config: DestinationConfig, kind: DestinationKind): string[] {
  const names = new Set([
    config.name,
    config.id,
    kind.title,
    kind.title.replace(/ \(Actions\)$/, ''),
  ])
  return [...names].filter((n) => n !== '')
}

export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const running = new Map<string, Running>()
  let chain: Promise<void> = Promise.resolve()
  const random = options.random ?? Math.random

  async function start(config: DestinationConfig, key: string): Promise<Running> {
    const base = { destinationId: config.id }
    if (!config.enabled) {
      return { key, lane: null, status: { ...base, state: 'disabled' }, close: async () => {} }
    }
    const kind = await options.kinds(config.type)
    if (!kind) {
      const problem = `unknown destination type '${config.type}'`
      return {
        key,
        lane: null,
        status: { ...base, state: 'error', problem },
        close: async () => {},
      }
    }
    const driver = await kind.create(config, options.driverDeps)
    const router = scopePayloads(
      createRouter(config, integrationNames(config, kind), options.policy),
      config.id,
      options.payloadScope,
    )
    const lane = await startLane(
      { config, driver, maxBatchSize: kind.maxBatchSize, router },
      {
        queue: options.queue,
        clock: options.clock,
        random,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        idleMs: options.idleMs ?? 1000,
        onCommit: options.onCommit,
        onError: options.onError,
      },
    )
    return {
      key,
      lane,
      status: { ...base, state: 'running' },
      close: async () => {
        await lane.stop()
        await driver.close()
      },
    }
  }

  async function apply(configs: readonly DestinationConfig[]): Promise<void> {
    const wanted = new Map(configs.map((c) => [c.id, c]))
    for (const [id, run] of running) {
      const config = wanted.get(id)
      if (!config || JSON.stringify(config) !== run.key) {
        running.delete(id)
        await run.close()
      }
    }
    for (const config of configs) {
      if (running.has(config.id)) continue
      const key = JSON.stringify(config)
      try {
        running.set(config.id, await start(config, key))
      } catch (error) {
        options.onError(config.id, error)
        const problem = error instanceof Error ? error.message : String(error)
        running.set(config.id, {
          key,
          lane: null,
          status: { destinationId: config.id, state: 'error', problem },
          close: async () => {},
        })
      }
    }
  }

  return {
    configure(configs) {
      const next = chain.then(() => apply(configs))
      chain = next.catch(() => {})
      return next
    },
    poke() {
      for (const run of running.values()) run.lane?.poke()
    },
    status() {
      return [...running.values()].map((run) => ({ ...run.status, ...run.lane?.status() }))
    },
    async stop() {
      await chain
      const all = [...running.values()]
      running.clear()
      await Promise.all(all.map((run) => run.close()))
    },
  }
}
