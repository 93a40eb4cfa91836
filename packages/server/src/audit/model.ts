/** How an audited action ended: done, refused (authentication or authorization), or failed. */
export type AuditOutcome = 'ok' | 'denied' | 'failed'

/** What an action was about: a kind of object and its id (null when there is none). */
export interface AuditTarget {
  type: string
  id: string | null
}

/** An entry to append: everything but the id, which the store gives. */
export interface NewAuditEntry {
  /** Epoch ms. */
  at: number
  /**
   * Who: `admin:<fingerprint>[/<name>]` (admin API), `profile-api:<fingerprint>`, `config`
   * (config file changes), `system` (jobs), `anonymous` (unauthenticated requests).
   */
  actor: string
  /** `<area>.<verb>`, e.g. `destinations.update`, `profiles.view`, `auth.denied`. */
  action: string
  target: AuditTarget
  outcome: AuditOutcome
  requestId: string | null
  ip: string | null
  /** Small JSON object; never request bodies or secrets. */
  details: Record<string, unknown>
}

/** A stored entry. `id` grows by one per entry, in append order. */
export interface AuditEntry extends NewAuditEntry {
  id: number
}

/** Filters of {@link AuditStore.query}; every field optional, all combined with AND. */
export interface AuditFilter {
  /** Inclusive lower bound on `at` (epoch ms). */
  from?: number
  /** Exclusive upper bound on `at` (epoch ms). */
  to?: number
  /** Exact actor, or an actor prefix when it ends with `*` (`admin:1a2b3c4d*`). */
  actor?: string
  /** Action prefix: `destinations` matches `destinations.update`. */
  action?: string
  targetType?: string
  targetId?: string
  outcome?: AuditOutcome
}

/** One page of entries, newest first; `next` is the cursor of the following page, or null. */
export interface AuditPage {
  entries: AuditEntry[]
  next: string | null
}

/** Result of a chain verification. */
export interface AuditVerification {
  intact: boolean
  /** Entries checked. */
  checked: number
  /** The first entry whose hash does not match, or whose id leaves a gap; null when intact. */
  firstBrokenId: number | null
  /** Why it is broken: `hash`, `link` (prev_hash differs from the previous entry's hash) or `gap`. */
  reason: 'hash' | 'link' | 'gap' | null
}
