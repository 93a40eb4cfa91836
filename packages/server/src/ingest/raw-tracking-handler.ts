import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError, PlatformErrors } from '../platform/errors/index.js'
import { MAX_EVENT_BYTES } from '../protocol/normalize-event.js'
import { decodeBody, isIdentityEncoding } from './decode-body.js'
import { IngestErrors } from './errors.js'
import type { IngestMetrics } from './ingest-metrics.js'
import type { IngestRoute, IngestService } from './ingest-service.js'

/** Largest decoded batch body (Segment: 500 KB). */
export const MAX_BATCH_BYTES = 500 * 1024
/** Largest body read off the wire, before decompression. */
const MAX_WIRE_BYTES = 1024 * 1024

/** The tracking routes: Segment's names, the one-letter ones analytics.js and SDKs use. */
export const TRACKING_ROUTES: Readonly<Record<string, IngestRoute>> = {
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

const SUCCESS = '{"success":true}'
const JSON_TYPE = 'application/json; charset=utf-8'
/** Headers of the common answer: a constant object (`writeHead` only reads it). */
const SUCCESS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': JSON_TYPE,
  'content-length': String(Buffer.byteLength(SUCCESS)),
})

export interface RawTrackingDeps {
  service: IngestService
  metrics: IngestMetrics
  /** The client address of a request (applies the trusted-proxy setting). */
  clientIp: (req: IncomingMessage) => string | undefined
  /** True while the server shuts down: new requests get 503. */
  isClosing: () => boolean
  onError: (error: unknown, req: IncomingMessage) => void
}

/**
 * Writes the whole answer at once, with a `Content-Length` (no chunked framing) and, for a
 * browser request, the CORS headers echoing its origin.
 */
function send(
  req: IncomingMessage,
  res: ServerResponse,
  answer: { status: number; headers: Readonly<Record<string, string>>; body: string },
): void {
  const origin = req.headers.origin
  if (answer.headers === SUCCESS_HEADERS && answer.body === SUCCESS && origin === undefined) {
    res.writeHead(answer.status, SUCCESS_HEADERS)
    res.end(SUCCESS)
    return
  }
  const headers: Record<string, string> = {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  }
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin
    headers['access-control-allow-credentials'] = 'true'
    headers.vary = 'Origin'
  }
  res.writeHead(answer.status, headers)
  res.end(answer.body)
}

/** A tracking-API error body and its headers: `{success:false, error:{code, message}}`. */
export function trackingErrorResponse(error: AppError): {
  status: number
  headers: Record<string, string>
  body: string
} {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE }
  if (error.code === IngestErrors.rateLimited.code) {
    const retry = error.details?.retryAfterSeconds
    const seconds = String(typeof retry === 'number' ? retry : 1)
    headers['retry-after'] = seconds
    headers['x-ratelimit-reset'] = seconds
  }
  const body = JSON.stringify({
    success: false,
    error: { code: error.code, message: error.message },
  })
  return { status: error.httpStatus, headers, body }
}

/** Reads the body up to `limit` bytes; rejects with `tooLarge()` beyond it. */
function readBody(req: IncomingMessage, limit: number, tooLarge: () => AppError): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () =>
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size)),
    )
    req.on('error', reject)
  })
}

/**
 * The hot path of the tracking API, on bare `node:http` rather than through Fastify's router
 * (which alone costs about half the request rate of a bare server here; see
 * docs/adr/0004-tracking-hot-path.md). Handles `POST /v1/<route>`: reads the raw body whatever
 * the content type (browsers send `text/plain`), undoes gzip/deflate with an output cap,
 * enforces 32 KB per event and 500 KB per batch, calls the {@link IngestService} and answers
 * `{"success":true}` once every accepted event is durable. `/v1/m` (client metrics) is accepted
 * and discarded. Never answers 5xx to bad input.
 */
export function createRawTrackingHandler(
  deps: RawTrackingDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  async function readPayload(req: IncomingMessage, route: IngestRoute): Promise<Buffer> {
    const isBatch = route === 'batch'
    const tooLarge = isBatch ? IngestErrors.payloadTooLarge : IngestErrors.eventTooLarge
    const raw = await readBody(req, isBatch ? MAX_WIRE_BYTES : MAX_WIRE_BYTES / 2, tooLarge)
    const limit = isBatch ? MAX_BATCH_BYTES : MAX_EVENT_BYTES
    const encoding = req.headers['content-encoding']
    if (!isIdentityEncoding(encoding)) return decodeBody(raw, encoding, limit, tooLarge)
    if (raw.length > limit) throw tooLarge()
    return raw
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    routeName: string,
    started: number,
  ): Promise<void> {
    const route = TRACKING_ROUTES[routeName]
    try {
      if (deps.isClosing()) throw IngestErrors.shuttingDown()
      if (routeName === 'm') {
        req.resume()
        send(req, res, { status: 200, headers: SUCCESS_HEADERS, body: SUCCESS })
        return
      }
      if (route === undefined) throw IngestErrors.unknownRoute()
      const body = await readPayload(req, route)
      const result = await deps.service.ingest({
        route,
        body,
        authorization: req.headers.authorization,
        origin: req.headers.origin,
        ip: deps.clientIp(req),
      })
      const text =
        result.rejected.length === 0
          ? SUCCESS
          : JSON.stringify({ success: true, rejected: result.rejected })
      send(req, res, { status: 200, headers: SUCCESS_HEADERS, body: text })
      deps.metrics.request(route, 'accepted', (performance.now() - started) / 1000)
    } catch (error) {
      const appError =
        error instanceof AppError ? error : PlatformErrors.internal(undefined, { cause: error })
      if (
        appError.httpStatus >= 500 &&
        appError.code !== IngestErrors.unavailable.code &&
        appError.code !== IngestErrors.shuttingDown.code
      ) {
        deps.onError(error, req)
      }
      const response = trackingErrorResponse(appError)
      if (!req.complete) response.headers.connection = 'close'
      send(req, res, response)
      deps.metrics.request(route ?? 'unknown', appError.code, (performance.now() - started) / 1000)
    }
  }

  return (req, res) => {
    const url = req.url ?? '/'
    const end = url.indexOf('?')
    const routeName = url.slice(4, end === -1 ? undefined : end)
    void handle(req, res, routeName, performance.now())
  }
}

/** True for requests the raw handler serves: `POST /v1/<one segment>`. */
export function isTrackingRequest(req: IncomingMessage): boolean {
  const url = req.url
  return (
    req.method === 'POST' &&
    url !== undefined &&
    url.startsWith('/v1/') &&
    url.indexOf('/', 4) === -1
  )
}
