import type { Kysely, Transaction } from 'kysely'
import {
  diffRules,
  type ActivePlan,
  type ChangeMeta,
  type ConnectResult,
  type Enforcement,
  type NewPlan,
  type PlanChange,
  type PlanRevision,
  type PlanRule,
  type PlanStore,
  type SourcePlan,
  type TrackingPlan,
} from '../../plans/index.js'
import type { TesseraDatabase, TrackingPlansTable } from './database.js'
import { num } from './delivery-rows.js'

type Tx = Transaction<TesseraDatabase>

/**
 * {@link PlanStore} over the shared schema (SQLite `tessera.db` or PostgreSQL). Every write
 * transaction starts by bumping the `tracking_plan_stamp` row: on PostgreSQL that row lock
 * serialises plan writes (so an update's read-modify-write never races another), on SQLite
 * the first write takes the file's write lock; and the stamp moves with every change.
 */
export class KyselyPlanStore implements PlanStore {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async stamp(): Promise<number> {
    const row = await this.db
      .selectFrom('tracking_plan_stamp')
      .select('value')
      .where('id', '=', 1)
      .executeTakeFirst()
    return row ? num(row.value) : 0
  }

  async active(): Promise<ActivePlan[]> {
    return this.db.transaction().execute(async (trx) => {
      const links = await trx
        .selectFrom('tracking_plan_sources')
        .selectAll()
        .orderBy('source_id')
        .execute()
      if (links.length === 0) return []
      const planIds = [...new Set(links.map((l) => l.plan_id))]
      const plans = await trx
        .selectFrom('tracking_plans')
        .selectAll()
        .where('id', 'in', planIds)
        .execute()
      const byId = new Map(plans.map((p) => [p.id, toPlan(p)]))
      return links.flatMap((link) => {
        const plan = byId.get(link.plan_id)
        return plan
          ? [
              {
                sourceId: link.source_id,
                plan,
                enforcement: JSON.parse(link.enforcement) as Enforcement,
              },
            ]
          : []
      })
    })
  }

  async create(plan: NewPlan, meta: ChangeMeta): Promise<TrackingPlan | null> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const taken = await trx
        .selectFrom('tracking_plans')
        .select('id')
        .where('id', '=', plan.id)
        .executeTakeFirst()
      if (taken) return null
      const rules = JSON.stringify(plan.rules)
      await trx
        .insertInto('tracking_plans')
        .values({
          id: plan.id,
          name: plan.name,
          description: plan.description ?? null,
          rules,
          revision: 1,
          created_at: meta.at,
          updated_at: meta.at,
        })
        .execute()
      await insertRevision(trx, { planId: plan.id, revision: 1 }, meta, {
        rules: plan.rules,
        diff: diffRules([], plan.rules),
      })
      return {
        id: plan.id,
        name: plan.name,
        ...(plan.description === undefined ? {} : { description: plan.description }),
        rules: plan.rules,
        revision: 1,
        managed: false,
        createdAt: iso(meta.at),
        updatedAt: iso(meta.at),
      }
    })
  }

  async get(id: string): Promise<TrackingPlan | null> {
    const row = await this.db
      .selectFrom('tracking_plans')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toPlan(row) : null
  }

  async list(): Promise<TrackingPlan[]> {
    const rows = await this.db.selectFrom('tracking_plans').selectAll().orderBy('id').execute()
    return rows.map(toPlan)
  }

  async update(
    id: string,
    change: (current: TrackingPlan) => PlanChange,
    meta: ChangeMeta,
  ): Promise<TrackingPlan | null> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const row = await trx
        .selectFrom('tracking_plans')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      if (!row) return null
      const current = toPlan(row)
      const next = change(current)
      const rules = next.rules ?? current.rules
      const description =
        next.description === undefined ? (current.description ?? null) : next.description
      const revision = current.revision + 1
      await trx
        .updateTable('tracking_plans')
        .set({
          name: next.name ?? current.name,
          description,
          rules: JSON.stringify(rules),
          revision,
          updated_at: meta.at,
        })
        .where('id', '=', id)
        .execute()
      await insertRevision(trx, { planId: id, revision: revision }, meta, {
        rules: rules,
        diff: diffRules(current.rules, rules),
      })
      return {
        ...current,
        name: next.name ?? current.name,
        ...(description === null ? { description: undefined } : { description }),
        rules,
        revision,
        updatedAt: iso(meta.at),
      }
    })
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const result = await trx.deleteFrom('tracking_plans').where('id', '=', id).executeTakeFirst()
      await trx.deleteFrom('tracking_plan_revisions').where('plan_id', '=', id).execute()
      await trx.deleteFrom('tracking_plan_sources').where('plan_id', '=', id).execute()
      return Number(result.numDeletedRows) > 0
    })
  }

  async revisions(id: string): Promise<PlanRevision[]> {
    const rows = await this.db
      .selectFrom('tracking_plan_revisions')
      .selectAll()
      .where('plan_id', '=', id)
      .orderBy('revision', 'desc')
      .execute()
    return rows.map(toRevision)
  }

  async revision(id: string, revision: number): Promise<PlanRevision | null> {
    const row = await this.db
      .selectFrom('tracking_plan_revisions')
      .selectAll()
      .where('plan_id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst()
    return row ? toRevision(row) : null
  }

  async connect(
    sourceId: string,
    planId: string,
    enforcement: Enforcement,
    at: number,
  ): Promise<ConnectResult> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const plan = await trx
        .selectFrom('tracking_plans')
        .select('id')
        .where('id', '=', planId)
        .executeTakeFirst()
      if (!plan) return 'plan-not-found'
      const existing = await trx
        .selectFrom('tracking_plan_sources')
        .select('plan_id')
        .where('source_id', '=', sourceId)
        .executeTakeFirst()
      if (existing) return 'source-connected'
      await trx
        .insertInto('tracking_plan_sources')
        .values({
          source_id: sourceId,
          plan_id: planId,
          enforcement: JSON.stringify(enforcement),
          updated_at: at,
        })
        .execute()
      return 'connected'
    })
  }

  async setEnforcement(sourceId: string, enforcement: Enforcement, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const result = await trx
        .updateTable('tracking_plan_sources')
        .set({ enforcement: JSON.stringify(enforcement), updated_at: at })
        .where('source_id', '=', sourceId)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    })
  }

  async disconnect(sourceId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await bump(trx)
      const result = await trx
        .deleteFrom('tracking_plan_sources')
        .where('source_id', '=', sourceId)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  async connections(planId?: string): Promise<SourcePlan[]> {
    let query = this.db.selectFrom('tracking_plan_sources').selectAll().orderBy('source_id')
    if (planId !== undefined) query = query.where('plan_id', '=', planId)
    return (await query.execute()).map(toSourcePlan)
  }

  async connectionOf(sourceId: string): Promise<SourcePlan | null> {
    const row = await this.db
      .selectFrom('tracking_plan_sources')
      .selectAll()
      .where('source_id', '=', sourceId)
      .executeTakeFirst()
    return row ? toSourcePlan(row) : null
  }
}

async function bump(trx: Tx): Promise<void> {
  await trx
    .updateTable('tracking_plan_stamp')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('id', '=', 1)
    .execute()
}

async function insertRevision(
  trx: Tx,
  at: { planId: string; revision: number },
  meta: ChangeMeta,
  change: { rules: PlanRule[]; diff: PlanRevision['diff'] },
): Promise<void> {
  await trx
    .insertInto('tracking_plan_revisions')
    .values({
      plan_id: at.planId,
      revision: at.revision,
      author: meta.author,
      at: meta.at,
      rules: JSON.stringify(change.rules),
      diff: JSON.stringify(change.diff),
    })
    .execute()
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function toPlan(row: TrackingPlansTable): TrackingPlan {
  return {
    id: row.id,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    rules: JSON.parse(row.rules) as PlanRule[],
    revision: num(row.revision),
    managed: false,
    createdAt: iso(num(row.created_at)),
    updatedAt: iso(num(row.updated_at)),
  }
}

function toRevision(row: {
  plan_id: string
  revision: number
  author: string
  at: number
  rules: string
  diff: string
}): PlanRevision {
  return {
    planId: row.plan_id,
    revision: num(row.revision),
    author: row.author,
    at: iso(num(row.at)),
    rules: JSON.parse(row.rules) as PlanRule[],
    diff: JSON.parse(row.diff) as PlanRevision['diff'],
  }
}

function toSourcePlan(row: {
  source_id: string
  plan_id: string
  enforcement: string
}): SourcePlan {
  return {
    sourceId: row.source_id,
    planId: row.plan_id,
    enforcement: JSON.parse(row.enforcement) as Enforcement,
  }
}
