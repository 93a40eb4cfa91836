/**
 * The {@link HttpClient} port on undici: one shared keep-alive `Agent` for every destination,
 * so connections to a destination's origin are reused across batches and drivers.
 */
import { Agent, request as undiciRequest } from 'undici'
import {
  HttpTransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../../destinations/http-client.js'
import { guardedLookup, isBlockedAddress } from './egress-guard.js'
import { startDeadline } from './exchange-deadline.js'
import { readCappedBody } from './read-capped-body.js'
import { toTransportError } from './transport-error.js'

export interface UndiciHttpClientOptions {
  /** Connections per origin (default 32). Requests beyond it queue in the agent. */
  connectionsPerOrigin?: number
  /** Idle time before a pooled connection closes, in ms (default 10 s; a server hint wins when shorter). */
  keepAliveTimeoutMs?: number
  /** Response bodies are truncated past this many bytes (default 64 KB). */
  maxResponseBytes?: number
  /** The `user-agent` header, unless a request sets its own (default `Tessera`; use `Tessera/<version>`). */
  userAgent?: string
  /**
   * Host → origin redirections: `{ "api.mixpanel.com": "http://127.0.0.1:9999" }` sends every
   * request for that host (matched on `host:port` first, then on the host name) to that
   * origin instead, path and query unchanged, with the original host in `x-forwarded-host`.
   * For tests, sandboxes and egress proxies. Overridden requests skip the egress guard.
   */
  hostOverrides?: Readonly<Record<string, string>>
  /**
   * When true, connections to loopback, link-local, private, multicast and reserved
   * addresses are refused with `EGRESS_BLOCKED`, checked after DNS resolution (default false).
   */
  blockPrivateAddresses?: boolean
}

function parseOverrides(overrides: Readonly<Record<string, string>>): Map<string, string> {
  const parsed = new Map<string, string>()
  for (const [host, origin] of Object.entries(overrides)) {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`hostOverrides.${host}: ${origin} is not an http(s) origin`)
    }
    parsed.set(host.toLowerCase(), url.origin)
  }
  return parsed
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
  }
  return flat
}

function parseTarget(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch (error) {
    throw new HttpTransportError('INVALID_URL', 'invalid URL', { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpTransportError('INVALID_URL', `unsupported protocol ${url.protocol}`)
  }
  return url
}

/**
 * Sends requests through a shared undici agent. Never retries; resolves with any HTTP answer
 * and rejects only with {@link HttpTransportError}. The whole exchange (connect, headers,
 * body) is bounded by `timeoutMs` (`TIMEOUT`); the caller's signal gives `ABORTED`. The body
 * is always read, so the connection can be reused. {@link close} is idempotent.
 */
export class UndiciHttpClient implements HttpClient {
  readonly #agent: Agent
  /** Used for overridden hosts: same pool settings, no egress guard. */
  readonly #overrideAgent: Agent
  readonly #overrides: Map<string, string>
  readonly #maxResponseBytes: number
  readonly #userAgent: string
  readonly #blockPrivate: boolean
  #closed: Promise<void> | undefined

  constructor(options: UndiciHttpClientOptions = {}) {
    const pool = {
      connections: options.connectionsPerOrigin ?? 32,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
    }
    this.#blockPrivate = options.blockPrivateAddresses ?? false
    this.#agent = new Agent(
      this.#blockPrivate ? { ...pool, connect: { lookup: guardedLookup } } : pool,
    )
    this.#overrideAgent = this.#blockPrivate ? new Agent(pool) : this.#agent
    this.#overrides = parseOverrides(options.hostOverrides ?? {})
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024
    this.#userAgent = options.userAgent ?? 'Tessera'
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = parseTarget(request.url)
    const headers: Record<string, string> = { 'user-agent': this.#userAgent }
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
    const override = this.#overrides.get(url.host) ?? this.#overrides.get(url.hostname)
    if (override !== undefined) headers['x-forwarded-host'] = url.host
    else if (this.#blockPrivate && isBlockedAddress(url.hostname)) {
      throw new HttpTransportError('EGRESS_BLOCKED', `egress to ${url.hostname} is blocked`)
    }
    const target = override === undefined ? url.href : `${override}${url.pathname}${url.search}`

    const deadline = startDeadline(request.timeoutMs, request.signal)
    try {
      const response = await undiciRequest(target, {
        dispatcher: override === undefined ? this.#agent : this.#overrideAgent,
        method: request.method,
        headers,
        body: request.body ?? null,
        signal: deadline.signal,
      })
      const body = await readCappedBody(response.body, this.#maxResponseBytes)
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body }
    } catch (error) {
      throw toTransportError(error, deadline, url.host)
    } finally {
      deadline.dispose()
    }
  }

  /** Closes pooled connections after requests in flight finish. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= Promise.all([
      this.#agent.close(),
      this.#overrideAgent === this.#agent ? undefined : this.#overrideAgent.close(),
    ]).then(() => undefined)
    return this.#closed
  }
}
