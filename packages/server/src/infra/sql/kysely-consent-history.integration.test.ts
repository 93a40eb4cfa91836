import type { Kysely } from 'kysely'
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
