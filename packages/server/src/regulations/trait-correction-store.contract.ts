import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventStore } from '../events/index.js'
import {
  compileIdentityRules,
  CORRECTION_SOURCE,
  DEFAULT_IDENTITY_CONFIG,
  resolveBatch,
  type IdentityStore,
  type ProfileQuery,
  type ProfileRecord,
} from '../identity/index.js'
import { systemClock } from '../platform/clock.js'
import {
  BUILDER_EPOCH,
  buildEventItem,
  buildLogEntries,
  buildRejectionItem,
} from '../testing/builders.js'
import type { ErasureTarget, SubjectEventFinder } from './erasure-target.js'
import type { ErasureSubject } from './model.js'
import type { SubjectRecords } from './subject-records.js'
import type { NewTraitCorrection, TraitCorrectionStore } from './trait-correction-store.js'

/** What the suite needs of a storage (a SQLite or PostgreSQL `Storage` satisfies it). */
export interface TraitCorrectionContractSubject {
  readonly traitCorrections: TraitCorrectionStore
  readonly subjectRecords: SubjectRecords
  readonly erasure: { targets: readonly ErasureTarget[]; finder: SubjectEventFinder }
  readonly eventStore: EventStore
  readonly identityStore: IdentityStore
  readonly profileQuery: ProfileQuery
  close(): Promise<void>
}

const t = BUILDER_EPOCH

/** An identify event with `traits` at `t + at` ms. */
function identify(
  messageId: string,
  at: number,
  ids: { userId?: string; anonymousId?: string },
  traits: Record<string, unknown> = {},
) {
  const timestamp = new Date(t + at).toISOString()
  return buildEventItem({
    type: 'identify',
    messageId,
    userId: ids.userId ?? null,
    anonymousId: ids.anonymousId ?? null,
    timestamp: t + at,
    payload: JSON.stringify({ type: 'identify', messageId, timestamp, ...ids, traits }),
  })
}

/** A correction of `trait` on `profile`, keyed by `identifier`, made at `t + at`. */
function correction(
  profile: ProfileRecord,
  identifier: { type: string; value: string },
  trait: string,
  change: { value: unknown; at: number } | { unset: true; at: number },
): NewTraitCorrection {
  const removed = 'unset' in change
  return {
    profileId: profile.id,
    collection: 'users',
    identifier,
    trait,
    value: 'value' in change ? change.value : null,
    removed,
    previous: profile.traits[trait]?.value ?? null,
    reason: `fix ${trait}`,
    actor: 'admin:test',
    createdAt: t + change.at,
  }
}

/** Live trait values (tombstones left out). */
function values(profile: ProfileRecord | null): Record<string, unknown> {
  const entries = Object.entries(profile?.traits ?? {}).filter(([, v]) => v.value !== null)
  return Object.fromEntries(entries.map(([k, v]) => [k, v.value]))
}

/**
 * The guarantees of {@link TraitCorrectionStore}, of corrections as `ProfileQuery` applies
 * them (over real resolution: rebuilds, merges, newer events), of {@link SubjectRecords} and of
 * the `trait_corrections` erasure target, for every storage.
 */
export function describeTraitCorrectionContract(
  name: string,
  open: () => Promise<TraitCorrectionContractSubject>,
): void {
  describe(`trait corrections (${name})`, () => {
    let subject: TraitCorrectionContractSubject
    let seq = 1
    beforeEach(async () => {
      subject = await open()
      seq = 1
    })
    afterEach(async () => {
      await subject.close()
    })

    async function ingest(items: ReturnType<typeof buildEventItem>[]): Promise<void> {
      await subject.eventStore.apply('store', buildLogEntries(seq, items))
      seq += items.length
      const events = await subject.identityStore.readEvents(0, 1000)
      await resolveBatch({
        store: subject.identityStore,
        rules: compileIdentityRules(DEFAULT_IDENTITY_CONFIG),
        consumer: 'identity',
        events,
        clock: systemClock,
      })
    }

    const byUser = (value: string) =>
      subject.profileQuery.findByIdentifier('users', { type: 'user_id', value })
    const byAnon = (value: string) =>
      subject.profileQuery.findByIdentifier('users', { type: 'anonymous_id', value })

    async function subjectOf(profile: ProfileRecord): Promise<ErasureSubject> {
      const ids = (await subject.profileQuery.identifiers(profile.id, { limit: 100 })).data
      return {
        profileIds: [profile.id],
        identifiers: ids.map((i) => ({ type: i.type, value: i.value })),
      }
    }

    /** Jane (u1, anonymous a1) and Bob (u2), resolved; Jane's plan and city corrected at +100. */
    async function seedCorrected(): Promise<ProfileRecord> {
      await ingest([
        identify('j-1', 10, { userId: 'u1', anonymousId: 'a1' }, { plan: 'pro', city: 'Paris' }),
        identify('b-1', 20, { userId: 'u2' }, { plan: 'free', city: 'Oslo' }),
      ])
      const jane = await byUser('u1')
      if (jane === null) throw new Error('jane was not resolved')
      const key = { type: 'user_id', value: 'u1' }
      await subject.traitCorrections.append([
        correction(jane, key, 'plan', { value: 'enterprise', at: 100 }),
        correction(jane, key, 'city', { unset: true, at: 100 }),
      ])
      return jane
    }

    it('appends with ascending ids and applies corrections where profiles are read', async () => {
      const jane = await seedCorrected()
      const [first, second] = (await subject.traitCorrections.list(jane.id, { limit: 10 })).data
      expect(second?.trait).toBe('plan')
      expect(first?.trait).toBe('city')
      expect(first?.id).toBeGreaterThan(second?.id ?? Infinity)
      expect(second).toMatchObject({ value: 'enterprise', removed: false, previous: 'pro' })
      expect(first).toMatchObject({ value: null, removed: true, previous: 'Paris' })
      expect(first?.reason).toBe('fix city')
      const read = await subject.profileQuery.get(jane.id)
      expect(values(read)).toEqual({ plan: 'enterprise' })
      expect(read?.traits.plan).toMatchObject({
        sourceId: CORRECTION_SOURCE,
        messageId: `correction:${second?.id}`,
        timestamp: t + 100,
      })
      expect(values(await byAnon('a1'))).toEqual({ plan: 'enterprise' })
      // Search sees the corrected traits: the removed city no longer matches.
      const found = await subject.profileQuery.search(
        { q: 'paris', collection: 'users' },
        { limit: 10 },
      )
      expect(found.data).toEqual([])
      // The other person is untouched.
      expect(values(await byUser('u2'))).toEqual({ plan: 'free', city: 'Oslo' })
    })

    it('pages the list newest first', async () => {
      const jane = await seedCorrected()
      const page1 = await subject.traitCorrections.list(jane.id, { limit: 1 })
      expect(page1.data.map((c) => c.trait)).toEqual(['city'])
      expect(page1.next).not.toBeNull()
      const page2 = await subject.traitCorrections.list(jane.id, {
        limit: 1,
        cursor: page1.next ?? '',
      })
      expect(page2.data.map((c) => c.trait)).toEqual(['plan'])
      expect(page2.next).toBeNull()
      expect((await subject.traitCorrections.list('usr_unknown', { limit: 5 })).data).toEqual([])
    })

    it('survives a late event rebuild and a merge; a newer event wins', async () => {
      const jane = await seedCorrected()
      // Late (older than everything): the component is rebuilt and the profile gets a new id.
      await ingest([identify('j-0', 5, { anonymousId: 'a1' }, { plan: 'basic', city: 'Lyon' })])
      const rebuilt = await byUser('u1')
      expect(rebuilt?.id).not.toBe(jane.id)
      expect(values(rebuilt)).toEqual({ plan: 'enterprise' })
      // Carl (anonymous only) has a nickname removed, then is merged into Jane.
      await ingest([identify('c-1', 30, { anonymousId: 'c1' }, { nickname: 'cc', age: 40 })])
      const carl = await byAnon('c1')
      if (carl === null) throw new Error('carl was not resolved')
      await subject.traitCorrections.append([
        correction(carl, { type: 'anonymous_id', value: 'c1' }, 'nickname', {
          unset: true,
          at: 150,
        }),
      ])
      await ingest([identify('j-2', 40, { userId: 'u1', anonymousId: 'c1' })])
      const merged = await byUser('u1')
      expect((await byAnon('c1'))?.id).toBe(merged?.id)
      expect(values(merged)).toEqual({ plan: 'enterprise', age: 40 })
      const listed = await subject.traitCorrections.list(merged?.id ?? '', { limit: 10 })
      expect(listed.data.map((c) => c.trait)).toEqual(['nickname', 'city', 'plan'])
      // An event later than the corrections sets the plan again; the removals stay.
      await ingest([identify('j-3', 200, { userId: 'u1' }, { plan: 'team' })])
      const latest = await byUser('u1')
      expect(values(latest)).toEqual({ plan: 'team', age: 40 })
      expect(latest?.traits.plan?.messageId).toBe('j-3')
    })

    it('finds the subject records and erases the corrections, idempotently', async () => {
      const jane = await seedCorrected()
      const bob = await byUser('u2')
      if (bob === null) throw new Error('bob was not resolved')
      await subject.traitCorrections.append([
        correction(bob, { type: 'user_id', value: 'u2' }, 'city', { unset: true, at: 100 }),
      ])
      await subject.eventStore.apply(
        'store',
        buildLogEntries(seq, [
          buildRejectionItem({ messageId: 'j-9', payload: '{"type":"track","userId":"u1"}' }),
          buildRejectionItem({ messageId: 'b-9', payload: '{"type":"track","userId":"u2"}' }),
        ]),
      )
      seq += 2
      const person = await subjectOf(jane)
      const ofJane = await subject.traitCorrections.ofSubject(person)
      expect(ofJane.map((c) => c.trait)).toEqual(['plan', 'city'])
      const events = await subject.erasure.finder.find(person)
      const rejected = await subject.subjectRecords.rejected(person, events, 100)
      expect(rejected.map((r) => r.messageId)).toEqual(['j-9'])
      expect(rejected[0]?.payload).toEqual({ type: 'track', userId: 'u1' })
      expect(await subject.subjectRecords.quarantined(person, events, 100)).toEqual([])
      expect(await subject.subjectRecords.delivery(events, 100)).toEqual({
        retries: [],
        deadLetters: [],
      })
      const target = subject.erasure.targets.find((x) => x.name === 'trait_corrections')
      if (target === undefined) throw new Error('no trait_corrections erasure target')
      const names = subject.erasure.targets.map((x) => x.name)
      expect(names.indexOf('trait_corrections')).toBeLessThan(names.indexOf('identity'))
      expect(await target.erase(person, events)).toEqual({ trait_corrections: 2 })
      expect(await target.erase(person, events)).toEqual({ trait_corrections: 0 })
      expect(await subject.traitCorrections.ofSubject(person)).toEqual([])
      expect(values(await byUser('u1'))).toEqual({ plan: 'pro', city: 'Paris' })
      const bobs = await subject.traitCorrections.list(bob.id, { limit: 10 })
      expect(bobs.data.map((c) => c.trait)).toEqual(['city'])
    })
  })
}
