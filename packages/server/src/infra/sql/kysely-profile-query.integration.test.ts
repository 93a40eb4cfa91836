import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  buildProfileScenario,
  describeProfileQueryContract,
  type ProfileQueryContractSubject,
} from '../../identity/profile-query.contract.js'
import type { TesseraDatabase } from './database.js'
import { KyselyProfileQuery } from './kysely-profile-query.js'
import { seedIdentityRows } from './seed-identity-rows.js'
import { useTestDatabases } from './test-databases.js'

const databases = useTestDatabases('profiles')

function subjectOf(db: Kysely<TesseraDatabase>): ProfileQueryContractSubject {
  return {
    profileQuery: new KyselyProfileQuery(db),
    seed: (fixture) => seedIdentityRows(db, fixture),
    close: () => db.destroy(),
  }
}

function openSqlite(): Promise<ProfileQueryContractSubject> {
  return Promise.resolve(subjectOf(databases.sqlite()))
}

async function openPostgres(): Promise<ProfileQueryContractSubject> {
  return subjectOf(await databases.postgres())
}

describeProfileQueryContract('sqlite', openSqlite)
describeProfileQueryContract('postgres', openPostgres)

describe('KyselyProfileQuery on SQLite', () => {
  // CPU time, not wall time: other processes on a shared machine stretch wall time.
  it('serves a Profile API lookup and page of events in under 2 ms of CPU', async () => {
    const subject = await openSqlite()
    try {
      await subject.seed(buildProfileScenario().fixture)
      const query = subject.profileQuery
      const email = { type: 'email', value: 'jane@example.com' }
      for (let i = 0; i < 50; i++) await query.findByIdentifier('users', email)
      const rounds = 200
      const started = process.cpuUsage()
      for (let i = 0; i < rounds; i++) {
        const profile = await query.findByIdentifier('users', email)
        expect((await query.events(profile?.id ?? '', { limit: 10 })).data).toHaveLength(6)
      }
      const used = process.cpuUsage(started)
      const perRequest = (used.user + used.system) / 1000 / rounds
      expect(perRequest).toBeLessThan(2)
    } finally {
      await subject.close()
    }
  })
})
