/** Shapes of the admin API's JSON (see packages/server/src/api/serialize.ts). */

export interface WriteKey {
  key: string
  /** ISO time after which a rotated key stops working; null for the current key. */
  expiresAt: string | null
}

export interface RateLimit {
  perSecond: number
  burst: number
}

export interface Source {
  id: string
  name: string
  writeKey: string | null
  writeKeys: WriteKey[]
  allowedOrigins: string[] | null
  rateLimit: RateLimit | null
  managed: boolean
  createdAt: string | null
  updatedAt: string | null
}

/** A Segment event as stored: the normalized tracking API payload. */
export interface TrackedEvent {
  type?: string
  event?: string
  name?: string
  userId?: string | null
  anonymousId?: string | null
  messageId?: string
  [key: string]: unknown
}

export interface StoredEvent {
  offset: number
  sourceId: string
  receivedAt: string | null
  event: TrackedEvent
}

export interface Rejection {
  id?: number
  sourceId: string
  receivedAt: string | null
  code: string
  reason: string
  messageId: string | null
  payload: unknown
}

export interface StatsRow {
  sourceId: string
  minute: string | null
  accepted: number
  duplicates: number
  rejected: number
  bytes: number
}

export interface Page<T> {
  data: T[]
  next: string | null
}

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown; requestId?: string }
}
