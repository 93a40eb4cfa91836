/**
 * Routes every request the catalog makes through Tessera's {@link HttpClient} port.
 *
 * actions-core sends all requests with `(0, fetch_1.default)(request)`, reading the `default`
 * export of its `dist/cjs/fetch.js` at each call (cross-fetch → node-fetch 2). The bridge
 * replaces that export once per process with a function that turns the node-fetch `Request`
 * into an {@link HttpRequest}, sends it with the HttpClient of the delivery that made it, and
 * answers with a node-fetch `Response` built from the module's own class (actions-core checks
 * `instanceof Response`). Which client to use comes from an AsyncLocalStorage context that the
 * driver opens around each `onEvent` / `onBatch` call, so destinations with different clients
 * (or a test's and production's) can run at the same time in one process.
 *
 * A request made outside any context (a catalog timer firing after its delivery, or another
 * user of actions-core in the process) is refused with `EGRESS_BLOCKED`: nothing leaves the
 * process except through a delivery's client. The replacement is never undone.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  HttpTransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../http-client.js'
import { loadRuntime, type FetchModule, type FetchRequest, type FetchResponse } from './core.js'

/** One request and its answer (null when none came), as the client saw them; not masked. */
export interface Exchange {
  request: HttpRequest
  response: HttpResponse | null
}

/** What the bridge needs for the requests of one `onEvent` / `onBatch` call. */
export interface BridgeContext {
  http: HttpClient
  /** Passed to each request as its timeout. */
  timeoutMs: number
  /** Requests sent in this context so far. */
  requests: number
  /** The most recent exchange (for samples); set before the request is sent. */
  last: Exchange | null
}

const storage = new AsyncLocalStorage<BridgeContext>()
let installed = false

/** Replaces actions-core's fetch with the bridge. Idempotent; loads actions-core if needed. */
export function installBridge(): void {
  if (installed) return
  const { fetchModule } = loadRuntime()
  fetchModule.default = (request) => bridgedFetch(fetchModule, request)
  installed = true
}

/** Runs `fn` with the catalog's requests going to `context.http`. */
export function runWithHttp<T>(context: BridgeContext, fn: () => Promise<T>): Promise<T> {
  installBridge()
  return storage.run(context, fn)
}

/** A fresh context for one call. */
export function createBridgeContext(http: HttpClient, timeoutMs: number): BridgeContext {
  return { http, timeoutMs, requests: 0, last: null }
}

async function bridgedFetch(module: FetchModule, request: FetchRequest): Promise<FetchResponse> {
  const context = storage.getStore()
  if (!context) {
    throw new HttpTransportError(
      'EGRESS_BLOCKED',
      `catalog request to ${originOf(request.url)} made outside a delivery: refused`,
    )
  }
  const httpRequest = await toHttpRequest(request, context.timeoutMs)
  const exchange: Exchange = { request: httpRequest, response: null }
  context.last = exchange
  context.requests += 1
  const response = await context.http.send(httpRequest)
  exchange.response = response
  return new module.Response(response.body, {
    status: response.status,
    headers: response.headers,
    url: request.url,
  })
}

async function toHttpRequest(request: FetchRequest, timeoutMs: number): Promise<HttpRequest> {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value
  })
  const method = request.method.toUpperCase()
  const body = method === 'GET' || method === 'HEAD' ? undefined : await request.buffer()
  const out: HttpRequest = { method, url: request.url, headers, timeoutMs }
  if (body && body.length > 0) out.body = body
  if (request.signal) out.signal = request.signal
  return out
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'an invalid URL'
  }
}
