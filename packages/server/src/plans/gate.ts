import type { JsonObject, LogRecord } from '../protocol/index.js'
import type { Violation } from './model.js'

/** An event entering the gate: its log offset and the record as appended. */
export interface GateInput {
  offset: number
  record: LogRecord
}

/** One event as a step sees it. */
export interface GateEvent {
  readonly record: LogRecord
  /**
   * The payload, parsed on first call and shared by every later step (steps may change it in
   * place and then answer `modified`). Steps that skip the event never pay for the parse.
   */
  payload(): JsonObject
}

/** Why an event was blocked (kept with it in quarantine). */
export interface BlockReason {
  /** The step that blocked it, e.g. `plan`. */
  step: string
  violations: Violation[]
  planId: string | null
  planRevision: number | null
}

/** A step's answer for one event. */
export type GateVerdict =
  { kind: 'pass' } | { kind: 'modified' } | { kind: 'blocked'; reason: BlockReason }

/** Per-source, per-minute, per-event counters of plan checks (`plan_stats`). */
export interface PlanStatsIncrement {
  sourceId: string
  /** Epoch ms floored to the minute (the unit of `ingest_stats.minute`). */
  minute: number
  eventType: string
  /** Track event or page/screen name; '' when the type has none. */
  eventName: string
  checked: number
  passed: number
  violated: number
  blocked: number
  omitted: number
}

/** Violations grouped by source, event, field and type within a 10-minute bucket. */
export interface ViolationCount {
  sourceId: string
  /** Epoch ms floored to 10 minutes: windows of 1 h, 24 h and 7 d sum buckets. */
  bucket: number
  eventType: string
  eventName: string
  field: string
  violationType: string
  count: number
  firstSeen: number
  lastSeen: number
  lastMessageId: string
  lastDescription: string
}

/** An event kept out of the store. */
export interface QuarantineInsert {
  sourceId: string
  messageId: string
  receivedAt: number
  type: string
  name: string | null
  /** The event as received (the log record's payload, before any step changed it). */
  payload: string
  reason: BlockReason
  /**
   * True for a replay from the quarantine (`context.protocols.replayed_from_quarantine`): it is
   * kept as a new row even while the row it came from is still `quarantined`. Any other event
   * whose `messageId` is already quarantined for its source (a client's retry) is not kept
   * twice.
   */
  replay: boolean
}

/** An event the main thread must append to the log (violation forwarding). */
export interface OutboxInsert {
  /** The source the event is appended under. */
  sourceId: string
  messageId: string
  /** The event, serialized; the drain completes it (source name) and normalizes it. */
  payload: string
}

/** What one batch's gate run asks the store to write, in the store's transaction. */
export interface GateOutcome {
  /** Events that passed, in order; a changed payload is already serialized again. */
  events: GateInput[]
  quarantined: QuarantineInsert[]
  stats: PlanStatsIncrement[]
  violations: ViolationCount[]
  outbox: OutboxInsert[]
}

/** Where steps record counters and side outputs for the batch. */
export interface GateSink {
  count(
    record: LogRecord,
    outcome: Omit<PlanStatsIncrement, 'sourceId' | 'minute' | 'eventType' | 'eventName'>,
  ): void
  violation(record: LogRecord, violation: Violation): void
  forward(item: OutboxInsert): void
}

/**
 * One check in front of the store: the tracking-plan step (`plan`), then the global PII rules
 * (`pii`, from `privacy/`). Steps run in list order on each event; the first `blocked` ends
 * the event's run. A step must be pure apart from the sink (it runs inside the store's
 * transaction and again, identically, when a batch is retried after a crash).
 */
export interface GateStep {
  readonly name: string
  /** Cheap test: false means the step ignores this source's events (no parse, no cost). */
  wants(sourceId: string): boolean
  check(event: GateEvent, sink: GateSink): GateVerdict
}

/** An ordered list of steps, run by {@link runGate}. */
export interface Gate {
  readonly steps: readonly GateStep[]
}

const MINUTE = 60_000
const BUCKET = 10 * MINUTE

class BatchSink implements GateSink {
  readonly stats = new Map<string, PlanStatsIncrement>()
  readonly violations = new Map<string, ViolationCount>()
  readonly outbox: OutboxInsert[] = []

  count(record: LogRecord, o: Parameters<GateSink['count']>[1]): void {
    const minute = record.receivedAt - (record.receivedAt % MINUTE)
    const eventName = record.name ?? ''
    const key = `${record.sourceId}\u0000${minute}\u0000${record.type}\u0000${eventName}`
    let row = this.stats.get(key)
    if (!row) {
      row = {
        sourceId: record.sourceId,
        minute,
        eventType: record.type,
        eventName,
        checked: 0,
        passed: 0,
        violated: 0,
        blocked: 0,
        omitted: 0,
      }
      this.stats.set(key, row)
    }
    row.checked += o.checked
    row.passed += o.passed
    row.violated += o.violated
    row.blocked += o.blocked
    row.omitted += o.omitted
  }

  violation(record: LogRecord, v: Violation): void {
    const bucket = record.receivedAt - (record.receivedAt % BUCKET)
    const eventName = record.name ?? ''
    const key = [record.sourceId, bucket, record.type, eventName, v.field, v.type].join('\u0000')
    const row = this.violations.get(key)
    if (!row) {
      this.violations.set(key, {
        sourceId: record.sourceId,
        bucket,
        eventType: record.type,
        eventName,
        field: v.field,
        violationType: v.type,
        count: 1,
        firstSeen: record.receivedAt,
        lastSeen: record.receivedAt,
        lastMessageId: record.messageId,
        lastDescription: v.description,
      })
      return
    }
    row.count += 1
    row.firstSeen = Math.min(row.firstSeen, record.receivedAt)
    if (record.receivedAt >= row.lastSeen) {
      row.lastSeen = record.receivedAt
      row.lastMessageId = record.messageId
      row.lastDescription = v.description
    }
  }

  forward(item: OutboxInsert): void {
    this.outbox.push(item)
  }
}

/** The empty gate: every event passes untouched. */
export const OPEN_GATE: Gate = { steps: [] }

/**
 * Runs `gate` over a batch, in order. An event no step wants is passed through as is (its
 * payload is never parsed); otherwise it is parsed once, each wanting step checks it, and it
 * is serialized again only when a step changed it. Blocked events keep the payload as it was
 * received. Deterministic: the same batch and gate give the same outcome.
 */
export function runGate(gate: Gate, events: readonly GateInput[]): GateOutcome {
  const outcome: GateOutcome = {
    events: [],
    quarantined: [],
    stats: [],
    violations: [],
    outbox: [],
  }
  if (gate.steps.length === 0) {
    outcome.events = events.slice()
    return outcome
  }
  const sink = new BatchSink()
  for (const input of events) {
    const { record } = input
    let parsed: JsonObject | undefined
    const event: GateEvent = {
      record,
      payload: () => (parsed ??= JSON.parse(record.payload) as JsonObject),
    }
    let modified = false
    let blocked: BlockReason | null = null
    for (const step of gate.steps) {
      if (!step.wants(record.sourceId)) continue
      const verdict = step.check(event, sink)
      if (verdict.kind === 'blocked') {
        blocked = verdict.reason
        break
      }
      if (verdict.kind === 'modified') modified = true
    }
    if (blocked) {
      outcome.quarantined.push({
        sourceId: record.sourceId,
        messageId: record.messageId,
        receivedAt: record.receivedAt,
        type: record.type,
        name: record.name,
        payload: record.payload,
        reason: blocked,
        replay: isReplay(event.payload()),
      })
    } else if (modified && parsed) {
      outcome.events.push({
        offset: input.offset,
        record: { ...record, payload: JSON.stringify(parsed) },
      })
    } else {
      outcome.events.push(input)
    }
  }
  outcome.stats = [...sink.stats.values()]
  outcome.violations = [...sink.violations.values()]
  outcome.outbox = sink.outbox
  return outcome
}

/** Whether a payload is a replay from the quarantine (see `requeue.ts`). */
function isReplay(payload: JsonObject): boolean {
  const context = payload.context
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return false
  const protocols = context.protocols
  if (typeof protocols !== 'object' || protocols === null || Array.isArray(protocols)) return false
  return protocols.replayed_from_quarantine === true
}
