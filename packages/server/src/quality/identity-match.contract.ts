import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IdentityMatch } from './quality-store.js'

/** A user profile and its identifiers, in the terms of identity resolution's tables. */
export interface MatchFixtureProfile {
  id: string
  firstSeen: number
  firstSourceId: string
  identifiers: Array<{ type: string; value: string; firstSeen: number }>
}

export interface IdentityMatchContractSubject {
  readonly identityMatch: IdentityMatch
  /** Writes the profiles and identifiers straight into identity resolution's tables. */
  seed(profiles: readonly MatchFixtureProfile[]): Promise<void>
  close(): Promise<void>
}

const HOUR = 3_600_000
const T0 = Date.parse('2026-01-01T00:00:00.000Z')

/** The guarantees documented on {@link IdentityMatch}, for every adapter. */
export function describeIdentityMatchContract(
  name: string,
  open: () => Promise<IdentityMatchContractSubject>,
): void {
  describe(`IdentityMatch contract: ${name}`, () => {
    let subject: IdentityMatchContractSubject

    beforeEach(async () => {
      subject = await open()
    })

    afterEach(async () => {
      await subject.close()
    })

    it('counts anonymous-first profiles per bucket and those known since', async () => {
      await subject.seed([
        // Anonymous at T0, identified later: anonymous and known.
        {
          id: 'p1',
          firstSeen: T0,
          firstSourceId: 'web',
          identifiers: [
            { type: 'anonymous_id', value: 'a1', firstSeen: T0 },
            { type: 'user_id', value: 'u1', firstSeen: T0 + 10 },
          ],
        },
        // Anonymous, never identified.
        {
          id: 'p2',
          firstSeen: T0 + 5,
          firstSourceId: 'web',
          identifiers: [{ type: 'anonymous_id', value: 'a2', firstSeen: T0 + 5 }],
        },
        // Known from its first event: not an anonymous visitor.
        {
          id: 'p3',
          firstSeen: T0 + 6,
          firstSourceId: 'web',
          identifiers: [
            { type: 'anonymous_id', value: 'a3', firstSeen: T0 + 6 },
            { type: 'email', value: 'x@example.com', firstSeen: T0 + 6 },
          ],
        },
        // Next hour, other source, known by email later.
        {
          id: 'p4',
          firstSeen: T0 + HOUR + 1,
          firstSourceId: 'app',
          identifiers: [
            { type: 'anonymous_id', value: 'a4', firstSeen: T0 + HOUR + 1 },
            { type: 'email', value: 'y@example.com', firstSeen: T0 + 2 * HOUR },
          ],
        },
      ])
      const all = await subject.identityMatch.matchRate({
        since: T0,
        until: T0 + 2 * HOUR,
        bucketMs: HOUR,
      })
      expect(all).toEqual([
        { bucket: T0, anonymous: 2, known: 1 },
        { bucket: T0 + HOUR, anonymous: 1, known: 1 },
      ])
      const app = await subject.identityMatch.matchRate({
        sourceId: 'app',
        since: T0,
        until: T0 + 2 * HOUR,
        bucketMs: HOUR,
      })
      expect(app).toEqual([{ bucket: T0 + HOUR, anonymous: 1, known: 1 }])
      const firstHour = await subject.identityMatch.matchRate({
        since: T0,
        until: T0 + HOUR,
        bucketMs: 2 * HOUR,
      })
      expect(firstHour).toEqual([{ bucket: T0, anonymous: 2, known: 1 }])
    })

    it('answers nothing for a range without profiles', async () => {
      expect(
        await subject.identityMatch.matchRate({ since: T0, until: T0 + HOUR, bucketMs: HOUR }),
      ).toEqual([])
    })
  })
}
