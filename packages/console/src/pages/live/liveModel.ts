import type { Rejection, StoredEvent, TrackedEvent } from '../../api/types'

/** Rows kept on screen; older ones fall off. */
export const MAX_ITEMS = 500

export type LiveItem =
  ({ kind: 'event'; key: string } & StoredEvent) | ({ kind: 'rejection'; key: string } & Rejection)

export function eventItem(e: StoredEvent): LiveItem {
  return { kind: 'event', key: `e:${e.offset}`, ...e }
}

export function rejectionItem(r: Rejection): LiveItem {
  return { kind: 'rejection', key: `r:${r.receivedAt}:${r.messageId}:${r.code}`, ...r }
}

/** The Segment call of an item: the stored event, or what the client sent when rejected. */
export function callOf(item: LiveItem): TrackedEvent {
  if (item.kind === 'event') return item.event
  const payload = item.payload
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as TrackedEvent)
    : {}
}

export function eventName(call: TrackedEvent): string {
  const name = call.event ?? call.name
  return typeof name === 'string' ? name : ''
}

/** A hint for calls without a name: the path of a page call. */
export function callHint(call: TrackedEvent): string {
  const properties = call.properties
  if (typeof properties !== 'object' || properties === null) return ''
  const path = (properties as Record<string, unknown>).path
  return typeof path === 'string' ? path : ''
}

export interface LiveState {
  /** Newest first. */
  items: LiveItem[]
  /** Arrived while paused, newest first. */
  buffer: LiveItem[]
  paused: boolean
  seen: ReadonlySet<string>
}

export type LiveAction =
  | { type: 'reset' }
  | { type: 'arrive'; items: LiveItem[] }
  | { type: 'history'; items: LiveItem[] }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'clear' }

export const initialLiveState: LiveState = { items: [], buffer: [], paused: false, seen: new Set() }

function byNewest(a: LiveItem, b: LiveItem): number {
  return (b.receivedAt ?? '').localeCompare(a.receivedAt ?? '')
}

function unseen(state: LiveState, items: LiveItem[]): [LiveItem[], Set<string>] {
  // Keys only matter for overlap between history and stream: forget those long gone.
  const seen =
    state.seen.size > 4 * MAX_ITEMS
      ? new Set([...state.items, ...state.buffer].map((item) => item.key))
      : new Set(state.seen)
  const fresh = items.filter((item) => !seen.has(item.key) && seen.add(item.key))
  return [fresh, seen]
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'reset':
      return { ...initialLiveState, paused: state.paused }
    case 'arrive': {
      const [fresh, seen] = unseen(state, action.items)
      const newest = [...fresh].reverse()
      if (state.paused) {
        return { ...state, seen, buffer: [...newest, ...state.buffer].slice(0, MAX_ITEMS) }
      }
      return { ...state, seen, items: [...newest, ...state.items].slice(0, MAX_ITEMS) }
    }
    case 'history': {
      const [fresh, seen] = unseen(state, action.items)
      const items = [...state.items, ...fresh].sort(byNewest).slice(0, MAX_ITEMS)
      return { ...state, seen, items }
    }
    case 'pause':
      return { ...state, paused: true }
    case 'resume':
      return {
        ...state,
        paused: false,
        buffer: [],
        items: [...state.buffer, ...state.items].slice(0, MAX_ITEMS),
      }
    case 'clear':
      return { ...state, items: [], buffer: [] }
  }
}

export interface LiveFilter {
  /** A Segment call type, `rejected`, or '' for all. */
  type: string
  event: string
  user: string
}

export const emptyFilter: LiveFilter = { type: '', event: '', user: '' }

const contains = (value: unknown, needle: string): boolean =>
  typeof value === 'string' && value.toLowerCase().includes(needle.toLowerCase())

export function matchesFilter(item: LiveItem, filter: LiveFilter): boolean {
  const call = callOf(item)
  if (filter.type === 'rejected' && item.kind !== 'rejection') return false
  if (filter.type !== '' && filter.type !== 'rejected' && call.type !== filter.type) return false
  if (filter.event !== '' && !contains(eventName(call), filter.event)) return false
  if (filter.user !== '' && !contains(call.userId, filter.user)) {
    if (!contains(call.anonymousId, filter.user)) return false
  }
  return true
}
