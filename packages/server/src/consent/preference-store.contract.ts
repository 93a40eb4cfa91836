/**
 * The contract every {@link PreferenceStore} adapter passes (SQLite and PostgreSQL run it in
 * infra/sql/kysely-consent-history.integration.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { foldPreferences, type PreferenceChange, type PreferenceStore } from './preferences.js'

export interface PreferenceStoreContractSubject {
  readonly preferences: PreferenceStore
  close(): Promise<void>
}

const email = { type: 'email', value: 'ana@example.com' }
const user = { type: 'user_id', value: 'ana' }
const other = { type: 'user_id', value: 'bo' }

function change(
  identifier: { type: string; value: string },
  at: number,
  values: PreferenceChange['values'],
): PreferenceChange {
  return { identifier, at, actor: { kind: 'api', actor: 'admin:0000abcd' }, values }
}

export function describePreferenceStoreContract(
  name: string,
  open: () => Promise<PreferenceStoreContractSubject>,
): void {
  describe(`PreferenceStore contract: ${name}`, () => {
    let subject: PreferenceStoreContractSubject
    beforeEach(async () => {
      subject = await open()
    })
    afterEach(async () => {
      await subject.close()
    })

    it('appends changes with ids and reads them back for several identifiers in time order', async () => {
      const store = subject.preferences
      const first = await store.append(change(user, 2_000, { 'channels.email': false }))
      await store.append(change(other, 1_500, { 'channels.sms': false }))
      await store.append({
        identifier: email,
        at: 1_000,
        actor: { kind: 'event', sourceId: 'web', messageId: 'm-1', seq: 7 },
        values: { 'channels.email': true, frequency: 'weekly' },
      })
      await store.append(change(email, 3_000, { 'contentTypes.offers': false }))
      expect(first.id).toBeGreaterThan(0)
      const changes = await store.changes([user, email], 100)
      expect(changes.map((c) => c.at)).toEqual([1_000, 2_000, 3_000])
      expect(changes[0]).toMatchObject({
        identifier: email,
        actor: { kind: 'event', sourceId: 'web', messageId: 'm-1', seq: 7 },
        values: { 'channels.email': true, frequency: 'weekly' },
      })
      expect(foldPreferences(changes)).toEqual({
        channels: { email: false },
        contentTypes: { offers: false },
        frequency: 'weekly',
      })
    })

    it('keeps the newest changes within the limit, and answers [] for no identifiers', async () => {
      const store = subject.preferences
      for (let i = 1; i <= 5; i++) await store.append(change(user, i, { frequency: 'daily' }))
      expect((await store.changes([user], 2)).map((c) => c.at)).toEqual([4, 5])
      expect(await store.changes([], 10)).toEqual([])
    })

    it('lists the identifiers that have changes, once each', async () => {
      const store = subject.preferences
      await store.append(change(user, 1, { frequency: 'daily' }))
      await store.append(change(user, 2, { frequency: 'never' }))
      await store.append(change(email, 3, { 'channels.email': false }))
      expect(await store.identifiers(10)).toEqual([email, user])
    })
  })
}
