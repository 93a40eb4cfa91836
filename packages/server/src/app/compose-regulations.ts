/**
 * Data-subject requests in the platform: the suppression list (loaded from the store, checked
 * by ingest, its counts flushed to `ingest_stats`), the regulations service behind the admin
 * routes, and the durable runner that executes requests in process.
 */
import type { RegulationRouteDeps } from '../api/regulation-routes.js'
import type { ConsentHistory, PreferenceService } from '../consent/index.js'
import { BUILT_IN_IDENTIFIER_TYPES, type IdentityRulesHolder } from '../identity/index.js'
import type { Storage } from '../infra/storage.js'
import type { Clock } from '../platform/clock.js'
import {
  createCorrectionService,
  createRegulationService,
  createRestrictionService,
  RestrictionList,
  noAudit,
  noDestinations,
  startRegulationRunner,
  SuppressionList,
  type DestinationEraser,
  type RegulationAuditSink,
  type RegulationRunner,
} from '../regulations/index.js'
import { relayed, relayedErasure, type RelaySwitch } from './store-relay.js'

/** How often suppressed-event counts are written to `ingest_stats`. */
const FLUSH_COUNTS_MS = 5000
/** How long one pass of the runner waits for the pipeline to pass a request's position. */
const PIPELINE_WAIT_MS = 5000
/** Time between runner passes without a poke (retries of failed tasks wait this long). */
const RUNNER_INTERVAL_MS = 5000

export interface Regulations {
  suppression: SuppressionList
  /**
   * Restricted identifiers, for consent enforcement (marketing destinations) and audiences:
   * `restrictions.isRestricted(identifiers)`. Changes through the API apply at once.
   */
  restrictions: RestrictionList
  routes: RegulationRouteDeps
  runner: RegulationRunner
  /** Writes the suppressed counts gathered so far to `ingest_stats` (before stats are read). */
  flushCounts(): Promise<void>
  /** Stops the runner and writes the last suppressed counts. */
  stop(): Promise<void>
}

export async function composeRegulations(options: {
  storage: Storage
  /**
   * Where the suppressed counts are flushed and erasures run: the store worker when set
   * (store-relay.ts), else here.
   */
  relay: RelaySwitch
  rules: IdentityRulesHolder
  clock: Clock
  /** Waits (bounded) until identity has resolved everything acknowledged before the call. */
  catchUp: () => Promise<void>
  logHead: () => Promise<number>
  /** Resolves true once the store and identity consumers passed `position` (bounded). */
  pipelinePassed: (position: number, timeoutMs: number) => Promise<boolean>
  destinations?: DestinationEraser
  audit?: RegulationAuditSink
  /** What the access export reads of consent: history, preferences, workspace categories. */
  consent: {
    history: ConsentHistory
    preferences: Pick<PreferenceService, 'get'>
    categories: () => readonly string[]
  }
  onError: (error: unknown) => void
}): Promise<Regulations> {
  const { storage, clock } = options
  const store = storage.regulations
  const suppression = new SuppressionList()
  suppression.replaceAll(await store.suppressed())
  const restrictions = new RestrictionList()
  await restrictions.replaceAll(await store.restricted())
  const audit = options.audit ?? noAudit
  const destinations = options.destinations ?? noDestinations
  const builtIn: ReadonlySet<string> = new Set(BUILT_IN_IDENTIFIER_TYPES)
  const isKnownType = (type: string): boolean =>
    type !== 'group_id' &&
    (builtIn.has(type) ||
      options.rules.rules().custom.some((c) => c.collection === 'users' && c.type === type))
  const runner = startRegulationRunner({
    store,
    targets: relayedErasure(storage.erasure.targets, options.relay),
    finder: storage.erasure.finder,
    destinations,
    waitForPipeline: (position) => options.pipelinePassed(position, PIPELINE_WAIT_MS),
    clock,
    intervalMs: RUNNER_INTERVAL_MS,
    onError: options.onError,
  })
  const service = createRegulationService({
    store,
    profiles: storage.profileQuery,
    storeNames: storage.erasure.targets.map((t) => t.name),
    destinations,
    suppression,
    isKnownType,
    catchUp: options.catchUp,
    logHead: options.logHead,
    poke: () => runner.poke(),
    audit,
    clock,
  })
  const restriction = createRestrictionService({
    store,
    profiles: storage.profileQuery,
    list: restrictions,
    audit,
    clock,
  })
  const countStore = relayed(store, 'regulations', options.relay)
  const flush = async (): Promise<void> => {
    const counts = suppression.drainCounts()
    if (counts.length === 0) return
    try {
      await countStore.addSuppressedCounts(counts)
    } catch (error) {
      suppression.restore(counts)
      throw error
    }
  }
  const timer = setInterval(() => void flush().catch(options.onError), FLUSH_COUNTS_MS)
  timer.unref()
  return {
    suppression,
    restrictions,
    routes: {
      regulations: service,
      store,
      restrictions: restriction,
      corrections: createCorrectionService({
        store: storage.traitCorrections,
        profiles: storage.profileQuery,
        audit,
        clock,
      }),
      catchUp: options.catchUp,
      access: {
        profiles: storage.profileQuery,
        store,
        corrections: storage.traitCorrections,
        records: storage.subjectRecords,
        finder: storage.erasure.finder,
        consentHistory: options.consent.history,
        preferences: options.consent.preferences,
        categories: options.consent.categories,
        catchUp: options.catchUp,
        audit,
        now: () => clock.now(),
      },
    },
    flushCounts: flush,
    runner,
    async stop() {
      clearInterval(timer)
      await runner.stop()
      await flush().catch(options.onError)
    },
  }
}
