import type { AppendResult, GroupCommitter } from '../events/index.js'
import type { Clock } from '../platform/clock.js'
import type { ErrorFactory } from '../platform/errors/index.js'
import {
  MAX_EVENT_DEPTH,
  normalizeEvent,
  type EventType,
  type JsonObject,
  type NormalizeContext,
  type NormalizeResult,
  type RejectedRecord,
} from '../protocol/index.js'
import type { LogItem } from '../events/index.js'
import type { Source, SourceService } from '../sources/index.js'
import { IngestErrors } from './errors.js'
import type { IngestMetrics } from './ingest-metrics.js'
import type { RateLimiter } from './rate-limiter.js'
import { createWriteKeyReader } from './write-key.js'

/** `batch` covers /v1/batch, /v1/b and /v1/import; the others are single-event routes. */
export type IngestRoute = EventType | 'batch'

/** Segment's per-batch event limit. */
export const MAX_BATCH_EVENTS = 2500
/**
 * Most characters of stored JSON one request may produce (16 Mi, 32 times the 500 KB body
 * limit). Each event is stored with the batch-level `context` and `integrations` merged in, so
 * without it a 150 KB request of 2,500 small events and a 30 KB batch context would store
 * 75 MB. Legitimate batches stay far below: 2,500 events with a 2 KB batch context take about
 * 6 MB.
 */
export const MAX_EXPANDED_BATCH_CHARS = 16 * 1024 * 1024
const MAX_REJECTED_PAYLOAD = 64 * 1024

/** One tracking-API request after transport decoding (decompression, size limits). */
export interface IngestRequest {
  route: IngestRoute
  body: Buffer
  authorization: string | undefined
  origin: string | undefined
  ip: string | undefined
}

/** A rejected event inside an accepted batch, as reported to the client. */
export interface RejectionReport {
  index: number
  code: string
  message: string
}

/**
 * Successful outcome: everything accepted is durable in the log. Duplicates (a `messageId`
 * already stored) are accepted too and dropped by the store, as Segment does.
 */
export interface IngestAccepted {
  source: Source
  accepted: number
  rejected: RejectionReport[]
  /** Log offset of the last item written, or null when nothing was written. */
  lastOffset: number | null
}

/** A request checked and normalized, ready for the log. */
interface Prepared {
  source: Source
  /** Accepted events and rejections, in request order. */
  logItems: LogItem[]
  reports: RejectionReport[]
  /** The error of the first refused event (a single-event route answers with it). */
  firstError: ErrorFactory | null
}

/** A request handed to the committer: what the answer needs, and the pending append. */
interface Submitted {
  source: Source
  reports: RejectionReport[]
  firstError: ErrorFactory | null
  counts: { accepted: number; rejected: number }
  /** Resolves once the request's items are durable; null when it had none to store. */
  committed: Promise<AppendResult> | null
}

/**
 * Identifiers whose events are answered like any other but not stored (data-subject
 * suppression). `isEmpty` is read per event before anything else, so an empty list costs one
 * property read; otherwise a `Set.has` per identifier.
 */
export interface SuppressionFilter {
  readonly isEmpty: boolean
  /** True when the event's userId, anonymousId or email (traits, context.traits) is suppressed. */
  isSuppressed(userId: string | null, anonymousId: string | null, email: unknown): boolean
  /** Counts one suppressed event of the source (per minute of `receivedAt`). */
  suppressed(sourceId: string, receivedAt: number): void
}

export interface IngestServiceDeps {
  sources: SourceService
  committer: GroupCommitter
  rateLimiter: RateLimiter
  clock: Clock
  metrics: IngestMetrics
  /** Suppressed identifiers (regulations); none when absent. */
  suppression?: SuppressionFilter
}

/** `traits.email`, else `context.traits.email` of a raw event (identify and others). */
function emailOf(item: unknown): unknown {
  if (!isObject(item)) return undefined
  const traits = item.traits
  if (isObject(traits) && traits.email !== undefined) return traits.email
  const context = item.context
  if (!isObject(context)) return undefined
  const contextTraits = context.traits
  return isObject(contextTraits) ? contextTraits.email : undefined
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function truncate(raw: unknown): string {
  let text: string
  try {
    text = JSON.stringify(raw) ?? 'null'
  } catch {
    text = '"<unserializable>"'
  }
  return text.length > MAX_REJECTED_PAYLOAD ? text.slice(0, MAX_REJECTED_PAYLOAD) : text
}

/** The log record of a refused event: what the client sent (truncated) and why. */
function rejectionOf(
  item: unknown,
  result: Extract<NormalizeResult, { ok: false }>,
  sourceId: string,
  receivedAt: number,
): RejectedRecord {
  return {
    sourceId,
    receivedAt,
    code: result.error.code,
    reason: result.reason,
    payload: truncate(item),
    messageId: result.messageId,
  }
}

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b

/**
 * An upper bound on how deep anything in a JSON body nests: its count of `{` and `[` bytes
 * (strings included, so it may overcount), stopping at {@link MAX_EVENT_DEPTH}. Small bodies
 * then skip the per-event depth walk.
 */
function nestingBound(body: Buffer): number {
  let count = 0
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      count += 1
      if (count >= MAX_EVENT_DEPTH) return count
    }
  }
  return count
}

/**
 * The tracking API's logic, independent of HTTP: authenticates the write key, checks origin and
 * rate limit, normalizes each event and submits the valid ones (and the rejections) to the
 * group committer. Resolves only when the log append is durable. Throws {@link AppError}s for
 * request-level refusals (AppError); a single-event request with an invalid event throws that event's
 * error after its rejection has been stored.
 */
export class IngestService {
  private readonly readWriteKey = createWriteKeyReader()
  private lastIso = { ms: Number.NaN, iso: '' }

  constructor(private readonly deps: IngestServiceDeps) {}

  async ingest(request: IngestRequest): Promise<IngestAccepted> {
    const submitted = this.submit(request)
    const { source, reports, firstError, counts } = submitted
    const lastOffset = await this.commit(source, submitted.committed, counts)
    if (request.route !== 'batch' && firstError !== null) throw firstError(reports[0]?.message)
    return { source, accepted: counts.accepted, rejected: reports, lastOffset }
  }

  /**
   * Prepares the request and hands its log items to the group committer, synchronously. The
   * items are not returned: the committer keeps them in the log's own form (bytes, for the
   * embedded log), so nothing per event stays reachable while the request waits for the disk.
   */
  private submit(request: IngestRequest): Submitted {
    const { source, logItems, reports, firstError } = this.prepare(request)
    const counts = { accepted: logItems.length - reports.length, rejected: reports.length }
    const committed = logItems.length === 0 ? null : this.deps.committer.submit(logItems)
    return { source, reports, firstError, counts, committed }
  }

  /**
   * Everything before the commit, synchronously: parse, check, normalize. Only the log items
   * leave it, so the parsed body is garbage before the request waits for the disk and dies
   * young instead of being promoted with the wait.
   */
  private prepare(request: IngestRequest): Prepared {
    const receivedAt = this.deps.clock.now()
    const body = this.parse(request.body)
    const source = this.authenticate(request.authorization, body)
    this.checkOrigin(source, request.origin)
    this.checkRate(source)
    const items = request.route === 'batch' ? this.batchItems(body) : [body]
    const ctx = this.contextOf(request, body, source, receivedAt)
    const prepared: Prepared = { source, logItems: [], reports: [], firstError: null }
    const suppression = this.deps.suppression
    let expandedChars = 0
    for (let index = 0; index < items.length; index++) {
      const item = items[index]
      const result = normalizeEvent(item, ctx)
      if (result.ok) {
        const record = result.record
        expandedChars += record.payload.length
        if (expandedChars > MAX_EXPANDED_BATCH_CHARS) {
          throw IngestErrors.expandedBatchTooLarge()
        }
        if (
          suppression !== undefined &&
          !suppression.isEmpty &&
          suppression.isSuppressed(record.userId, record.anonymousId, emailOf(item))
        ) {
          // Answered like any other event (as Segment does), never stored: counted only.
          suppression.suppressed(source.id, receivedAt)
          continue
        }
        prepared.logItems.push({ kind: 'event', record })
        continue
      }
      prepared.firstError ??= result.error
      prepared.reports.push({ index, code: result.error.code, message: result.reason })
      const record = rejectionOf(item, result, source.id, receivedAt)
      prepared.logItems.push({ kind: 'rejection', record })
    }
    return prepared
  }

  /** What the request contributes to each of its events (batch envelope, time, address). */
  private contextOf(
    request: IngestRequest,
    body: JsonObject,
    source: Source,
    receivedAt: number,
  ): NormalizeContext {
    const envelope = request.route === 'batch' ? body : undefined
    return {
      sourceId: source.id,
      routeType: request.route === 'batch' ? undefined : request.route,
      receivedAt,
      receivedAtIso: this.isoOf(receivedAt),
      batchSentAt: envelope?.sentAt,
      batchContext: isObject(envelope?.context) ? envelope.context : undefined,
      batchIntegrations: isObject(envelope?.integrations) ? envelope.integrations : undefined,
      ip: request.ip,
      depthBound: nestingBound(request.body),
    }
  }

  /** `receivedAt` as ISO-8601; requests of the same millisecond share the string. */
  private isoOf(ms: number): string {
    if (ms !== this.lastIso.ms) this.lastIso = { ms, iso: new Date(ms).toISOString() }
    return this.lastIso.iso
  }

  /** Waits for the submission's append; maps a failed append to `unavailable` (503). */
  private async commit(
    source: Source,
    committed: Promise<AppendResult> | null,
    counts: { accepted: number; rejected: number },
  ): Promise<number | null> {
    if (committed === null) return null
    let last: number
    try {
      last = (await committed).last
    } catch (cause) {
      this.deps.metrics.storeFailed()
      throw IngestErrors.unavailable(undefined, { cause })
    }
    this.deps.metrics.committed(source.id, counts)
    return last
  }

  private parse(body: Buffer): JsonObject {
    let value: unknown
    try {
      value = JSON.parse(body.toString('utf8'))
    } catch (cause) {
      throw IngestErrors.invalidJson(undefined, { cause })
    }
    if (!isObject(value)) throw IngestErrors.invalidJson('The request body must be a JSON object.')
    return value
  }

  private authenticate(authorization: string | undefined, body: JsonObject): Source {
    const fromHeader = this.readWriteKey(authorization)
    const key = fromHeader ?? (typeof body.writeKey === 'string' ? body.writeKey : null)
    if (key === null || key === '') throw IngestErrors.missingWriteKey()
    const source = this.deps.sources.byWriteKey(key)
    if (!source) throw IngestErrors.unknownWriteKey()
    return source
  }

  private checkOrigin(source: Source, origin: string | undefined): void {
    if (origin === undefined || source.allowedOrigins === null) return
    if (source.allowedOrigins.includes('*') || source.allowedOrigins.includes(origin)) return
    throw IngestErrors.originNotAllowed(undefined, { details: { origin } })
  }

  private checkRate(source: Source): void {
    if (source.rateLimit === null) return
    const decision = this.deps.rateLimiter.take(source.id, source.rateLimit)
    if (!decision.allowed) {
      throw IngestErrors.rateLimited(undefined, {
        details: { retryAfterSeconds: decision.retryAfterSeconds },
      })
    }
  }

  private batchItems(body: JsonObject): unknown[] {
    const batch = body.batch
    if (!Array.isArray(batch)) throw IngestErrors.invalidBatch()
    if (batch.length > MAX_BATCH_EVENTS) {
      throw IngestErrors.tooManyEvents(
        `A batch may hold at most ${MAX_BATCH_EVENTS} events; this one has ${batch.length}.`,
      )
    }
    return batch
  }
}
