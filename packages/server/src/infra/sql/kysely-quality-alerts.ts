import type { Kysely } from 'kysely'
import type { AlertRule, Incident, QualityAlertStore } from '../../quality/index.js'
import type { TesseraDatabase } from './database.js'
import type { QualityTables } from './quality-tables.js'

type Db = Kysely<TesseraDatabase & QualityTables>

/** {@link QualityAlertStore} over the shared schema (SQLite and PostgreSQL). */
export class KyselyQualityAlerts implements QualityAlertStore {
  private readonly db: Db

  constructor(db: Kysely<TesseraDatabase>) {
    this.db = db.withTables<QualityTables>()
  }

  async rules(): Promise<AlertRule[]> {
    const rows = await this.db.selectFrom('quality_rules').select('rule').orderBy('id').execute()
    return rows.map((r) => JSON.parse(r.rule) as AlertRule)
  }

  async insertRule(rule: AlertRule, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto('quality_rules')
      .values({ id: rule.id, rule: JSON.stringify(rule), created_at: at, updated_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async updateRule(rule: AlertRule, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('quality_rules')
      .set({ rule: JSON.stringify(rule), updated_at: at })
      .where('id', '=', rule.id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async deleteRule(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('quality_rules').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async incidents(filter: {
    status?: 'open' | 'resolved'
    ruleId?: string
    limit: number
  }): Promise<Incident[]> {
    let query = this.db.selectFrom('quality_incidents').select('data')
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (filter.ruleId !== undefined) query = query.where('rule_id', '=', filter.ruleId)
    const rows = await query
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute()
    return rows.map((r) => JSON.parse(r.data) as Incident)
  }

  async incident(id: string): Promise<Incident | null> {
    const row = await this.db
      .selectFrom('quality_incidents')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? (JSON.parse(row.data) as Incident) : null
  }

  async saveIncident(incident: Incident): Promise<void> {
    const data = JSON.stringify(incident)
    await this.db
      .insertInto('quality_incidents')
      .values({
        id: incident.id,
        rule_id: incident.ruleId,
        status: incident.status,
        opened_at: incident.openedAt,
        data,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ status: incident.status, data }))
      .execute()
  }
}
