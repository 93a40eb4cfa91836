import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, PlatformErrors } from '../platform/errors/index.js'
import { MAX_EVENT_BYTES } from '../protocol/normalize-event.js'
import { decodeBody } from './decode-body.js'
import { IngestErrors } from './errors.js'
import type { IngestMetrics } from './ingest-metrics.js'
import type { IngestRoute, IngestService } from './ingest-service.js'

/** Largest decoded batch body (Segment: 500 KB). */
export const MAX_BATCH_BYTES = 500 * 1024
/** Largest body Fastify reads off the wire, before decompression. */
const MAX_WIRE_BYTES = 1024 * 1024

const ROUTES: Record<string, IngestRoute> = {
  identify: 'identify',
  i: 'identify',
  track: 'track',
  t: 'track',
  page: 'page',
  p: 'page',
  screen: 'screen',
  s: 'screen',
  group: 'group',
  g: 'group',
  alias: 'alias',
  a: 'alias',
  batch: 'batch',
  b: 'batch',
  import: 'batch',
}

const CORS_HEADERS = 'Content-Type, Authorization, Content-Encoding, X-Retry-Count'
const SUCCESS = '{"success":true}'

function setCors(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin
  if (origin === undefined) return
  reply.header('access-control-allow-origin', origin)
  reply.header('access-control-allow-credentials', 'true')
  reply.header('vary', 'Origin')
}

/** Sends a tracking-API error: `{success:false, error:{code, message}}`, with 429 headers. */
export function sendTrackingError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.code === IngestErrors.rateLimited.code) {
    const retry = error.details?.retryAfterSeconds
    const seconds = String(typeof retry === 'number' ? retry : 1)
    reply.header('retry-after', seconds)
    reply.header('x-ratelimit-reset', seconds)
  }
  return reply
    .code(error.httpStatus)
    .type('application/json')
    .send({ success: false, error: { code: error.code, message: error.message } })
}

/** Maps Fastify's own body errors for tracking routes onto our codes. */
function toAppError(error: unknown, route: IngestRoute | undefined): AppError {
  if (error instanceof AppError) return error
  const code = (error as { code?: string }).code
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return route === 'batch' ? IngestErrors.payloadTooLarge() : IngestErrors.eventTooLarge()
  }
  if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) {
    return IngestErrors.invalidJson((error as Error).message)
  }
  return PlatformErrors.internal(undefined, { cause: error })
}

/**
 * Registers Segment's tracking API: `POST /v1/{identify,track,page,screen,group,alias,batch,
 * import}`, the one-letter routes analytics.js and the mobile SDKs use, `/v1/m` (client
 * metrics, accepted and discarded) and CORS preflight. Bodies are read raw whatever the
 * content type (browsers send `text/plain`), decompressed, size-checked and handed to the
 * {@link IngestService}. A 200 means every accepted event is durable.
 */
export function registerTrackingRoutes(
  app: FastifyInstance,
  deps: {
    service: IngestService
    metrics: IngestMetrics
    onError: (error: unknown, request: FastifyRequest) => void
  },
): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: MAX_WIRE_BYTES },
    (_req, body, done) => done(null, body),
  )
  app.setErrorHandler((error, request, reply) => {
    const route = ROUTES[(request.params as { route?: string }).route ?? '']
    const appError = toAppError(error, route)
    if (appError.httpStatus >= 500) deps.onError(error, request)
    setCors(request, reply)
    deps.metrics.request(route ?? 'unknown', appError.code, reply.elapsedTime / 1000)
    return sendTrackingError(reply, appError)
  })

  app.options('/v1/*', (request, reply) => {
    setCors(request, reply)
    reply.header('access-control-allow-methods', 'POST, OPTIONS')
    reply.header('access-control-allow-headers', CORS_HEADERS)
    reply.header('access-control-max-age', '86400')
    return reply.code(204).send()
  })

  app.post('/v1/m', (request, reply) => {
    setCors(request, reply)
    return reply.type('application/json').send(SUCCESS)
  })

  app.post<{ Params: { route: string } }>('/v1/:route', async (request, reply) => {
    const route = ROUTES[request.params.route]
    if (route === undefined) {
      return sendTrackingError(reply, IngestErrors.unknownRoute())
    }
    setCors(request, reply)
    const limit = route === 'batch' ? MAX_BATCH_BYTES : MAX_EVENT_BYTES
    const tooLarge =
      route === 'batch' ? () => IngestErrors.payloadTooLarge() : () => IngestErrors.eventTooLarge()
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const body = await decodeBody(raw, request.headers['content-encoding'], limit, tooLarge)
    const result = await deps.service.ingest({
      route,
      body,
      authorization: request.headers.authorization,
      origin: request.headers.origin,
      ip: request.ip,
    })
    deps.metrics.request(route, 'accepted', reply.elapsedTime / 1000)
    if (result.rejected.length === 0) return reply.type('application/json').send(SUCCESS)
    return reply.type('application/json').send({ success: true, rejected: result.rejected })
  })
}
