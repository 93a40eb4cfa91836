import type { Kysely } from 'kysely'
import {
  describePlanStoreContract,
  type PlanStoreContractSubject,
} from '../../plans/plan-store.contract.js'
import type { TesseraDatabase } from './database.js'
import { KyselyPlanStore } from './kysely-plan-store.js'
import { useTestDatabases } from './test-databases.js'

const databases = useTestDatabases('plans')

function subjectOf(db: Kysely<TesseraDatabase>): PlanStoreContractSubject {
  return { store: new KyselyPlanStore(db), close: () => db.destroy() }
}

function openSqlite(): Promise<PlanStoreContractSubject> {
  return Promise.resolve(subjectOf(databases.sqlite()))
}

async function openPostgres(): Promise<PlanStoreContractSubject> {
  return subjectOf(await databases.postgres({ max: 4 }))
}

describePlanStoreContract('sqlite', openSqlite)
describePlanStoreContract('postgres', openPostgres)
