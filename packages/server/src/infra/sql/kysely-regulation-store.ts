import { sql, type Kysely, type Selectable } from 'kysely'
import type { Page } from '../../events/index.js'
import {
  RegulationErrors,
  type ErasureCounts,
  type ErasureSubject,
  type Regulation,
  type RegulationStatus,
  type RegulationStore,
  type RegulationTask,
  type RegulationType,
  type RestrictedIdentifier,
  type SubjectIdentifier,
  type SuppressedCount,
  type SuppressedIdentifier,
  type TaskKind,
} from '../../regulations/index.js'
import type { TesseraDatabase } from './database.js'
import type {
  RegulationDatabase,
  RegulationsTable,
  RegulationTasksTable,
} from './regulation-tables.js'

function encodeListCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url')
}

function decodeListCursor(cursor: string): [number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]]
    }
  } catch {
    // An unreadable cursor is the caller's error, reported below.
  }
  throw RegulationErrors.invalidRequest('The cursor is not valid.', { details: { cursor } })
}

function toRegulation(row: Selectable<RegulationsTable>): Regulation {
  return {
    id: row.id,
    type: row.type as RegulationType,
    subjectType: row.subject_type,
    subjectIds: JSON.parse(row.subject_ids) as string[],
    subject: JSON.parse(row.subject) as ErasureSubject,
    status: row.status as RegulationStatus,
    logPosition: Number(row.log_position),
    actor: row.actor,
    createdAt: Number(row.created_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  }
}

function toTask(row: Selectable<RegulationTasksTable>): RegulationTask {
  return {
    regulationId: row.regulation_id,
    position: Number(row.position),
    kind: row.kind as TaskKind,
    target: row.target,
    name: row.name,
    status: row.status as RegulationStatus,
    errString: row.err_string,
    attempts: Number(row.attempts),
    removed: JSON.parse(row.removed) as ErasureCounts,
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  }
}

/**
 * {@link RegulationStore} on the main store (SQLite `tessera.db` or PostgreSQL), one set of
 * queries for both dialects.
 */
export class KyselyRegulationStore implements RegulationStore {
  private readonly db: Kysely<RegulationDatabase>

  constructor(db: Kysely<TesseraDatabase>) {
    this.db = db.withTables<Omit<RegulationDatabase, keyof TesseraDatabase>>()
  }

  async create(
    regulation: Regulation,
    tasks: readonly RegulationTask[],
    suppression: { add: readonly SubjectIdentifier[]; remove: readonly SubjectIdentifier[] },
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('regulations')
        .values({
          id: regulation.id,
          type: regulation.type,
          subject_type: regulation.subjectType,
          subject_ids: JSON.stringify(regulation.subjectIds),
          subject: JSON.stringify(regulation.subject),
          status: regulation.status,
          log_position: regulation.logPosition,
          actor: regulation.actor,
          created_at: regulation.createdAt,
          finished_at: regulation.finishedAt,
        })
        .execute()
      if (tasks.length > 0) {
        await tx
          .insertInto('regulation_tasks')
          .values(
            tasks.map((t) => ({
              regulation_id: t.regulationId,
              position: t.position,
              kind: t.kind,
              target: t.target,
              name: t.name,
              status: t.status,
              err_string: t.errString,
              attempts: t.attempts,
              removed: JSON.stringify(t.removed),
              started_at: t.startedAt,
              finished_at: t.finishedAt,
            })),
          )
          .execute()
      }
      for (const id of suppression.add) {
        await tx
          .insertInto('suppressed_identifiers')
          .values({
            type: id.type,
            value: id.value,
            regulation_id: regulation.id,
            created_at: regulation.createdAt,
          })
          .onConflict((oc) => oc.columns(['type', 'value']).doNothing())
          .execute()
      }
      for (const id of suppression.remove) {
        // The identifier and everything suppressed with it (the rest of that person's profile).
        const rows = await tx
          .selectFrom('suppressed_identifiers')
          .select('regulation_id')
          .where('type', '=', id.type)
          .where('value', '=', id.value)
          .execute()
        for (const row of rows) {
          await tx
            .deleteFrom('suppressed_identifiers')
            .where('regulation_id', '=', row.regulation_id)
            .execute()
        }
        await tx
          .deleteFrom('suppressed_identifiers')
          .where('type', '=', id.type)
          .where('value', '=', id.value)
          .execute()
      }
    })
  }

  async get(id: string): Promise<Regulation | null> {
    const row = await this.db
      .selectFrom('regulations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toRegulation(row) : null
  }

  async tasks(id: string): Promise<RegulationTask[]> {
    const rows = await this.db
      .selectFrom('regulation_tasks')
      .selectAll()
      .where('regulation_id', '=', id)
      .orderBy('position')
      .execute()
    return rows.map(toTask)
  }

  async list(options: {
    limit: number
    cursor?: string
    status?: RegulationStatus
  }): Promise<Page<Regulation>> {
    let query = this.db
      .selectFrom('regulations')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
    if (options.status !== undefined) query = query.where('status', '=', options.status)
    if (options.cursor !== undefined) {
      const [createdAt, id] = decodeListCursor(options.cursor)
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
        ]),
      )
    }
    const rows = await query.execute()
    const data = rows.slice(0, options.limit).map(toRegulation)
    const last = data[data.length - 1]
    return {
      data,
      next: rows.length > options.limit && last ? encodeListCursor(last.createdAt, last.id) : null,
    }
  }

  async unfinished(): Promise<Regulation[]> {
    const rows = await this.db
      .selectFrom('regulations')
      .selectAll()
      .where('status', 'in', ['INITIALIZED', 'RUNNING'])
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toRegulation)
  }

  async updateTask(
    regulationId: string,
    position: number,
    update: Parameters<RegulationStore['updateTask']>[2],
  ): Promise<void> {
    await this.db
      .updateTable('regulation_tasks')
      .set({
        status: update.status,
        ...(update.errString === undefined ? {} : { err_string: update.errString }),
        ...(update.attempts === undefined ? {} : { attempts: update.attempts }),
        ...(update.removed === undefined ? {} : { removed: JSON.stringify(update.removed) }),
        ...(update.startedAt === undefined ? {} : { started_at: update.startedAt }),
        ...(update.finishedAt === undefined ? {} : { finished_at: update.finishedAt }),
      })
      .where('regulation_id', '=', regulationId)
      .where('position', '=', position)
      .execute()
  }

  async setStatus(id: string, status: RegulationStatus, finishedAt: number | null): Promise<void> {
    await this.db
      .updateTable('regulations')
      .set({ status, finished_at: finishedAt })
      .where('id', '=', id)
      .execute()
  }

  async suppressed(): Promise<SuppressedIdentifier[]> {
    const rows = await this.db
      .selectFrom('suppressed_identifiers')
      .selectAll()
      .orderBy('type')
      .orderBy('value')
      .execute()
    return rows.map((r) => ({
      type: r.type,
      value: r.value,
      regulationId: r.regulation_id,
      createdAt: Number(r.created_at),
    }))
  }

  async restrict(
    ids: readonly SubjectIdentifier[],
    record: { profileId: string; actor: string; at: number },
  ): Promise<void> {
    if (ids.length === 0) return
    await this.db
      .insertInto('restricted_identifiers')
      .values(
        ids.map((id) => ({
          type: id.type,
          value: id.value,
          profile_id: record.profileId,
          actor: record.actor,
          created_at: record.at,
        })),
      )
      .onConflict((oc) => oc.columns(['type', 'value']).doNothing())
      .execute()
  }

  async unrestrict(ids: readonly SubjectIdentifier[], profileId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('restricted_identifiers').where('profile_id', '=', profileId).execute()
      for (const id of ids) {
        await tx
          .deleteFrom('restricted_identifiers')
          .where('type', '=', id.type)
          .where('value', '=', id.value)
          .execute()
      }
    })
  }

  async restricted(): Promise<RestrictedIdentifier[]> {
    const rows = await this.db
      .selectFrom('restricted_identifiers')
      .selectAll()
      .orderBy('type')
      .orderBy('value')
      .execute()
    return rows.map((r) => ({
      type: r.type,
      value: r.value,
      profileId: r.profile_id,
      actor: r.actor,
      createdAt: Number(r.created_at),
    }))
  }

  async addSuppressedCounts(counts: readonly SuppressedCount[]): Promise<void> {
    for (const c of counts) {
      await this.db
        .insertInto('ingest_stats')
        .values({
          source_id: c.sourceId,
          minute: c.minute,
          accepted: 0,
          duplicates: 0,
          rejected: 0,
          bytes: 0,
          suppressed: c.count,
        })
        .onConflict((oc) =>
          oc
            .columns(['source_id', 'minute'])
            .doUpdateSet({ suppressed: sql<number>`ingest_stats.suppressed + ${c.count}` }),
        )
        .execute()
    }
  }
}
