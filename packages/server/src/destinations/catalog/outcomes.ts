/**
 * What a catalog call's results and errors mean as {@link DeliveryOutcome}s. Classification
 * is the domain's (`classify.ts`); this module only finds the status or transport code.
 *
 * Codes are stable: `HTTP_<status>` for an HTTP answer, the transport code (`ECONNREFUSED`,
 * `TIMEOUT`, …), `PAYLOAD_VALIDATION_FAILED`, `INVALID_AUTHENTICATION`, `RETRYABLE_ERROR`,
 * `INVALID_SUBSCRIPTION`, the catalog's own error code in SCREAMING_SNAKE case, or
 * `DESTINATION_ERROR` for anything else (retried: it may be a client the bridge does not see).
 */
import { classifyHttpResponse, classifyTransportError, type Classification } from '../classify.js'
import type { DeliveryError, DeliveryOutcome, ExchangeSample } from '../driver.js'
import { HttpTransportError } from '../http-client.js'
import type { Exchange } from './bridge.js'
import type { CoreResult, ErrorClass, MultiStatusEntry, Runtime } from './core.js'
import { toSample, type Masker } from './mask.js'

export interface OutcomeContext {
  runtime: Runtime
  now: number
  mask: Masker
  /** The last exchange of the call (its answer's body goes into messages). */
  exchange: Exchange | null
  /** The masked sample of `exchange`, computed once per call. */
  sample(): ExchangeSample | undefined
}

/** An {@link OutcomeContext} whose sample is masked on first use, then shared. */
export function createOutcomeContext(base: Omit<OutcomeContext, 'sample'>): OutcomeContext {
  let sample: ExchangeSample | undefined
  return {
    ...base,
    sample() {
      if (!sample && base.exchange) sample = toSample(base.exchange, base.mask)
      return sample
    },
  }
}

/** What actions-core answers for an event no subscription matched. */
const NOT_MATCHED = 'Payload is either invalid or does not match the subscription'

interface ResponseLike {
  status: number
  statusText?: string
  url?: string
  headers?: { forEach(callback: (value: string, name: string) => void): void }
}

function outcome(c: Classification, error: DeliveryError, ctx: OutcomeContext): DeliveryOutcome {
  const sample = ctx.sample()
  if (sample) error.sample = sample
  switch (c.kind) {
    case 'ok':
      return sample ? { status: 'delivered', sample } : { status: 'delivered' }
    case 'retry':
      return c.afterMs === undefined
        ? { status: 'retry', error }
        : { status: 'retry', afterMs: c.afterMs, error }
    case 'fail':
      return { status: 'failed', error }
  }
}

/** `NotImplemented` → `NOT_IMPLEMENTED`, `Misconfigured field` → `MISCONFIGURED_FIELD`. */
export function toCode(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
}

function findTransportError(error: unknown): HttpTransportError | null {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof HttpTransportError) return current
    current = current.cause
  }
  return null
}

function httpOutcome(response: ResponseLike, ctx: OutcomeContext): DeliveryOutcome {
  const headers: Record<string, string> = {}
  response.headers?.forEach((value, name) => (headers[name.toLowerCase()] = value))
  const where =
    response.url && URL.canParse(response.url) ? ` from ${new URL(response.url).host}` : ''
  const body = ctx.exchange?.response?.body.slice(0, 200) ?? ''
  const message = `${response.status} ${response.statusText ?? ''}${where}${body ? `: ${body}` : ''}`
  const error = {
    code: `HTTP_${response.status}`,
    message: ctx.mask(message),
    httpStatus: response.status,
  }
  return outcome(classifyHttpResponse(response.status, headers, ctx.now), error, ctx)
}

interface CatalogErrorShape {
  message: string
  code?: unknown
  status?: unknown
  response?: ResponseLike
}

const RETRY: Classification = { kind: 'retry', afterMs: undefined }
const FAIL: Classification = { kind: 'fail' }

/** `instanceof` without narrowing (the error classes are declared structurally). */
function isA(value: unknown, cls: ErrorClass): boolean {
  return value instanceof cls
}

/** The classification and code of an error that is not an HTTP answer nor a transport error. */
function classifyCatalogError(
  thrown: unknown,
  e: CatalogErrorShape,
  ctx: OutcomeContext,
): { c: Classification; code: string } {
  const { core, AggregateAjvError, TimeoutError } = ctx.runtime
  const status = typeof e.status === 'number' ? e.status : undefined
  const byStatus = (s: number) => ({ c: classifyHttpResponse(s, {}, ctx.now), code: `HTTP_${s}` })
  const timeouts = [TimeoutError, core.RequestTimeoutError, core.SelfTimeoutError]
  if (timeouts.some((cls) => isA(thrown, cls))) return { c: RETRY, code: 'TIMEOUT' }
  if (isA(thrown, core.RetryableError)) return { c: RETRY, code: 'RETRYABLE_ERROR' }
  if (isA(thrown, AggregateAjvError) || isA(thrown, core.PayloadValidationError)) {
    return { c: FAIL, code: 'PAYLOAD_VALIDATION_FAILED' }
  }
  if (isA(thrown, core.InvalidAuthenticationError)) {
    return { c: FAIL, code: 'INVALID_AUTHENTICATION' }
  }
  if (isA(thrown, core.APIError) && status) return byStatus(status)
  if (isA(thrown, core.IntegrationError)) {
    const code = typeof e.code === 'string' ? toCode(e.code) : ''
    return { c: FAIL, code: code || (status ? `HTTP_${status}` : 'INTEGRATION_ERROR') }
  }
  if (status) return byStatus(status)
  return { c: RETRY, code: 'DESTINATION_ERROR' }
}

/**
 * The outcome of an error thrown by `onEvent` / `onBatch` (for every event of the call):
 * a transport error of our client (even wrapped, through `cause`) → `classifyTransportError`;
 * an `HTTPError` → `classifyHttpResponse` with its answer's headers (`Retry-After`);
 * timeouts and `RetryableError` → retry; validation, authentication and integration errors
 * → failed; an `APIError` or another error with a `status` → by that status; else retry.
 */
export function outcomeOfError(thrown: unknown, ctx: OutcomeContext): DeliveryOutcome {
  const transport = findTransportError(thrown)
  if (transport) {
    const error = { code: transport.code, message: ctx.mask(transport.message) }
    return outcome(classifyTransportError(transport.code), error, ctx)
  }
  const e: CatalogErrorShape = thrown instanceof Error ? thrown : { message: String(thrown) }
  if (isA(thrown, ctx.runtime.core.HTTPError) && e.response) return httpOutcome(e.response, ctx)
  const { c, code } = classifyCatalogError(thrown, e, ctx)
  const status = typeof e.status === 'number' ? e.status : undefined
  const error: DeliveryError = { code, message: ctx.mask(e.message) }
  if (status) error.httpStatus = status
  return outcome(c, error, ctx)
}

/** The outcome of one event's `onEvent` results. */
export function outcomeOfResults(
  results: readonly CoreResult[],
  ctx: OutcomeContext,
): DeliveryOutcome {
  if (results.some((r) => r.output === 'Action Executed')) {
    return outcome({ kind: 'ok' }, { code: '', message: '' }, ctx)
  }
  const invalid = results.find((r) => r.output && r.output !== 'not subscribed')
  if (invalid?.output) {
    return outcome({ kind: 'fail' }, { code: 'INVALID_SUBSCRIPTION', message: invalid.output }, ctx)
  }
  return { status: 'skipped', reason: 'no subscription matches the event' }
}

/** One event's entry of a batch's multistatus; null when its subscription did not match. */
export function outcomeOfEntry(
  entry: MultiStatusEntry,
  ctx: OutcomeContext,
): DeliveryOutcome | null {
  if (entry.status >= 200 && entry.status < 300) {
    return outcome({ kind: 'ok' }, { code: '', message: '' }, ctx)
  }
  if (entry.errormessage === NOT_MATCHED) return null
  const code =
    entry.errortype === 'PAYLOAD_VALIDATION_FAILED' ? entry.errortype : `HTTP_${entry.status}`
  const text = entry.errormessage ?? (typeof entry.body === 'string' ? entry.body : '')
  const error = {
    code,
    message: ctx.mask(text || `status ${entry.status}`),
    httpStatus: entry.status,
  }
  const c: Classification =
    code === 'PAYLOAD_VALIDATION_FAILED'
      ? { kind: 'fail' }
      : classifyHttpResponse(entry.status, {}, ctx.now)
  return outcome(c, error, ctx)
}

const RANK = { retry: 3, failed: 2, delivered: 1, skipped: 0 } as const

/**
 * One event's outcome from its parts (several subscriptions, or its batched and single
 * subscriptions): a retry wins (the whole event is sent again: at least once), then a
 * failure, then a delivery; skipped only when every part skipped. Retries keep the longest
 * `afterMs`.
 */
export function combineOutcomes(parts: readonly DeliveryOutcome[]): DeliveryOutcome {
  let best: DeliveryOutcome = { status: 'skipped', reason: 'no subscription matches the event' }
  for (const part of parts) {
    if (RANK[part.status] > RANK[best.status]) best = part
    else if (part.status === 'retry' && best.status === 'retry' && part.afterMs !== undefined) {
      const afterMs = Math.max(part.afterMs, best.afterMs ?? 0)
      best = { status: 'retry', afterMs, error: best.error }
    }
  }
  return best
}
