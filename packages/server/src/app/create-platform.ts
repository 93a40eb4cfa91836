import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import {
  createGroupCommitter,
  createLogTailer,
  type EventLog,
  type GroupCommitter,
} from '../events/index.js'
import {
  IngestService,
  RateLimiter,
  registerBrowserBundleRoutes,
  createRawTrackingHandler,
  isTrackingRequest,
  registerTrackingPreflight,
} from '../ingest/index.js'
import {
  createIdentityService,
  loadIdentityRules,
  type IdentityRulesHolder,
} from '../identity/index.js'
import type { Storage } from '../infra/storage.js'
import { createYieldSignal, type PipelineRunner } from '../pipeline/index.js'
import { createPlanService, type PlanService } from '../plans/index.js'
import type { ActivePlans } from '../plans/index.js'
import { systemClock, type Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import { createMetricsRegistry } from '../platform/metrics/index.js'
import {
  createSourceService,
  toManagedSource,
  type Source,
  type SourceService,
} from '../sources/index.js'
import { registerProfileApi } from '../api/profile-api-routes.js'
import type { AuditRecorder } from '../audit/index.js'
import type { RetentionService } from '../retention/index.js'
import { startQualityRuntime } from '../quality/index.js'
import { registerAdminApi } from './admin-api.js'
import { composeDelivery } from './compose-delivery.js'
import { composePrivacy } from './compose-privacy.js'
import { followerSettings } from './followers.js'
import { composeRegulations, type Regulations } from './compose-regulations.js'
import { composePreferences } from './compose-preferences.js'
import { composeGovernance } from './compose-governance.js'
import { compileTrustProxy, createClientIp, type TrustProxy } from './client-ip.js'
import { resolveAdminTokens } from './admin-token.js'
import type { TesseraConfig } from './config.js'
import { registerConsoleRoutes } from './console-routes.js'
import { registerHealthRoutes } from './health-routes.js'
import { registerPressureMetrics, startIngestPressure } from './ingest-pressure.js'
import { registerThreadHeapMetrics } from './thread-heap-metrics.js'
import { openStores, type OpenedStores, type Pipelines } from './open-storage.js'
import { createPlatformMetrics } from './platform-metrics.js'
import { planOutcomesOf } from './plan-outcomes.js'
import { createQuarantineReplayer } from './quarantine-replay.js'
import { syncedPlanService } from './synced-plans.js'
import { relayed, type RelaySwitch } from './store-relay.js'
import { startViolationDrain } from './violation-drain.js'

/**
 * How long an admin query waits for the pipeline to reach the log head: longer than SQLite's
 * busy timeout (5 s), so a store batch that waited out the lock and is retried still answers.
 */
const CATCH_UP_MS = 15_000
/** How long a graceful stop waits for the pipeline to apply the whole log. */
const SHUTDOWN_CATCH_UP_MS = 15_000
/** How often fully consumed log segments are released. */
const RELEASE_EVERY_MS = 30_000

/** A running platform. */
export interface Platform {
  readonly app: FastifyInstance
  /** Base URL it listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string
  readonly storage: Storage
  readonly log: EventLog
  readonly pipeline: PipelineRunner
  /** The store consumer and the steps after it (identity). */
  readonly pipelines: Pipelines
  readonly sources: SourceService
  /** Tracking plans (file and stored); also the {@link ActivePlans} the enforcement reads. */
  readonly plans: PlanService
  readonly committer: GroupCommitter
  /** Data-subject requests: suppression list, service, runner. */
  readonly regulations: Regulations
  /** Buffers audit entries and appends them in small batches (flushed on stop). */
  readonly audit: AuditRecorder
  readonly retention: RetentionService
  /** Where the generated admin token is stored, when no token is configured. */
  readonly adminTokenFile: string | null
  /** The source created on first start, if any. */
  readonly createdDefaultSource: Source | null
  adminTokens(): readonly string[]
  /**
   * Replaces the identifiers of people whose processing is restricted (restriction of
   * processing): routing keeps them out of destinations marked `marketing: true`.
   */
  setRestrictedSubjects(identifiers: Array<{ type: string; value: string }>): Promise<void>
  /** Applies a new config's sources and admin tokens without dropping requests. */
  applyConfig(config: Readonly<TesseraConfig>): void
  /**
   * Stops accepting connections, lets in-flight requests finish (each resolves only after its
   * log append is durable), flushes the group committer, gives the pipeline a moment to catch
   * up (what it has not applied is applied at the next start), and closes the stores.
   * Idempotent.
   */
  stop(): Promise<void>
}

export interface StartOptions {
  config: Readonly<TesseraConfig>
  logger: Logger
  clock?: Clock
  /** Use these stores instead of opening the configured ones (tests). */
  stores?: OpenedStores
  /** Create a default source when none exists (first start). Default true. */
  createDefaultSource?: boolean
  /**
   * The tracking plans the store step enforces per source. Default: none (every event
   * passes unchecked). The plan store provides them in production; tests pass their own.
   */
  activePlans?: ActivePlans
}

/** Builds every part in dependency order and listens. On a failure, what was built is closed. */
export async function startPlatform(options: StartOptions): Promise<Platform> {
  const { config, logger } = options
  const clock = options.clock ?? systemClock
  const stores = options.stores ?? (await openStores(config.storage))
  try {
    return await compose(options, stores, clock, logger)
  } catch (error) {
    await stores.close()
    throw error
  }
}

async function ensureDefaultSource(
  sources: SourceService,
  wanted: boolean,
): Promise<Source | null> {
  if (!wanted || sources.list().length > 0) return null
  return sources.create({ name: 'Default source' })
}

/**
 * Logs a warning for each source a file plan connects that no source has (yet): with sources
 * defined through the API the config check cannot know them, so start goes on.
 */
function warnUnknownPlanSources(
  config: Readonly<TesseraConfig>,
  sources: SourceService,
  logger: Logger,
): void {
  for (const plan of config.trackingPlans ?? []) {
    for (const source of plan.sources) {
      if (sources.get(source.id) === null) {
        logger.warn(
          { planId: plan.id, sourceId: source.id },
          'tracking plan connects an unknown source',
        )
      }
    }
  }
}

async function compose(
  options: StartOptions,
  stores: OpenedStores,
  clock: Clock,
  logger: Logger,
): Promise<Platform> {
  const { storage, log } = stores
  let config = options.config
  const managed = (c: Readonly<TesseraConfig>): Source[] =>
    c.sources.map((s) => toManagedSource(s, clock.now()))
  const sources = await createSourceService({
    store: storage.sources,
    managed: managed(config),
    clock,
  })
  const createdDefaultSource = await ensureDefaultSource(
    sources,
    options.createDefaultSource ?? true,
  )
  let admin = resolveAdminTokens(config.adminTokens, config.storage.dataDir)
  const plans = createPlanService({
    store: storage.plans,
    clock,
    filePlans: () => config.trackingPlans ?? null,
    sourceExists: (id) => sources.get(id) !== null,
  })
  warnUnknownPlanSources(config, sources, logger)

  const registry = createMetricsRegistry()
  const metrics = createPlatformMetrics(registry)
  const onError = (error: unknown): void => logger.error({ err: error }, 'background failure')
  // Embedded: background writes run on the store worker once it is up (ADR 8).
  const relay: RelaySwitch = { current: null }
  const governance = await composeGovernance({ config, storage, clock, logger, registry, relay })
  const identityRules = await loadIdentityRules({
    store: storage.identityStore,
    fileConfig: config.identity ?? null,
    onInvalid: (issues) =>
      logger.warn({ issues }, 'stored identity rules are invalid; the defaults apply'),
  })
  const preferences = await composePreferences({ storage, clock, onError })
  const delivery = await composeDelivery({
    config,
    storage,
    logHead: () => log.head(),
    logger,
    clock,
    registry,
    optOuts: preferences.initial,
    onError,
  })
  const activePlans = options.activePlans ?? plans
  const drainRef: { poke?: () => void } = {}
  const privacy = composePrivacy({ config, storage, sources })
  preferences.connect((entries) => delivery.setOptOuts(entries))
  // Raised while the tracking API is under pressure: every pipeline consumer holds its next
  // batch (at most maxPauseMs) so the request path has the cores (ingest-pressure.ts).
  const yieldSignal = createYieldSignal(config.pipeline.yieldToIngest.maxPauseMs)
  const followers = await stores
    .startFollowers(followerSettings(config), onError, yieldSignal)
    .catch(async (error: unknown) => {
      await preferences.stop()
      await delivery.stop()
      throw error
    })
  const pipelines = await stores
    .startPipeline(
      {
        onError,
        onApplied: (info) => {
          metrics.onApplied(info)
          delivery.poke()
          drainRef.poke?.()
          followers.poke(info.offset)
        },
        onIdentity: metrics.onIdentity,
      },
      { identityRules, activePlans, pii: privacy.runtime().ingestRules, yieldSignal },
    )
    .catch(async (error: unknown) => {
      await followers.stop()
      await preferences.stop()
      await delivery.stop()
      throw error
    })
  const pipeline = pipelines.store
  // Embedded: the background writes `RELAYED` lists (store-relay.ts) commit on the store
  // worker, never on the event loop.
  relay.current = pipelines.relay ?? null
  // API edits and config reloads reach the resolver wherever it runs (worker or in process).
  const rules: IdentityRulesHolder = {
    rules: () => identityRules.rules(),
    config: () => identityRules.config(),
    managed: identityRules.managed,
    replace(next) {
      identityRules.replace(next)
      pipelines.setIdentityRules(next)
    },
  }
  const identity = createIdentityService({
    store: storage.identityStore,
    query: storage.profileQuery,
    clock,
    rules,
  })
  const tailer = createLogTailer(log, { intervalMs: 500, onError })
  let appended = 0
  const committer = createGroupCommitter(log, {
    onFlush(info) {
      appended += info.count
      metrics.commits.onFlush(info)
      pipeline.poke(info.result.last)
      tailer.poke()
    },
  })
  const pressure = startIngestPressure({
    signal: yieldSignal,
    settings: () => config.pipeline.yieldToIngest,
    accepted: () => appended,
  })
  registerPressureMetrics(registry, pressure, yieldSignal)
  registerThreadHeapMetrics(registry, () => [
    ...(pipelines.threadHeaps?.() ?? []),
    ...(followers.threadHeaps?.() ?? []),
    ...delivery.threadHeaps(),
  ])
  metrics.watchLog(log, pipeline, pipelines.identity, () => committer.pending(), {
    fields: followers.fields,
    quality: followers.counters,
  })
  const violationDrain = startViolationDrain({
    outbox: relayed(storage.violationOutbox, 'outbox', relay),
    committer,
    sources,
    clock,
    intervalMs: 1000,
    onError,
  })
  drainRef.poke = () => violationDrain.poke()
  const replayer = createQuarantineReplayer({
    quarantine: storage.quarantine,
    committer,
    clock,
    refreshPlans: () => pipelines.refreshPlans(),
  })
  let serverUrl = `http://${config.server.host}:${config.server.port}`
  const qualityRuntime = startQualityRuntime({
    counters: storage.qualityCounters,
    consumer: followers.counters,
    alerts: relayed(storage.qualityAlerts, 'qualityAlerts', relay),
    identity: storage.identityMatch,
    plans: planOutcomesOf(plans, storage.quarantine),
    committer,
    config: config.dataQuality,
    serverUrl: () => serverUrl,
    now: () => clock.now(),
    storePosition: () => pipeline.position(),
    storeCaughtUp: async () => {
      await pipeline.waitFor(await log.head(), CATCH_UP_MS)
    },
    onError,
  })
  const refresh = setInterval(() => void sources.refresh().catch(onError), 5000)
  refresh.unref()
  const release = setInterval(
    () => void log.release(pipeline.position()).catch(onError),
    RELEASE_EVERY_MS,
  )
  release.unref()

  const catchUp = async (): Promise<void> => {
    await pipeline.waitFor(await log.head(), CATCH_UP_MS)
  }
  const identityCatchUp = async (): Promise<void> => {
    await catchUp()
    await pipelines.identity.waitFor(pipeline.position(), CATCH_UP_MS)
  }
  const regulations = await composeRegulations({
    storage,
    relay,
    rules,
    clock,
    catchUp: identityCatchUp,
    logHead: () => log.head(),
    pipelinePassed: async (position, timeoutMs) =>
      (await pipeline.waitFor(position, timeoutMs)) &&
      (await pipelines.identity.waitFor(position, timeoutMs)),
    destinations: delivery.eraser,
    consent: {
      history: storage.consentHistory,
      preferences: preferences.service,
      categories: () => config.consent.categories.map((c) => c.id),
    },
    audit: {
      // Domain entries (what a request did: subjects, profiles) beside the request's own entry.
      record: (entry) =>
        governance.recorder.record({
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          target: { type: entry.action.split('.')[0] ?? 'regulation', id: entry.target },
          outcome: 'ok',
          requestId: null,
          ip: null,
          details: entry.details,
        }),
    },
    onError,
  })
  // Restricted people stay out of marketing destinations: the engine follows the list.
  await regulations.restrictions.follow((ids) => delivery.setRestricted([...ids]))
  const service = new IngestService({
    sources,
    committer,
    rateLimiter: new RateLimiter(clock),
    clock,
    metrics: metrics.ingest,
    suppression: regulations.suppression,
  })
  let stopping = false
  const trustProxy = compileTrustProxy(config.server.trustProxy)
  const tracking = createRawTrackingHandler({
    service,
    metrics: metrics.ingest,
    clientIp: createClientIp(trustProxy),
    isClosing: () => stopping,
    onError: (err, req) =>
      logger.error({ err, method: req.method, url: req.url }, 'tracking request failed'),
  })
  const app = buildFastify({ logger, trustProxy, tracking })
  registerTrackingPreflight(app)
  registerBrowserBundleRoutes(app, { sources })
  registerHealthRoutes(app, { ping: () => storage.ping(), registry, isStopping: () => stopping })
  await registerProfileApi(app, {
    onResponse: governance.profileAudit.onResponse,
    profiles: storage.profileQuery,
    spaceId: () => config.profileApi.spaceId,
    tokens: () => config.profileApi.tokens,
    onError: (error, requestId) =>
      logger.error({ err: error, requestId }, 'profile API request failed'),
  })
  const adminAudit = await registerAdminApi(app, {
    audit: { store: storage.audit, recorder: governance.recorder, clock },
    retention: governance.retention,
    sources,
    eventQuery: storage.eventQuery,
    clock,
    writeKeyGraceSeconds: () => config.ingest.writeKeyGraceSeconds,
    catchUp: async () => {
      await catchUp()
      await regulations.flushCounts()
    },
    identityRoutes: {
      profiles: storage.profileQuery,
      identity,
      catchUp: identityCatchUp,
    },
    destinationRoutes: delivery.routes,
    trackingPlanRoutes: { plans: syncedPlanService(plans, () => pipelines.refreshPlans()) },
    quarantineRoutes: {
      quarantine: storage.quarantine,
      replayer,
      sources,
      clock,
      catchUp,
    },
    privacyRoutes: privacy.routes,
    regulationRoutes: regulations.routes,
    consentRoutes: {
      profiles: storage.profileQuery,
      consentHistory: storage.consentHistory,
      preferences: preferences.service,
      categories: () => config.consent.categories.map((c) => c.id),
      catchUp: async () => {
        await catchUp()
        await pipelines.identity.waitFor(pipeline.position(), CATCH_UP_MS)
      },
    },
    quality: qualityRuntime.service,
    adminTokens: () => admin.tokens,
    tailer,
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'admin request failed'),
  })
  await registerConsoleRoutes(app)
  governance.start(adminAudit)

  const address = await app.listen({ port: config.server.port, host: config.server.host })
  const url = address.replace('[::1]', 'localhost')
  serverUrl = url
  let stopped: Promise<void> | null = null
  return {
    app,
    url,
    storage,
    log,
    pipeline,
    pipelines,
    sources,
    plans,
    committer,
    regulations,
    audit: governance.recorder,
    retention: governance.retention,
    adminTokenFile: admin.tokenFile,
    createdDefaultSource,
    adminTokens: () => admin.tokens,
    setRestrictedSubjects: (identifiers) => delivery.setRestricted(identifiers),
    applyConfig(next) {
      governance.applyConfig(config, next)
      config = next
      sources.setManaged(managed(next))
      plans.fileChanged()
      pipelines
        .refreshPlans()
        .catch((error: unknown) =>
          logger.error(
            { err: error },
            'could not send the reloaded tracking plans to the store step',
          ),
        )
      warnUnknownPlanSources(next, sources, logger)
      admin = resolveAdminTokens(next.adminTokens, next.storage.dataDir)
      if (rules.managed && next.identity) rules.replace(next.identity)
      privacy.applyConfig(next)
      followers.applySettings(followerSettings(next))
      pipelines.setPiiRules(privacy.runtime().ingestRules)
      qualityRuntime.applyConfig(next.dataQuality)
      delivery
        .applyConfig(next)
        .catch((error: unknown) =>
          logger.error(
            { err: error },
            'destinations in the reloaded config are invalid; kept the previous ones',
          ),
        )
    },
    stop() {
      stopped ??= (async () => {
        stopping = true
        // Nothing of the pipeline waits for a request path that is closing.
        pressure.stop()
        clearInterval(refresh)
        clearInterval(release)
        await app.close()
        await violationDrain.stop()
        await governance.stopJobs()
        await committer.drain()
        tailer.stop()
        // Let the store catch up so a clean stop leaves nothing to replay; what remains (if
        // the wait runs out) is applied from the durable log at the next start.
        await pipeline.waitFor(await log.head(), SHUTDOWN_CATCH_UP_MS)
        await regulations.stop()
        // Writes from here on (the audit's final flush) go straight to the stores.
        relay.current = null
        await pipeline.stop()
        await followers.stop()
        await preferences.stop()
        await qualityRuntime.stop()
        await delivery.stop()
        // After every request and job that records: nothing is left in the buffer.
        await governance.close()
        await stores.close()
      })()
      return stopped
    },
  }
}

/**
 * Fastify for everything but the tracking API's POST routes, which a bare `node:http` handler
 * serves on the same server (docs/adr/0004-tracking-hot-path.md).
 */
function buildFastify(options: {
  logger: Logger
  trustProxy: TrustProxy | false
  tracking: (req: IncomingMessage, res: ServerResponse) => void
}): FastifyInstance {
  const { logger, trustProxy, tracking } = options
  // Fastify's own logger type; pino's Logger satisfies it.
  const fastifyLogger: FastifyBaseLogger = logger
  const app = Fastify({
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy,
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    serverFactory: (handler) =>
      createServer((req, res) => (isTrackingRequest(req) ? tracking(req, res) : handler(req, res))),
  })
  app.addHook('onResponse', (request, reply, done) => {
    const path = request.url.split('?')[0]
    const level = path?.startsWith('/v1/') && reply.statusCode < 400 ? 'debug' : 'info'
    request.log[level](
      { method: request.method, path, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    )
    done()
  })
  return app
}
