/** Failed authentications of one client address within one window. */
export interface DeniedWindow {
  ip: string
  /** Failures in the window, the first (already recorded) included. */
  count: number
  from: number
}

/**
 * Keeps authentication failures from flooding the audit log: the first failure of an address
 * in a window (default one minute) is recorded at once (`hit` returns true); later ones are
 * only counted, and `closed(now)` hands back each finished window that had more than one
 * failure, to be recorded as one summary entry. Memory: one small record per address seen
 * within the window.
 */
export class DeniedThrottle {
  private readonly windows = new Map<string, DeniedWindow>()

  constructor(private readonly windowMs = 60_000) {}

  /** Counts a failure; true when it opens a new window (record it). */
  hit(ip: string, at: number): boolean {
    const open = this.windows.get(ip)
    if (open !== undefined && at - open.from < this.windowMs) {
      open.count += 1
      return false
    }
    if (open !== undefined && open.count > 1) this.pendingSummaries.push(open)
    this.windows.set(ip, { ip, count: 1, from: at })
    return true
  }

  private pendingSummaries: DeniedWindow[] = []

  /** Finished windows with more than one failure (all of them when `force`), removed. */
  closed(now: number, force = false): DeniedWindow[] {
    const out = this.pendingSummaries
    this.pendingSummaries = []
    for (const [ip, window] of this.windows) {
      if (force || now - window.from >= this.windowMs) {
        this.windows.delete(ip)
        if (window.count > 1) out.push(window)
      }
    }
    return out
  }
}

/**
 * Says when a token was first used in the current hour (default), to record which tokens are
 * alive without one entry per request. Keyed by fingerprint, never the token.
 */
export class TokenUseTracker {
  private readonly lastRecorded = new Map<string, number>()

  constructor(private readonly windowMs = 3_600_000) {}

  /** True when `fingerprint` was not recorded within the window (and marks it recorded). */
  firstUse(fingerprint: string, at: number): boolean {
    const last = this.lastRecorded.get(fingerprint)
    if (last !== undefined && at - last < this.windowMs) return false
    this.lastRecorded.set(fingerprint, at)
    return true
  }
}
