/**
 * The delivery side of the platform: the secret box, destination kinds, the destination
 * service (file-managed or API-managed), the delivery engine's host (worker or in process),
 * the event tester's HTTP client, delivery metrics, and the admin routes' dependencies.
 */
import { resolve } from 'node:path'
import type { DestinationRouteDeps } from '../api/destination-routes.js'
import type { OptOutEntry } from '../consent/index.js'
import { testDestination } from '../api/destination-tester.js'
import {
  createDestinationService,
  SecretBox,
  validateDestination,
  type DestinationConfig,
  type DestinationService,
} from '../destinations/index.js'
import { UndiciHttpClient } from '../infra/http/undici-http-client.js'
import type { Storage } from '../infra/storage.js'
import type { DestinationEraser } from '../regulations/index.js'
import { createDestinationEraser } from './destination-eraser.js'
import type { Clock } from '../platform/clock.js'
import { ConfigErrors } from '../platform/config/index.js'
import type { Logger } from '../platform/logger/index.js'
import type { Registry } from '../platform/metrics/index.js'
import type { TesseraConfig } from './config.js'
import { startInProcessDelivery, startWorkerDelivery, type DeliveryHost } from './delivery-host.js'
import { createDeliveryMetrics } from './delivery-metrics.js'
import { startOnDemandDelivery } from './on-demand-delivery.js'
import { createDestinationKinds } from './destination-kinds.js'
import { resolvePiiSalt } from './pii-salt.js'
import { resolveSecretKey } from './secret-key.js'
import { deliveryRoutePolicy, type RestrictedIdentifier } from './delivery-runtime.js'
import type { ThreadHeap } from './thread-heap.js'

export interface Delivery {
  service: DestinationService
  /** Forwards data-subject deletions to destinations whose driver supports it. */
  eraser: DestinationEraser
  routes: DestinationRouteDeps
  /** New events were stored. */
  poke(): void
  /**
   * The preference opt-outs changed: hands the whole index to the engine (worker or in
   * process) and to the event trace; resolves once the engine uses it (each lane's next
   * window).
   */
  setOptOuts(entries: OptOutEntry[]): Promise<void>
  /**
   * The people whose processing is restricted changed: hands the whole list to the engine
   * and the event trace; resolves once the engine uses it (marketing destinations skip them
   * from each lane's next window).
   */
  setRestricted(identifiers: RestrictedIdentifier[]): Promise<void>
  /** A reloaded config file (its `destinations:` section, when the file manages them). */
  applyConfig(config: Readonly<TesseraConfig>): Promise<void>
  stop(): Promise<void>
  /** The delivery thread's V8 heap while it runs (embedded), as it last reported it. */
  threadHeaps(): ThreadHeap[]
}

const idle: DeliveryHost = {
  poke: () => undefined,
  configure: () => undefined,
  setOptOuts: () => Promise.resolve(),
  setRestricted: () => Promise.resolve(),
  status: () => [],
  running: () => false,
  stop: () => Promise.resolve(),
}

/** Validates the file's destinations in full; throws CONFIG_INVALID listing every problem. */
async function fileDestinations(
  config: Readonly<TesseraConfig>,
  resolveKind: Parameters<typeof validateDestination>[1],
): Promise<DestinationConfig[] | null> {
  if (config.destinations === undefined) return null
  const problems: string[] = []
  const configs: DestinationConfig[] = []
  for (const [i, input] of config.destinations.entries()) {
    const result = await validateDestination(input, resolveKind)
    if (result.ok) configs.push(result.config)
    else problems.push(...result.problems.map((p) => `destinations.${i}.${p}`))
  }
  if (problems.length > 0) throw ConfigErrors.invalid(problems.join('\n'))
  return configs
}

export async function composeDelivery(options: {
  config: Readonly<TesseraConfig>
  storage: Storage
  /** The head of the event log (a stored event's seq is its log offset). */
  logHead: () => Promise<number>
  logger: Logger
  clock: Clock
  registry: Registry
  /** The preference opt-outs at start. */
  optOuts: OptOutEntry[]
  onError: (error: unknown) => void
}): Promise<Delivery> {
  const { config, storage, logger, clock } = options
  const kinds = createDestinationKinds()
  const box = new SecretBox(resolveSecretKey(config.delivery.secretKey, config.storage.dataDir))
  let fromFile = await fileDestinations(config, kinds.resolve)
  const ref: { host: DeliveryHost } = { host: idle }
  // A destination seen for the first time starts at the end of the log: it gets what is
  // acknowledged from now on (history comes through a backfill).
  const startLane = async (id: string): Promise<void> =>
    storage.deliveryAdmin.initLane(id, await options.logHead())
  const startLanes = async (configs: readonly DestinationConfig[] | null): Promise<void> => {
    for (const c of configs ?? []) await startLane(c.id)
  }
  await startLanes(fromFile)
  const service = createDestinationService({
    store: storage.destinationConfigs,
    kinds: kinds.resolve,
    box,
    clock,
    fileConfigs: () => fromFile,
    onChange: (configs) => ref.host.configure(configs),
    startLane,
  })
  const consent = { missingConsent: config.consent.missingConsent }
  // The trace (main thread) routes with its own copy of the policy.
  const traced = deliveryRoutePolicy(consent, options.optOuts)
  const metrics = createDeliveryMetrics(options.registry, {
    status: () => ref.host.status(),
    running: () => ref.host.running(),
  })
  const egress = {
    hostOverrides: config.delivery.hostOverrides,
    blockPrivateAddresses: config.delivery.blockPrivateAddresses,
  }
  if (config.delivery.enabled) {
    const hostOptions = {
      egress,
      // Per-destination PII rules (applied in the lanes); read at start, a reload needs a restart.
      privacy: {
        pii: config.privacy.pii,
        salt: resolvePiiSalt(config.privacy.pii.salt, config.storage.dataDir),
      },
      consent,
      onCommit: metrics.onCommit,
      onError: options.onError,
    }
    const dataDir = resolve(config.storage.dataDir)
    // The engine runs only while a destination exists (on-demand-delivery.ts).
    ref.host = await startOnDemandDelivery({
      state: { configs: await service.configs(), optOuts: options.optOuts, restricted: [] },
      start: (state) =>
        storage.kind === 'sqlite'
          ? startWorkerDelivery({ ...hostOptions, ...state, dataDir })
          : startInProcessDelivery({
              ...hostOptions,
              ...state,
              queue: storage.deliveryQueue,
              logger,
            }),
      onError: options.onError,
    })
  }
  const http = new UndiciHttpClient({ ...egress, userAgent: 'Tessera' })
  return {
    service,
    eraser: createDestinationEraser({ service, kinds: kinds.resolve, http, logger, clock }),
    routes: {
      destinations: service,
      admin: storage.deliveryAdmin,
      kinds,
      status: () => ref.host.status(),
      eventsHead: () => storage.deliveryQueue.eventsHead(),
      poke: () => ref.host.poke(),
      clock,
      routePolicy: traced.policy,
      async test(destination, event) {
        const kind = await kinds.resolve(destination.type)
        if (!kind) throw new Error(`unknown destination type '${destination.type}'`)
        const secrets = kind.settings.secrets
          .map((key) => destination.settings[key])
          .filter((v): v is string => typeof v === 'string')
        return testDestination({ config: destination, kind, event, http, logger, clock, secrets })
      },
    },
    poke: () => ref.host.poke(),
    threadHeaps: () => ref.host.threadHeaps?.() ?? [],
    setOptOuts(entries) {
      traced.preferences.replace(entries)
      return ref.host.setOptOuts(entries)
    },
    setRestricted(identifiers) {
      traced.restricted.replace(identifiers)
      return ref.host.setRestricted(identifiers)
    },
    async applyConfig(next) {
      if (fromFile === null || next.destinations === undefined) return
      const reloaded = await fileDestinations(next, kinds.resolve)
      await startLanes(reloaded)
      fromFile = reloaded
      await service.reload()
    },
    async stop() {
      await ref.host.stop()
      await http.close()
    },
  }
}
