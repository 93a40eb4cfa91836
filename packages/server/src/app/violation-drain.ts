import type { GroupCommitter, LogItem } from '../events/index.js'
import { toLogRecord, type ViolationOutbox } from '../plans/index.js'
import type { Clock } from '../platform/clock.js'
import type { SourceService } from '../sources/index.js'

/** Items appended per drain round. */
const DRAIN_BATCH = 1000

/** The outbox drain: started by the app, poked after each store batch. */
export interface ViolationDrain {
  poke(): void
  /** Resolves when the current round ended and stops further rounds. */
  stop(): Promise<void>
}

/**
 * Moves forwarded `Violation Generated` events from the outbox (written by the store step in
 * its transaction) into the log, on the main thread, which owns the log's writer. Rounds run
 * one at a time, in outbox order: read up to {@link DRAIN_BATCH} items, fill `sourceName` and
 * `sourceSlug` from the sources, normalize each for its target source, append them through the
 * group committer and, once durable, delete them from the outbox. A crash between the append
 * and the delete appends them again at the next start; their `sch-` messageIds are
 * deterministic, so the store keeps one copy (idempotent). Items whose target source does not
 * exist are dropped from the outbox (reported through `onError`).
 */
export function startViolationDrain(deps: {
  outbox: ViolationOutbox
  committer: GroupCommitter
  sources: SourceService
  clock: Clock
  intervalMs: number
  onError: (error: unknown) => void
}): ViolationDrain {
  let running: Promise<void> | null = null
  let again = false
  let stopped = false

  async function round(): Promise<boolean> {
    const pending = await deps.outbox.pending(DRAIN_BATCH)
    const last = pending.at(-1)
    if (!last) return false
    const items: LogItem[] = []
    for (const item of pending) {
      if (!deps.sources.get(item.sourceId)) {
        deps.onError(new Error(`violations forwarded to unknown source ${item.sourceId}`))
        continue
      }
      const payload = JSON.parse(item.payload) as {
        forwardedFromProject?: string
        properties?: Record<string, unknown>
      }
      const origin = payload.forwardedFromProject
      const source = origin === undefined ? undefined : deps.sources.get(origin)
      if (source && payload.properties) {
        payload.properties.sourceName = source.name
        payload.properties.sourceSlug = source.id
      }
      const result = toLogRecord(JSON.stringify(payload), {
        sourceId: item.sourceId,
        receivedAt: deps.clock.now(),
      })
      if (result.ok) items.push({ kind: 'event', record: result.record })
      else deps.onError(new Error(`forwarded violation ${item.messageId}: ${result.reason}`))
    }
    if (items.length > 0) await deps.committer.submit(items)
    await deps.outbox.remove(last.id)
    return pending.length === DRAIN_BATCH
  }

  function poke(): void {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = (async () => {
      try {
        do {
          again = false
          while (!stopped && (await round())) again = false
        } while (again && !stopped)
      } catch (error) {
        deps.onError(error)
      } finally {
        running = null
      }
    })()
  }

  const timer = setInterval(poke, deps.intervalMs)
  timer.unref()
  poke()
  return {
    poke,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
