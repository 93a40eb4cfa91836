/**
 * The port every destination's HTTP goes through (built-in drivers and the catalog alike), so
 * timeouts, egress rules and metrics live in one place. The adapter is
 * `infra/http/undici-http-client.ts`.
 */

export interface HttpRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string | Uint8Array
  /** The request fails with `TIMEOUT` when no complete answer came within this time. */
  timeoutMs: number
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** The body as text (truncated by the adapter past its cap). */
  body: string
}

/**
 * A request that got no HTTP answer. `code` is a network error code (`ECONNREFUSED`,
 * `ECONNRESET`, `ENOTFOUND`, `EAI_AGAIN`, `EHOSTUNREACH`, …), `TIMEOUT`, `ABORTED`, or
 * `EGRESS_BLOCKED` when the egress policy refused the address.
 */
export class HttpTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'HttpTransportError'
  }
}

export interface HttpClient {
  /**
   * Sends one request. Resolves with any HTTP answer, whatever its status; rejects only with
   * {@link HttpTransportError}. Never retries: the delivery engine decides.
   */
  send(request: HttpRequest): Promise<HttpResponse>
}
