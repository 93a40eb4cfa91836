/** A write key and, for a rotated-out key, when it stops working. */
export interface WriteKey {
  key: string
  /** Epoch ms after which the key is refused; null while it is current. */
  expiresAt: number | null
}

/** Per-source request rate limit (token bucket). */
export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number
  /** Bucket size: requests allowed in a burst. */
  burst: number
}

/** A source of events: one app, site or service sending with its own write key(s). */
export interface Source {
  id: string
  name: string
  writeKeys: WriteKey[]
  /** Browser origins allowed to send (CORS); null allows every origin. */
  allowedOrigins: string[] | null
  rateLimit: RateLimit | null
  /** True when defined in the config file: read-only through the API. */
  managed: boolean
  createdAt: number
  updatedAt: number
}

/** Fields a caller sets when creating or updating a stored source. */
export interface SourceInput {
  name: string
  allowedOrigins?: string[] | null
  rateLimit?: RateLimit | null
}
