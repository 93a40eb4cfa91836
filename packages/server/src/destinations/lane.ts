/**
 * A destination's lane: one loop that delivers the events after its cursor, then its due
 * retries, then its running backfills. Lanes of different destinations share nothing but the
 * store, so a slow or failing destination never holds up another.
 *
 * - **Live step.** Reads a window (batch size × concurrency) after the cursor, routes it,
 *   sends it. When every event of the window failed with a retryable error the destination is
 *   down as a whole: the cursor stays, the lane backs off (exponential, with jitter, honouring
 *   `Retry-After`) and the same window is tried again; nothing is written per event. Past the
 *   retry horizon the window is dead-lettered and the lane moves on. Otherwise the cursor moves
 *   past the window, and the events that failed alone become retries (or dead letters).
 * - **Retry step.** Due retries in seq order, routed again (a filter change applies), sent,
 *   settled or rescheduled; past the horizon they are dead-lettered.
 * - **Backfill step.** Like the live step over a backfill's seq range; failures become retries.
 *
 * Every step commits its cursor, retries, dead letters and counters in one transaction, after
 * the sends: a crash redoes the step, so delivery is at least once (`messageId` is the
 * idempotency key). With `orderByUser`, an event waits while an earlier event of the same user
 * is being retried.
 */
import { setMaxListeners } from 'node:events'
import type { Clock } from '../platform/clock.js'
import type { BackoffPolicy } from './backoff.js'
import { retryDelay, pastHorizon } from './backoff.js'
import type { DeliveryQueue, LaneBackoff, LaneCommit, RetryEntry } from './delivery-store.js'
import type { DestinationDriver } from './driver.js'
import {
  applyOutcome,
  deadLetter,
  emptyCommit,
  keepAttempts,
  sampleError,
  userKeyOf,
  type OutcomeContext,
} from './lane-outcomes.js'
import type { DeliveryEvent, DestinationConfig } from './model.js'
import { TokenBucket } from './rate-limit.js'
import type { Router } from './route.js'
import { sendWindow, type SentEvent } from './send-window.js'
import { StatsAccumulator } from './stats.js'

/** Largest window a step reads. */
const MAX_WINDOW = 5_000

export interface LaneSetup {
  config: DestinationConfig
  driver: DestinationDriver
  maxBatchSize: number
  router: Router
}

export interface LaneDeps {
  queue: DeliveryQueue
  clock: Clock
  random: () => number
  backoff: BackoffPolicy
  /** Longest wait when there is nothing to do (pokes end it sooner). */
  idleMs: number
  /** After every commit, with what it settled (for metrics). */
  onCommit?: (destinationId: string, commit: LaneCommit) => void
  onError: (destinationId: string, error: unknown) => void
}

export interface LaneStatus {
  destinationId: string
  cursor: number
  backoff: LaneBackoff | null
}

export interface Lane {
  /** New events or retries may be waiting: end an idle wait. */
  poke(): void
  status(): LaneStatus
  /** Ends the step in progress (in-flight requests are aborted) and stops. */
  stop(): Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function startLane(setup: LaneSetup, deps: LaneDeps): Promise<Lane> {
  const { config, driver, router } = setup
  const { queue, clock } = deps
  const id = config.id
  const delivery = config.delivery
  const size = Math.max(1, Math.min(delivery.batchSize, setup.maxBatchSize))
  const windowSize = Math.min(MAX_WINDOW, size * delivery.concurrency)
  const limiter =
    delivery.rateLimitPerSecond === null
      ? null
      : new TokenBucket(delivery.rateLimitPerSecond, () => clock.now())
  const state = await queue.loadLane(id)
  let cursor = state.cursor
  let backoff = state.backoff
  let blocked = new Set(state.blockedUsers)
  const abort = new AbortController()
  // Every request in flight listens to this signal (up to concurrency × batches per window).
  setMaxListeners(0, abort.signal)
  let stopped = false
  let wake: (() => void) | null = null
  /** A poke that came while a step ran: the next idle wait ends at once (no lost wake-up). */
  let poked = false

  const context = (commit: LaneCommit, stats: StatsAccumulator): OutcomeContext => ({
    now: clock.now(),
    horizonMs: delivery.retryHorizonMs,
    policy: deps.backoff,
    random: deps.random,
    stats,
    commit,
  })

  const send = (events: DeliveryEvent[], attempt: number): Promise<SentEvent[]> =>
    sendWindow(events, {
      driver,
      delivery,
      maxBatchSize: setup.maxBatchSize,
      attempt,
      signal: abort.signal,
      now: () => clock.now(),
      limiter,
      sleep,
    })

  async function commitStep(commit: LaneCommit, stats: StatsAccumulator): Promise<void> {
    commit.stats = stats.drain()
    await queue.commit(id, commit)
    deps.onCommit?.(id, commit)
  }

  /** Routes a window; returns the events to send. Filtered and parked ones go to `commit`. */
  function routeWindow(
    queued: Awaited<ReturnType<DeliveryQueue['readEvents']>>,
    ctx: OutcomeContext,
  ): DeliveryEvent[] {
    const out: DeliveryEvent[] = []
    for (const item of queued) {
      const decision = router.route(item)
      if ('filtered' in decision) {
        ctx.stats.filtered(ctx.now, decision.by)
        continue
      }
      const key = delivery.orderByUser ? userKeyOf(decision.kept) : null
      if (key !== null && blocked.has(key)) {
        ctx.commit.retries.push(parked(decision.kept, key, ctx.now))
        continue
      }
      out.push(decision.kept)
    }
    return out
  }

  async function liveStep(): Promise<number> {
    let queued = await queue.readEvents(cursor, windowSize)
    if (queued.length === 0) return 0
    if (queued.length < size && delivery.batchWaitMs > 0) {
      await sleep(delivery.batchWaitMs)
      queued = await queue.readEvents(cursor, windowSize)
    }
    const windowEnd = queued[queued.length - 1]!.seq
    const commit = emptyCommit()
    const stats = new StatsAccumulator()
    const ctx = context(commit, stats)
    const toSend = routeWindow(queued, ctx)
    const sent = await send(toSend, (backoff?.attempts ?? 0) + 1)
    if (stopped) return 0 // aborted sends are not outcomes; the window is redone after a restart
    ctx.now = clock.now()
    if (sent.length > 0 && sent.every((s) => s.outcome.status === 'retry')) {
      return laneFailure(sent, windowEnd, ctx)
    }
    for (const item of sent) {
      const retry = applyOutcome(ctx, item, null)
      if (retry) {
        commit.retries.push(retry)
        if (delivery.orderByUser && retry.userKey !== null) blocked.add(retry.userKey)
      }
    }
    commit.cursor = windowEnd
    if (backoff !== null) commit.backoff = null
    await commitStep(commit, stats)
    cursor = windowEnd
    backoff = null
    return queued.length
  }

  /** Every event of the window failed with a retryable error: back off, or dead-letter past the horizon. */
  async function laneFailure(
    sent: SentEvent[],
    windowEnd: number,
    ctx: OutcomeContext,
  ): Promise<number> {
    const { commit, stats } = ctx
    const first = sent[0]!
    const error =
      first.outcome.status === 'retry' ? first.outcome.error : { code: 'UNKNOWN', message: '' }
    const hint = Math.max(
      0,
      ...sent.map((s) => (s.outcome.status === 'retry' ? (s.outcome.afterMs ?? 0) : 0)),
    )
    const attempts = (backoff?.attempts ?? 0) + 1
    const firstFailureAt = backoff?.firstFailureAt ?? first.attempt.at
    const history = keepAttempts([...(backoff?.history ?? []), first.attempt])
    const nextAt = ctx.now + retryDelay(attempts, deps.backoff, deps.random, hint || undefined)
    const expired = pastHorizon(nextAt, firstFailureAt, delivery.retryHorizonMs)
    // Unless the window is given up, its filtered events are routed again with it: count them then.
    if (!expired) stats.drain()
    stats.count('retried', ctx.now, sent.length)
    sampleError(ctx, first.event.messageId, error)
    if (expired) {
      for (const item of sent) deadLetter(ctx, item.event, error, history, firstFailureAt)
      commit.cursor = windowEnd
      // Still failing: the next window waits for the next probe, with a fresh horizon.
      commit.backoff = { attempts, firstFailureAt: ctx.now, nextAt, lastError: error, history: [] }
      cursor = windowEnd
    } else {
      commit.retries = [] // parked events are re-read with the window
      commit.backoff = { attempts, firstFailureAt, nextAt, lastError: error, history }
    }
    await commitStep(commit, stats)
    backoff = commit.backoff ?? null
    return sent.length
  }

  async function retryStep(): Promise<number> {
    const entries = await queue.dueRetries(id, clock.now(), windowSize)
    if (entries.length === 0) return 0
    const commit = emptyCommit()
    const stats = new StatsAccumulator()
    const ctx = context(commit, stats)
    const toSend: DeliveryEvent[] = []
    const previous = new Map<number, RetryEntry>()
    const seenUsers = new Set<string>()
    for (const entry of entries) {
      const decision = router.route(entry)
      if ('filtered' in decision) {
        stats.filtered(ctx.now, decision.by)
        commit.retriesDone.push(entry.seq)
        continue
      }
      if (delivery.orderByUser && entry.userKey !== null) {
        // One event per user per step keeps a user's events in seq order.
        if (seenUsers.has(entry.userKey)) {
          commit.retries.push({ ...entry, nextAt: ctx.now + deps.backoff.baseMs })
          continue
        }
        seenUsers.add(entry.userKey)
      }
      previous.set(entry.seq, entry)
      toSend.push(decision.kept)
    }
    const attempt = Math.min(...entries.map((e) => e.attempts.length)) + 1
    const sent = await send(toSend, attempt)
    if (stopped) return 0
    ctx.now = clock.now()
    for (const item of sent) {
      const retry = applyOutcome(ctx, item, previous.get(item.event.seq) ?? null)
      if (retry) commit.retries.push(retry)
      else commit.retriesDone.push(item.event.seq)
    }
    await commitStep(commit, stats)
    if (delivery.orderByUser) blocked = new Set((await queue.loadLane(id)).blockedUsers)
    return entries.length
  }

  async function backfillStep(): Promise<number> {
    const [backfill] = await queue.runningBackfills(id)
    if (!backfill) return 0
    const queued = await queue.readEvents(backfill.position, windowSize, {
      toSeq: backfill.endSeq,
      from: backfill.from,
      to: backfill.to,
    })
    const commit = emptyCommit()
    const stats = new StatsAccumulator()
    const ctx = context(commit, stats)
    const last = queued.length > 0 ? queued[queued.length - 1]!.seq : backfill.endSeq
    const toSend = routeWindow(queued, ctx)
    const sent = await send(toSend, 1)
    if (stopped) return 0
    ctx.now = clock.now()
    for (const item of sent) {
      const retry = applyOutcome(ctx, item, null)
      if (retry) commit.retries.push(retry)
    }
    commit.backfill = {
      id: backfill.id,
      position: last,
      events: queued.length,
      done: queued.length < windowSize || last >= backfill.endSeq,
    }
    await commitStep(commit, stats)
    return Math.max(1, queued.length)
  }

  async function idle(ms: number): Promise<void> {
    if (poked) {
      poked = false
      return
    }
    if (ms <= 0 || stopped) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    wake = null
  }

  async function iteration(): Promise<void> {
    const now = clock.now()
    if (backoff !== null && now < backoff.nextAt) {
      await idle(Math.min(backoff.nextAt - now, deps.idleMs))
      return
    }
    let done = await liveStep()
    if (stopped) return
    if (backoff === null) done += await retryStep()
    if (stopped) return
    if (backoff === null) done += await backfillStep()
    if (done > 0 || stopped) return
    const next = await queue.nextRetryAt(id)
    await idle(next === null ? deps.idleMs : Math.min(Math.max(next - clock.now(), 0), deps.idleMs))
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await iteration()
      } catch (error) {
        if (stopped) break
        deps.onError(id, error)
        await idle(deps.idleMs)
      }
    }
  })()

  return {
    poke() {
      if (wake) wake()
      else poked = true
    },
    status: () => ({ destinationId: id, cursor, backoff }),
    async stop() {
      stopped = true
      abort.abort()
      wake?.()
      await loop
    },
  }
}

/** An event held back behind an earlier event of the same user (not attempted yet). */
function parked(event: DeliveryEvent, userKey: string, now: number): RetryEntry {
  return {
    seq: event.seq,
    messageId: event.messageId,
    sourceId: event.sourceId,
    receivedAt: event.receivedAt,
    userKey,
    attempts: [],
    firstAttemptAt: now,
    nextAt: now,
    payload: event.json ?? JSON.stringify(event.event),
    ownPayload: false,
  }
}
