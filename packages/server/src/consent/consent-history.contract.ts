/**
 * The contract every {@link ConsentHistory} adapter passes (SQLite and PostgreSQL run it in
 * infra/sql/kysely-consent-history.integration.test.ts). Seeds identity rows in domain terms.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildProfileRecord,
  minute,
  type ProfileQueryFixture,
} from '../identity/profile-query.contract.js'
import { orderKey, type IdentitySourceEvent, type ProfileRecord } from '../identity/index.js'
import { foldConsent, type ConsentHistory } from './profile-consent.js'

export interface ConsentHistoryContractSubject {
  readonly consentHistory: ConsentHistory
  seed(fixture: ProfileQueryFixture): Promise<void>
  close(): Promise<void>
}

function event(
  seq: number,
  at: number,
  extra: Record<string, unknown>,
  name = 'Page Viewed',
): IdentitySourceEvent {
  const messageId = `m-${seq}`
  return {
    seq,
    messageId,
    sourceId: seq % 2 === 0 ? 'src_app' : 'src_web',
    type: 'track',
    timestamp: at,
    payload: JSON.stringify({ type: 'track', event: name, userId: 'u1', messageId, ...extra }),
  }
}

const consent = (categoryPreferences: Record<string, unknown>) => ({
  context: { consent: { categoryPreferences } },
})

function profileEvent(e: IdentitySourceEvent, profile: ProfileRecord) {
  return {
    seq: e.seq,
    collection: profile.collection,
    componentId: profile.componentId,
    profileId: profile.id,
    orderKey: orderKey(e.timestamp, e.messageId),
    timestamp: e.timestamp,
    messageId: e.messageId,
    identifiers: [{ type: 'user_id', value: 'u1' }],
  }
}

const provenance = (seq: number, timestamp: number) => ({
  seq,
  messageId: `m-${seq}`,
  sourceId: seq % 2 === 0 ? 'src_app' : 'src_web',
  timestamp,
})

export function describeConsentHistoryContract(
  name: string,
  open: () => Promise<ConsentHistoryContractSubject>,
): void {
  describe(`ConsentHistory contract: ${name}`, () => {
    let subject: ConsentHistoryContractSubject
    const ana = buildProfileRecord({ id: 'usr_ana' })
    const bob = buildProfileRecord({ id: 'usr_bob' })
    // Seq is arrival order; event time says otherwise for seq 5 (sent late, happened first).
    const events = [
      event(1, minute(10), consent({ Advertising: true, Analytics: true })),
      event(2, minute(30), consent({ Advertising: false, '1bad': true })),
      event(3, minute(20), {}),
      event(4, minute(40), { properties: { note: 'the word "consent" alone' } }),
      event(5, minute(5), consent({ Email: true }), 'Segment Consent Preference Updated'),
      event(6, minute(15), consent({ Advertising: true })),
      event(7, minute(50), { properties: { channels: { email: false } } }, 'Preferences Updated'),
      event(8, minute(45), { properties: { frequency: 'daily' } }, 'Preferences Updated'),
    ]

    beforeEach(async () => {
      subject = await open()
      await subject.seed({
        events,
        profiles: [ana, bob],
        profileEvents: [
          ...events.slice(0, 5).map((e) => profileEvent(e, ana)),
          profileEvent(events[5]!, bob),
          profileEvent(events[6]!, ana),
          profileEvent(events[7]!, ana),
        ],
      })
    })
    afterEach(async () => {
      await subject.close()
    })

    it('lists the consent-carrying events of a profile in event-time order', async () => {
      const entries = await subject.consentHistory.entries('usr_ana', 100)
      expect(entries.map((e) => e.seq)).toEqual([5, 1, 2])
      expect(entries[0]).toEqual({
        seq: 5,
        messageId: 'm-5',
        sourceId: 'src_web',
        type: 'track',
        event: 'Segment Consent Preference Updated',
        timestamp: minute(5),
        consent: { categories: { Email: true }, ignored: 0 },
      })
      expect(entries[2]!.consent).toEqual({ categories: { Advertising: false }, ignored: 1 })
    })

    it('keeps the newest entries within the limit', async () => {
      const entries = await subject.consentHistory.entries('usr_ana', 2)
      expect(entries.map((e) => e.seq)).toEqual([1, 2])
    })

    it('answers [] for a profile without consent or unknown', async () => {
      expect(await subject.consentHistory.entries('usr_nobody', 10)).toEqual([])
    })

    it('folds to the last write per category, by event time', async () => {
      const folded = foldConsent(await subject.consentHistory.entries('usr_ana', 100), ['Sms'])
      expect(folded.updatedAt).toBe(minute(30))
      expect(folded.categories).toEqual({
        Email: { granted: true, collected: true, setBy: provenance(5, minute(5)) },
        Analytics: { granted: true, collected: true, setBy: provenance(1, minute(10)) },
        Advertising: {
          granted: false,
          collected: true,
          setBy: { seq: 2, messageId: 'm-2', sourceId: 'src_app', timestamp: minute(30) },
        },
        Sms: { granted: false, collected: false, setBy: null },
      })
    })

    it("lists a profile's Preferences Updated events in event-time order", async () => {
      const found = await subject.consentHistory.preferenceEvents('usr_ana', 10)
      expect(found.map((e) => [e.seq, e.timestamp, e.sourceId])).toEqual([
        [8, minute(45), 'src_app'],
        [7, minute(50), 'src_web'],
      ])
      expect(found[1]!.payload).toMatchObject({ properties: { channels: { email: false } } })
      expect(await subject.consentHistory.preferenceEvents('usr_bob', 10)).toEqual([])
      expect(await subject.consentHistory.preferenceProfiles(10)).toEqual(['usr_ana'])
    })

    it("follows identity: a profile's events are the ones attributed to it now", async () => {
      const bobs = await subject.consentHistory.entries('usr_bob', 100)
      expect(bobs.map((e) => e.seq)).toEqual([6])
    })
  })
}
