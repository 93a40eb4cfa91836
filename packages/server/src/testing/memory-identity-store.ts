/**
 * An in-memory {@link IdentityStore} for unit tests, with the port's documented semantics:
 * serialized transactions in call order that keep nothing when `fn` rejects (the state is
 * snapshotted first), reads that see the transaction's own writes, `GraphWrite` applied in its
 * documented order, offsets that only move forward. Its event table is filled with
 * {@link MemoryIdentityStore.appendEvents} or through {@link MemoryIdentityStore.eventStore}
 * (dedupe by messageId, `seq` = log offset, as the real event stores do). Rows are copied in
 * and out, so callers can never alias the stored state.
 */
import type { ApplyResult, EventStore, LogEntry } from '../events/index.js'
import type {
  Collection,
  ComponentLoad,
  ComponentRecord,
  GraphSlice,
  GraphWrite,
  IdentifierRecord,
  IdentityEdge,
  IdentityOverride,
  IdentitySourceEvent,
  IdentityStore,
  IdentityTx,
  ProfileEventRecord,
  ProfileRecord,
  RebuildRecord,
} from '../identity/index.js'
import {
  compileIdentityRules,
  identityConfigSchema,
  orderKey,
  type Identifier,
  type IdentityRules,
  type ResolvableEvent,
} from '../identity/index.js'

/** Every table, as plain data. */
export interface MemoryIdentityState {
  events: IdentitySourceEvent[]
  identifiers: Map<string, IdentifierRecord>
  components: Map<string, ComponentRecord>
  profiles: Map<string, ProfileRecord>
  /** By `seq|collection`. */
  profileEvents: Map<string, ProfileEventRecord>
  edges: Array<IdentityEdge & { id: number }>
  overrides: IdentityOverride[]
  rebuilds: RebuildRecord[]
  offsets: Map<string, number>
  settings: Map<string, { value: unknown; updatedAt: number; updatedBy: string }>
  nextEdgeId: number
  nextOverrideId: number
}

const idKey = (collection: string, type: string, value: string): string =>
  `${collection}|${type}:${value}`

const copy = <T>(value: T): T => structuredClone(value)

function emptyState(): MemoryIdentityState {
  return {
    events: [],
    identifiers: new Map(),
    components: new Map(),
    profiles: new Map(),
    profileEvents: new Map(),
    edges: [],
    overrides: [],
    rebuilds: [],
    offsets: new Map(),
    settings: new Map(),
    nextEdgeId: 1,
    nextOverrideId: 1,
  }
}

export class MemoryIdentityStore implements IdentityStore {
  private state = emptyState()
  private queue: Promise<unknown> = Promise.resolve()

  /** @param now wall-clock of `settings.updatedAt` */
  constructor(private readonly now: () => number = () => 0) {}

  /** Adds stored events; `seq` defaults to the next one. Returns them as stored. */
  appendEvents(
    events: ReadonlyArray<Omit<IdentitySourceEvent, 'seq'> & { seq?: number }>,
  ): IdentitySourceEvent[] {
    return events.map((e) => {
      const seq = e.seq ?? (this.state.events.at(-1)?.seq ?? 0) + 1
      const stored: IdentitySourceEvent = { ...e, seq }
      this.state.events.push(stored)
      this.state.events.sort((a, b) => a.seq - b.seq)
      return { ...stored }
    })
  }

  /** An {@link EventStore} on the same event table (the contract suite fills it this way). */
  readonly eventStore: EventStore = {
    apply: (consumer, entries) => Promise.resolve(this.applyEntries(consumer, entries)),
  }

  private applyEntries(consumer: string, entries: readonly LogEntry[]): ApplyResult {
    const key = `events:${consumer}`
    const committed = this.state.offsets.get(key) ?? 0
    const result: ApplyResult = {
      stored: 0,
      duplicates: 0,
      quarantined: 0,
      rejected: 0,
      skipped: 0,
      offset: committed,
    }
    const seen = new Set(this.state.events.map((e) => e.messageId))
    for (const entry of entries) {
      if (entry.offset <= committed) {
        result.skipped++
        continue
      }
      result.offset = entry.offset
      if (entry.kind === 'rejection') {
        result.rejected++
      } else if (seen.has(entry.record.messageId)) {
        result.duplicates++
      } else {
        const r = entry.record
        seen.add(r.messageId)
        const { messageId, sourceId, type, timestamp, payload } = r
        this.appendEvents([{ seq: entry.offset, messageId, sourceId, type, timestamp, payload }])
        result.stored++
      }
    }
    this.state.offsets.set(key, result.offset)
    return result
  }

  /** A deep copy of every table, for assertions. */
  snapshot(): MemoryIdentityState {
    return copy(this.state)
  }

  /** Who last wrote a setting and when, or null. */
  settingMeta(key: string): { updatedAt: number; updatedBy: string } | null {
    const entry = this.state.settings.get(key)
    return entry === undefined ? null : { updatedAt: entry.updatedAt, updatedBy: entry.updatedBy }
  }

  readEvents(after: number, limit: number): Promise<IdentitySourceEvent[]> {
    const rows = this.state.events.filter((e) => e.seq > after).slice(0, limit)
    return Promise.resolve(rows.map((e) => ({ ...e })))
  }

  eventsHead(): Promise<number> {
    return Promise.resolve(this.state.events.at(-1)?.seq ?? 0)
  }

  getSetting(key: string): Promise<unknown> {
    const entry = this.state.settings.get(key)
    return Promise.resolve(entry === undefined ? null : copy(entry.value))
  }

  putSetting(key: string, value: unknown, actor: string): Promise<void> {
    this.state.settings.set(key, { value: copy(value), updatedAt: this.now(), updatedBy: actor })
    return Promise.resolve()
  }

  transact<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const before = shallowCopy(this.state)
      const tx = new MemoryTx(this.state)
      try {
        return await fn(tx)
      } catch (error) {
        this.state = { ...before, events: this.state.events }
        throw error
      } finally {
        tx.ended = true
      }
    }
    const result = this.queue.then(run, run)
    this.queue = result.catch(() => undefined)
    return result
  }
}

/**
 * A copy of the tables (not of their rows) for rollback: rows are never changed in place once
 * stored (writes replace them), so the copy keeps the state as it was.
 */
function shallowCopy(s: MemoryIdentityState): MemoryIdentityState {
  return {
    ...s,
    identifiers: new Map(s.identifiers),
    components: new Map(s.components),
    profiles: new Map(s.profiles),
    profileEvents: new Map(s.profileEvents),
    edges: [...s.edges],
    overrides: [...s.overrides],
    rebuilds: [...s.rebuilds],
    offsets: new Map(s.offsets),
    settings: new Map(s.settings),
  }
}

class MemoryTx implements IdentityTx {
  ended = false

  constructor(private readonly s: MemoryIdentityState) {}

  private check(): void {
    if (this.ended) throw new Error('transaction already ended')
  }

  private async run<T>(body: () => T): Promise<T> {
    await Promise.resolve()
    this.check()
    return body()
  }

  offset(consumer: string): Promise<number> {
    return this.run(() => this.s.offsets.get(consumer) ?? 0)
  }

  commitOffset(consumer: string, offset: number): Promise<void> {
    return this.run(() => {
      this.s.offsets.set(consumer, Math.max(this.s.offsets.get(consumer) ?? 0, offset))
    })
  }

  loadSlice(collection: Collection, keys: string[]): Promise<GraphSlice> {
    return this.run(() => copySlice(loadSlice(this.s, collection, keys)))
  }

  loadComponents(componentIds: string[]): Promise<ComponentLoad> {
    return this.run(() => {
      const load = loadComponents(this.s, componentIds)
      return { ...copySlice(load), events: load.events.map((e) => ({ ...e })) }
    })
  }

  write(changes: GraphWrite): Promise<void> {
    return this.run(() => applyWrite(this.s, copyWrite(changes)))
  }

  addOverride(override: Omit<IdentityOverride, 'id'>): Promise<IdentityOverride> {
    return this.run(() => {
      const stored = { ...copy(override), id: this.s.nextOverrideId++ }
      this.s.overrides.push(stored)
      return copy(stored)
    })
  }

  recordRebuild(rebuild: RebuildRecord): Promise<void> {
    return this.run(() => {
      this.s.rebuilds.push(copy(rebuild))
    })
  }
}

// Row copies: cheaper than structuredClone, enough since no stored row is changed in place.
const copyId = (i: Identifier): Identifier => ({ type: i.type, value: i.value })
const copyProfile = (p: ProfileRecord): ProfileRecord => ({
  ...p,
  traits: { ...p.traits },
  counts: { ...p.counts },
})
const copyOverride = (o: IdentityOverride): IdentityOverride => ({
  ...o,
  a: copyId(o.a),
  b: o.b === null ? null : copyId(o.b),
})

function copySlice(slice: GraphSlice): GraphSlice {
  return {
    identifiers: slice.identifiers.map((r) => ({ ...r })),
    profiles: slice.profiles.map(copyProfile),
    components: slice.components.map((c) => ({ ...c })),
    overrides: slice.overrides.map(copyOverride),
  }
}

function copyWrite(w: GraphWrite): GraphWrite {
  return {
    deleteComponents: [...w.deleteComponents],
    relabelComponents: w.relabelComponents.map((r) => ({ ...r })),
    moveProfiles: w.moveProfiles.map((m) => ({ ...m })),
    components: w.components.map((c) => ({ ...c })),
    identifiers: w.identifiers.map((r) => ({ ...r })),
    profiles: w.profiles.map(copyProfile),
    events: w.events.map((e) => ({ ...e, identifiers: e.identifiers.map(copyId) })),
    edges: w.edges.map((e) => ({
      ...e,
      from: e.from === null ? null : copyId(e.from),
      to: copyId(e.to),
    })),
  }
}

const names = (o: IdentityOverride, keys: ReadonlySet<string>): boolean =>
  keys.has(`${o.a.type}:${o.a.value}`) || (o.b !== null && keys.has(`${o.b.type}:${o.b.value}`))

function loadSlice(s: MemoryIdentityState, collection: Collection, keys: string[]): GraphSlice {
  const wanted = new Set(keys)
  const found = new Map<string, IdentifierRecord>()
  const profileIds = new Set<string>()
  for (const key of wanted) {
    const record = s.identifiers.get(`${collection}|${key}`)
    if (record === undefined) continue
    found.set(key, record)
    if (record.profileId !== null) profileIds.add(record.profileId)
  }
  for (const record of s.identifiers.values()) {
    if (record.profileId !== null && profileIds.has(record.profileId)) {
      found.set(`${record.type}:${record.value}`, record)
    }
  }
  const componentIds = new Set([...found.values()].map((r) => r.componentId))
  return {
    identifiers: [...found.values()],
    profiles: [...profileIds].flatMap((id) => s.profiles.get(id) ?? []),
    components: [...componentIds].flatMap((id) => s.components.get(id) ?? []),
    overrides: s.overrides.filter((o) => o.collection === collection && names(o, wanted)),
  }
}

function loadComponents(s: MemoryIdentityState, componentIds: string[]): ComponentLoad {
  const ids = new Set(componentIds)
  const identifiers = [...s.identifiers.values()].filter((r) => ids.has(r.componentId))
  const keys: Record<Collection, Set<string>> = { users: new Set(), accounts: new Set() }
  for (const r of identifiers) keys[r.collection].add(`${r.type}:${r.value}`)
  // Ordered by the order key recorded in profile_events, as the SQL adapters do.
  const keyOf = new Map<number, string>()
  for (const e of s.profileEvents.values()) {
    if (ids.has(e.componentId)) keyOf.set(e.seq, e.orderKey)
  }
  const events = s.events
    .filter((e) => keyOf.has(e.seq))
    .sort((a, b) => {
      const ka = keyOf.get(a.seq) as string
      const kb = keyOf.get(b.seq) as string
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
  return {
    identifiers,
    profiles: [...s.profiles.values()].filter((p) => ids.has(p.componentId)),
    components: [...ids].flatMap((id) => s.components.get(id) ?? []),
    overrides: s.overrides.filter((o) => names(o, keys[o.collection])),
    events,
  }
}

/** Applies a write in the order documented on {@link GraphWrite}. */
function applyWrite(s: MemoryIdentityState, w: GraphWrite): void {
  deleteComponents(s, new Set(w.deleteComponents))
  for (const { from, to } of w.relabelComponents) relabel(s, from, to)
  for (const { from, to } of w.moveProfiles) moveProfile(s, from, to)
  for (const c of w.components) s.components.set(c.id, c)
  for (const i of w.identifiers) s.identifiers.set(idKey(i.collection, i.type, i.value), i)
  for (const p of w.profiles) s.profiles.set(p.id, p)
  for (const e of w.events) s.profileEvents.set(`${e.seq}|${e.collection}`, e)
  for (const e of w.edges) s.edges.push({ ...e, id: s.nextEdgeId++ })
}

function deleteComponents(s: MemoryIdentityState, deleted: ReadonlySet<string>): void {
  if (deleted.size === 0) return
  const keep = <T extends { componentId: string }>(r: T): boolean => !deleted.has(r.componentId)
  filterMap(s.identifiers, keep)
  filterMap(s.profiles, keep)
  filterMap(s.profileEvents, keep)
  s.edges = s.edges.filter(keep)
  for (const id of deleted) s.components.delete(id)
}

function relabel(s: MemoryIdentityState, from: string, to: string): void {
  const moved = <T extends { componentId: string }>(r: T): T =>
    r.componentId === from ? { ...r, componentId: to } : r
  replaceRows(s.identifiers, moved)
  replaceRows(s.profiles, moved)
  replaceRows(s.profileEvents, moved)
  s.edges = s.edges.map(moved)
  s.components.delete(from)
}

function moveProfile(s: MemoryIdentityState, from: string, to: string): void {
  const moved = <T extends { profileId: string | null }>(r: T): T =>
    r.profileId === from ? { ...r, profileId: to } : r
  replaceRows(s.identifiers, moved)
  replaceRows(s.profileEvents, moved)
  s.edges = s.edges.map(moved)
  s.profiles.delete(from)
}

function replaceRows<V>(map: Map<string, V>, next: (row: V) => V): void {
  for (const [key, row] of map) {
    const updated = next(row)
    if (updated !== row) map.set(key, updated)
  }
}

function filterMap<V>(map: Map<string, V>, keep: (value: V) => boolean): void {
  for (const [key, value] of map) if (!keep(value)) map.delete(key)
}

/** What {@link buildIdentityEvent} accepts: Segment fields of the event, and its row fields. */
export interface IdentityEventInput {
  seq?: number
  messageId: string
  /** Event time, epoch ms. */
  timestamp: number
  type?: string
  sourceId?: string
  userId?: string
  anonymousId?: string
  groupId?: string
  traits?: Record<string, unknown>
  context?: Record<string, unknown>
  event?: string
}

/**
 * A stored event for identity tests: the row of the event table with a Segment payload built
 * from `input` (a `track` from `src_test` unless told otherwise).
 */
export function buildIdentityEvent(
  input: IdentityEventInput,
): Omit<IdentitySourceEvent, 'seq'> & { seq?: number } {
  const type = input.type ?? 'track'
  const { seq, sourceId = 'src_test', ...fields } = input
  const payload: Record<string, unknown> = {
    ...fields,
    type,
    timestamp: new Date(input.timestamp).toISOString(),
  }
  if (type === 'track' && payload.event === undefined) payload.event = 'Viewed'
  return {
    ...(seq === undefined ? {} : { seq }),
    messageId: input.messageId,
    sourceId,
    type,
    timestamp: input.timestamp,
    payload: JSON.stringify(payload),
  }
}

// Engine builders: identifiers written `'type:value'`, events as the engine takes them.

/** One day in ms. */
export const DAY = 86_400_000

/** `'type:value'` → identifier (split at the first colon). */
export function ident(key: string): Identifier {
  const at = key.indexOf(':')
  return { type: key.slice(0, at), value: key.slice(at + 1) }
}

/** Rules compiled from a partial `identity` config. */
export function rulesWith(config: unknown = {}): IdentityRules {
  return compileIdentityRules(identityConfigSchema.parse(config))
}

let nextSeq = 1

/** A {@link ResolvableEvent} for engine tests, written compactly. */

export interface EventSpec {
  /** Event time; the messageId defaults to `m<seq>`. */
  at: number
  messageId?: string
  seq?: number
  type?: string
  sourceId?: string
  users?: string[]
  accounts?: string[]
  traits?: Record<string, unknown>
  accountTraits?: Record<string, unknown>
}

export function buildResolvable(spec: EventSpec): ResolvableEvent {
  const seq = spec.seq ?? nextSeq++
  const messageId = spec.messageId ?? `m${String(seq).padStart(4, '0')}`
  return {
    seq,
    messageId,
    sourceId: spec.sourceId ?? 'src_test',
    type: spec.type ?? (spec.traits !== undefined ? 'identify' : 'track'),
    timestamp: spec.at,
    orderKey: orderKey(spec.at, messageId),
    users: (spec.users ?? []).map(ident),
    accounts: (spec.accounts ?? []).map(ident),
    userTraits: spec.traits ?? null,
    accountTraits: spec.accountTraits ?? null,
  }
}

/**
 * The store's graph in a form that does not depend on arrival order: rows sorted, event seqs
 * and edge ids left out (seqs follow arrival), wall-clock times left out. Two stores that
 * resolved the same events must give equal dumps.
 */
export function canonicalIdentityState(store: MemoryIdentityStore): Record<string, unknown> {
  const s = store.snapshot()
  const sortedBy = <T>(rows: Iterable<T>, key: (row: T) => string): T[] =>
    [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return {
    profiles: sortedBy(s.profiles.values(), (p) => p.id).map(
      ({ createdAt: _c, updatedAt: _u, ...rest }) => rest,
    ),
    identifiers: sortedBy(s.identifiers.values(), (i) => `${i.collection}|${i.type}:${i.value}`),
    components: sortedBy(s.components.values(), (c) => c.id),
    events: sortedBy(s.profileEvents.values(), (e) => `${e.messageId}|${e.collection}`).map(
      ({ seq: _seq, ...rest }) => rest,
    ),
    edges: s.edges.map(({ id: _id, seq: _seq, ...rest }) => JSON.stringify(rest)).sort(),
  }
}
