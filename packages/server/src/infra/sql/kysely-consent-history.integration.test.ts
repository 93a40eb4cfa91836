import { CompiledQuery, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import {
  describeConsentHistoryContract,
  type ConsentHistoryContractSubject,
} from '../../consent/consent-history.contract.js'
import { describePreferenceStoreContract } from '../../consent/preference-store.contract.js'
import type { TesseraDatabase } from './database.js'
import { KyselyConsentHistory } from './kysely-consent-history.js'
import { KyselyPreferenceStore } from './kysely-preference-store.js'
import { seedIdentityRows } from './seed-identity-rows.js'
import { useTestDatabases } from './test-databases.js'

const databases = useTestDatabases('consent')

function subjectOf(
  db: Kysely<TesseraDatabase>,
): ConsentHistoryContractSubject & { preferences: KyselyPreferenceStore } {
  return {
    consentHistory: new KyselyConsentHistory(db),
    preferences: new KyselyPreferenceStore(db),
    seed: (fixture) => seedIdentityRows(db, fixture),
    close: () => db.destroy(),
  }
}

function openSqlite(): Promise<ReturnType<typeof subjectOf>> {
  return Promise.resolve(subjectOf(databases.sqlite()))
}

async function openPostgres(): Promise<ReturnType<typeof subjectOf>> {
  return subjectOf(await databases.postgres())
}

describeConsentHistoryContract('sqlite', openSqlite)
describeConsentHistoryContract('postgres', openPostgres)
describePreferenceStoreContract('sqlite', openSqlite)
describePreferenceStoreContract('postgres', openPostgres)

describe('KyselyConsentHistory.preferenceProfiles on SQLite', () => {
  it('takes the seqs from the partial index instead of walking every profile event', async () => {
    const db = databases.sqlite()
    const compiled: CompiledQuery[] = []
    const spy = db.withPlugin({
      transformQuery: (args) => {
        compiled.push(db.getExecutor().compileQuery(args.node, args.queryId))
        return args.node
      },
      transformResult: (args) => Promise.resolve(args.result),
    })
    expect(await new KyselyConsentHistory(spy).preferenceProfiles(100)).toEqual([])
    const query = compiled.at(-1)
    if (query === undefined) throw new Error('no query ran')
    const plan = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
    )
    const steps = plan.rows.map((r) => r.detail)
    expect(steps.some((s) => s.includes('events_preferences'))).toBe(true)
    expect(steps.some((s) => /^SCAN pe\b/.test(s))).toBe(false)
  })
})
