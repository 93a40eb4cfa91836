/**
 * Drives the real resolution (`resolveBatch`) over generated events in a given arrival order,
 * then reads which profile each event was resolved to.
 */
import { ManualClock } from '../../platform/clock.js'
import type { IdentityStore } from '../identity-store.js'
import type { Collection, IdentitySourceEvent, ProfileEventRecord } from '../model.js'
import { resolveBatch } from '../resolve-batch.js'
import type { IdentityRules } from '../rules.js'
import type { ScenarioEvent } from './story.js'

/** A store the runner can fill (the in-memory store of `testing/` in the tests). */
export interface FillableStore extends IdentityStore {
  appendEvents(events: ReadonlyArray<Omit<IdentitySourceEvent, 'seq'>>): IdentitySourceEvent[]
}

/** Which profile each event (by messageId) resolved to in each collection; null: none. */
export type Resolved = Map<string, Record<Collection, string | null>>

export interface RunOptions {
  store: FillableStore
  rules: IdentityRules
  /** Size of each batch, asked before each (batches follow the arrival order). */
  batchSize: () => number
  /** Reads the stored `profile_events` once all batches are done. */
  profileEvents: () => Iterable<ProfileEventRecord>
}

/** The stored form of a generated event. */
export function toSourceEvent(event: ScenarioEvent): Omit<IdentitySourceEvent, 'seq'> {
  return {
    messageId: event.messageId,
    sourceId: event.sourceId,
    type: String(event.payload.type),
    timestamp: event.timestamp,
    payload: JSON.stringify(event.payload),
  }
}

/**
 * Stores `arrival` in that order (so `seq` follows arrival), resolves it in batches as the
 * identity consumer does, and returns the resolution of every event. Rejects when a batch
 * fails.
 */
export async function resolveInOrder(
  arrival: readonly ScenarioEvent[],
  options: RunOptions,
): Promise<{ resolved: Resolved; rebuilds: number }> {
  const { store, rules } = options
  store.appendEvents(arrival.map(toSourceEvent))
  const clock = new ManualClock()
  let offset = 0
  let rebuilds = 0
  for (;;) {
    const events = await store.readEvents(offset, Math.max(1, options.batchSize()))
    if (events.length === 0) break
    const result = await resolveBatch({ store, rules, consumer: 'identity', events, clock })
    offset = result.offset
    rebuilds += result.rebuilds
  }
  const bySeq = new Map<number, string>(
    (await store.readEvents(0, Number.MAX_SAFE_INTEGER)).map((e) => [e.seq, e.messageId]),
  )
  const resolved: Resolved = new Map()
  for (const event of arrival) resolved.set(event.messageId, { users: null, accounts: null })
  for (const row of options.profileEvents()) {
    const entry = resolved.get(bySeq.get(row.seq) ?? '')
    if (entry !== undefined) entry[row.collection] = row.profileId
  }
  return { resolved, rebuilds }
}
