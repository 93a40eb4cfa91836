/**
 * Maps whatever undici, `net` or `dns` threw into an {@link HttpTransportError} with a stable
 * code, so the delivery engine classifies on codes and never on messages or class names.
 */
import { HttpTransportError } from '../../destinations/http-client.js'

/** undici's own codes, mapped to the network code they stand for. */
const UNDICI_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  UND_ERR_ABORTED: 'ABORTED',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'INVALID_REQUEST',
  UND_ERR_INVALID_ARG: 'INVALID_REQUEST',
  UND_ERR_DESTROYED: 'CLIENT_CLOSED',
}

/** Node and OpenSSL codes are passed through as they are (e.g. `CERT_HAS_EXPIRED`). */
const CODE = /^[A-Z][A-Z0-9_]*$/

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && CODE.test(code)) return code
  // `net` with autoSelectFamily reports every failed address in an AggregateError.
  if (error instanceof AggregateError) {
    for (const inner of error.errors as unknown[]) {
      const innerCode = codeOf(inner)
      if (innerCode !== undefined) return innerCode
    }
  }
  return codeOf((error as { cause?: unknown }).cause)
}

export interface AbortState {
  /** The caller's signal aborted (the engine is stopping). */
  callerAborted: boolean
  /** The exchange's own deadline passed. */
  timedOut: boolean
}

/** The transport error for `error`; `state` decides between `ABORTED` and `TIMEOUT` first. */
export function toTransportError(
  error: unknown,
  state: AbortState,
  target: string,
): HttpTransportError {
  if (error instanceof HttpTransportError) return error
  if (state.callerAborted) return new HttpTransportError('ABORTED', `request to ${target} aborted`)
  if (state.timedOut) {
    return new HttpTransportError('TIMEOUT', `no complete answer from ${target} in time`)
  }
  const raw = codeOf(error) ?? 'NETWORK_ERROR'
  const code = UNDICI_CODES[raw] ?? raw
  const detail = error instanceof Error ? error.message : String(error)
  return new HttpTransportError(code, `${code} from ${target}: ${detail}`, { cause: error })
}
