import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { createGroupCommitter, createLogTailer, type GroupCommitter } from '../events/index.js'
import { IngestService, RateLimiter, registerBrowserBundleRoutes, registerTrackingRoutes } from '../ingest/index.js'
import type { Storage } from '../infra/storage.js'
import { systemClock, type Clock } from '../platform/clock.js'
import { createFeed } from '../platform/feed.js'
import type { Logger } from '../platform/logger/index.js'
import { createMetricsRegistry } from '../platform/metrics/index.js'
import type { RejectedRecord } from '../protocol/index.js'
import { createSourceService, toManagedSource, type Source, type SourceService } from '../sources/index.js'
import { registerAdminApi } from './admin-api.js'
import { resolveAdminTokens } from './admin-token.js'
import type { TesseraConfig } from './config.js'
import { registerConsoleRoutes } from './console-routes.js'
import { registerHealthRoutes } from './health-routes.js'
import { openStorage } from './open-storage.js'
import { createPlatformMetrics } from './platform-metrics.js'

/** A running platform. */
export interface Platform {
  readonly app: FastifyInstance
  /** Base URL it listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string
  readonly storage: Storage
  readonly sources: SourceService
  readonly committer: GroupCommitter
  /** Where the generated admin token is stored, when no token is configured. */
  readonly adminTokenFile: string | null
  /** The source created on first start, if any. */
  readonly createdDefaultSource: Source | null
  adminTokens(): readonly string[]
  /** Applies a new config's sources and admin tokens without dropping requests. */
  applyConfig(config: Readonly<TesseraConfig>): void
  /**
   * Stops accepting connections, lets in-flight requests finish (each resolves only after its
   * commit), flushes the group committer and closes the store. Idempotent.
   */
  stop(): Promise<void>
}

export interface StartOptions {
  config: Readonly<TesseraConfig>
  logger: Logger
  clock?: Clock
  /** Use this storage instead of opening the configured one (tests). */
  storage?: Storage
  /** Create a default source when none exists (first start). Default true. */
  createDefaultSource?: boolean
}

/** Builds every part in dependency order and listens. On a failure, what was built is closed. */
export async function startPlatform(options: StartOptions): Promise<Platform> {
  const { config, logger } = options
  const clock = options.clock ?? systemClock
  const storage = options.storage ?? (await openStorage(config.storage))
  try {
    return await compose(options, storage, clock, logger)
  } catch (error) {
    await storage.close()
    throw error
  }
}

async function ensureDefaultSource(sources: SourceService, wanted: boolean): Promise<Source | null> {
  if (!wanted || sources.list().length > 0) return null
  return sources.create({ name: 'Default source' })
}

/** A hop count becomes Fastify's function form: trust the first `n` proxies. */
function trustProxyOption(value: boolean | number | readonly string[]): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_addr, hop) => hop < value
  return typeof value === 'boolean' ? value : [...value]
}

async function compose(options: StartOptions, storage: Storage, clock: Clock, logger: Logger): Promise<Platform> {
  let config = options.config
  const managed = (c: Readonly<TesseraConfig>): Source[] => c.sources.map((s) => toManagedSource(s, clock.now()))
  const sources = await createSourceService({ store: storage.sources, managed: managed(config), clock })
  const createdDefaultSource = await ensureDefaultSource(sources, options.createDefaultSource ?? true)
  let admin = resolveAdminTokens(config.adminTokens, config.storage.dataDir)

  const registry = createMetricsRegistry()
  const metrics = createPlatformMetrics(registry)
  const onError = (error: unknown): void => logger.error({ err: error }, 'background failure')
  const rejections = createFeed<RejectedRecord>(onError)
  const tailer = createLogTailer(storage.eventLog, { intervalMs: 500, onError })
  const committer = createGroupCommitter(storage.eventLog, {
    onFlush(info) {
      metrics.commits.onFlush(info)
      rejections.publish(info.rejected)
      tailer.poke()
    },
  })
  metrics.watchLog(storage.eventLog, tailer, () => committer.pending())
  const refresh = setInterval(() => void sources.refresh().catch(onError), 5000)
  refresh.unref()

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(config.server.trustProxy),
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  })
  app.addHook('onResponse', (request, reply, done) => {
    const path = request.url.split('?')[0]
    const level = path?.startsWith('/v1/') && reply.statusCode < 400 ? 'debug' : 'info'
    request.log[level]({ method: request.method, path, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request')
    done()
  })
  const service = new IngestService({ sources, committer, rateLimiter: new RateLimiter(clock), clock, metrics: metrics.ingest })
  await app.register((scope, _opts, done) => {
    registerTrackingRoutes(scope, { service, metrics: metrics.ingest, onError: (err, req) => req.log.error({ err }, 'tracking request failed') })
    done()
  })
  registerBrowserBundleRoutes(app, { sources })
  let stopping = false
  registerHealthRoutes(app, { ping: () => storage.ping(), registry, isStopping: () => stopping })
  await registerAdminApi(app, {
    sources,
    eventQuery: storage.eventQuery,
    clock,
    writeKeyGraceSeconds: () => config.ingest.writeKeyGraceSeconds,
    adminTokens: () => admin.tokens,
    tailer,
    rejections,
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'admin request failed'),
  })
  await registerConsoleRoutes(app)

  const address = await app.listen({ port: config.server.port, host: config.server.host })
  const url = address.replace('[::1]', 'localhost')
  let stopped: Promise<void> | null = null
  return {
    app,
    url,
    storage,
    sources,
    committer,
    adminTokenFile: admin.tokenFile,
    createdDefaultSource,
    adminTokens: () => admin.tokens,
    applyConfig(next) {
      config = next
      sources.setManaged(managed(next))
      admin = resolveAdminTokens(next.adminTokens, next.storage.dataDir)
    },
    stop() {
      stopped ??= (async () => {
        stopping = true
        clearInterval(refresh)
        await app.close()
        await committer.drain()
        tailer.stop()
        await storage.close()
      })()
      return stopped
    },
  }
}
