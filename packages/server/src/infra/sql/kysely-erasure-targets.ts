import { sql, type Kysely, type RawBuilder } from 'kysely'
import type {
  ErasureCounts,
  ErasureSubject,
  ErasureTarget,
  SubjectEventFinder,
  SubjectEvents,
} from '../../regulations/index.js'
import type { TesseraDatabase } from './database.js'
import { traitCorrectionsErasure } from './kysely-trait-corrections.js'
import { chunks } from './stored-events.js'

/** Values per `IN (…)` list: under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 5000
/**
 * Seqs or messageIds per statement when they go as one array parameter: each statement is its
 * own short transaction, so the store's write lock is released between them (the pipeline
 * keeps storing events while a large deletion runs).
 */
const BIG_CHUNK = 10_000

export type Dialect = 'sqlite' | 'postgres'

const valuesOf = (subject: ErasureSubject, type: string): string[] =>
  subject.identifiers.filter((id) => id.type === type).map((id) => id.value)

/** `column` contains `needle` (case-sensitive, no pattern characters) in either dialect. */
export function contains(dialect: Dialect, column: RawBuilder<unknown>, needle: string) {
  return dialect === 'sqlite'
    ? sql<boolean>`instr(${column}, ${needle}) > 0`
    : sql<boolean>`strpos(${column}, ${needle}) > 0`
}

/**
 * `column IN (values)` with the values bound as one parameter (a JSON array on SQLite, a typed
 * array on PostgreSQL): one prepared statement whatever the count, no 10,000-parameter SQL.
 */
export function inList(dialect: Dialect, column: string, values: readonly (number | string)[]) {
  const ref = sql.ref(column)
  if (dialect === 'sqlite') {
    return sql<boolean>`${ref} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
  }
  const type = typeof values[0] === 'number' ? sql.raw('bigint[]') : sql.raw('text[]')
  return sql<boolean>`${ref} = ANY(${values}::${type})`
}

function add(counts: ErasureCounts, table: string, n: bigint | number | undefined): void {
  counts[table] = (counts[table] ?? 0) + Number(n ?? 0)
}

/**
 * Finds the subject's stored events: those identity resolved to the subject's profiles
 * (`profile_events`, which also keeps their messageIds after the events are gone) and those
 * carrying a subject `user_id`/`anonymous_id` (identity may not have resolved them yet).
 */
export class KyselySubjectEventFinder implements SubjectEventFinder {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async find(subject: ErasureSubject): Promise<SubjectEvents> {
    const bySeq = new Map<number, string>()
    for (const ids of chunks(subject.profileIds, CHUNK)) {
      const rows = await this.db
        .selectFrom('profile_events')
        .select(['seq', 'message_id'])
        .where('profile_id', 'in', ids)
        .execute()
      for (const r of rows) bySeq.set(Number(r.seq), r.message_id)
    }
    // By column, only the events not already found through the profiles (identity has not
    // resolved them yet, or resolved them elsewhere): the index on the column gives the seq
    // and the profile_events key answers the NOT EXISTS, so resolved events cost no row here.
    const profiles = subject.profileIds
    for (const [column, type] of [
      ['user_id', 'user_id'],
      ['anonymous_id', 'anonymous_id'],
    ] as const) {
      for (const values of chunks(valuesOf(subject, type), CHUNK)) {
        let query = this.db
          .selectFrom('events as e')
          .select(['e.seq', 'e.message_id'])
          .where(`e.${column}`, 'in', values)
        if (profiles.length > 0) {
          query = query.where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('profile_events as pe')
                  .select('pe.seq')
                  .whereRef('pe.seq', '=', 'e.seq')
                  .where('pe.collection', '=', 'users')
                  .where('pe.profile_id', 'in', profiles.slice(0, CHUNK)),
              ),
            ),
          )
        }
        for (const r of await query.execute()) bySeq.set(Number(r.seq), r.message_id)
      }
    }
    const seqs = [...bySeq.keys()].sort((a, b) => a - b)
    return { seqs, messageIds: seqs.map((s) => bySeq.get(s) ?? '') }
  }
}

/** The `events` table: the subject's events by seq (each chunk its own short statement). */
export function eventsErasure(db: Kysely<TesseraDatabase>, dialect: Dialect): ErasureTarget {
  return {
    name: 'events',
    async erase(_subject, events) {
      const counts: ErasureCounts = { events: 0 }
      for (const seqs of chunks(events.seqs, BIG_CHUNK)) {
        const result = await db
          .deleteFrom('events')
          .where(inList(dialect, 'seq', seqs))
          .executeTakeFirst()
        add(counts, 'events', result.numDeletedRows)
      }
      return counts
    },
  }
}

/**
 * `rejected_events`: rows whose payload holds any identifier value of the subject as a JSON
 * string (emails compared lower-cased), or whose messageId is one of the subject's events.
 */
export function rejectedEventsErasure(
  db: Kysely<TesseraDatabase>,
  dialect: Dialect,
): ErasureTarget {
  return payloadTableErasure(db, dialect, 'rejected_events')
}

/** Quarantined events (blocked by a tracking plan): by payload and by messageId, as rejections. */
export function quarantineErasure(db: Kysely<TesseraDatabase>, dialect: Dialect): ErasureTarget {
  return payloadTableErasure(db, dialect, 'quarantined_events')
}

/**
 * A table of raw payloads kept apart from `events` (rejections, quarantine): rows whose payload
 * holds one of the subject's identifier values (emails compared lower-cased) or whose messageId
 * is one of the subject's events.
 */
function payloadTableErasure(
  db: Kysely<TesseraDatabase>,
  dialect: Dialect,
  table: 'rejected_events' | 'quarantined_events',
): ErasureTarget {
  return {
    name: table,
    async erase(subject, events) {
      const counts: ErasureCounts = { [table]: 0 }
      for (const id of subject.identifiers) {
        const needle = JSON.stringify(id.value)
        const column = id.type === 'email' ? sql`lower(payload)` : sql`payload`
        const result = await db
          .deleteFrom(table)
          .where(contains(dialect, column, id.type === 'email' ? needle.toLowerCase() : needle))
          .executeTakeFirst()
        add(counts, table, result.numDeletedRows)
      }
      for (const ids of chunks(events.messageIds, BIG_CHUNK)) {
        const result = await db
          .deleteFrom(table)
          .where(inList(dialect, 'message_id', ids))
          .executeTakeFirst()
        add(counts, table, result.numDeletedRows)
      }
      return counts
    },
  }
}

/**
 * The identity graph: the profiles, their identifiers, resolved events, merge history, the
 * overrides naming the subject's identifiers, rebuild audit rows naming the profiles or their
 * components, and components left without a profile (with their unowned identifiers).
 */
export function identityErasure(
  db: Kysely<TesseraDatabase>,
  dialect: Dialect,
  identityLockKey?: string,
): ErasureTarget {
  return {
    name: 'identity',
    // One transaction: identity resolution (another connection on SQLite, the advisory lock on
    // PostgreSQL does not cover this) never sees a half-erased profile.
    // PostgreSQL: the identity batches' advisory lock is taken too, so a batch that read the
    // profile before cannot write it back after.
    erase: (subject) =>
      db.transaction().execute(async (tx) => {
        if (identityLockKey !== undefined) {
          await sql`SELECT pg_advisory_xact_lock(${identityLockKey}::bigint)`.execute(tx)
        }
        return eraseIdentity(tx, dialect, subject)
      }),
  }
}

async function eraseIdentity(
  db: Kysely<TesseraDatabase>,
  dialect: Dialect,
  subject: ErasureSubject,
): Promise<ErasureCounts> {
  const counts: ErasureCounts = {}
  const profileIds = subject.profileIds
  const components = new Set<string>()
  for (const ids of chunks(profileIds, CHUNK)) {
    const rows = await db
      .selectFrom('profiles')
      .select('component_id')
      .where('id', 'in', ids)
      .execute()
    for (const r of rows) components.add(r.component_id)
  }
  for (const ids of chunks(profileIds, CHUNK)) {
    // Account-side rows of the subject's group calls (same seqs), before the user rows.
    const accounts = await db
      .deleteFrom('profile_events')
      .where('collection', '=', 'accounts')
      .where('seq', 'in', (eb) =>
        eb.selectFrom('profile_events').select('seq').where('profile_id', 'in', ids),
      )
      .executeTakeFirst()
    add(counts, 'profile_events', accounts.numDeletedRows)
    const del = async (
      table: 'profile_events' | 'identity_identifiers' | 'profiles',
      column: 'profile_id' | 'id',
    ) => {
      const r = await db.deleteFrom(table).where(column, 'in', ids).executeTakeFirst()
      add(counts, table, r.numDeletedRows)
    }
    await del('profile_events', 'profile_id')
    await del('identity_identifiers', 'profile_id')
    await del('profiles', 'id')
    const edges = await db
      .deleteFrom('identity_edges')
      .where((eb) => eb.or([eb('profile_id', 'in', ids), eb('merged_profile_id', 'in', ids)]))
      .executeTakeFirst()
    add(counts, 'identity_edges', edges.numDeletedRows)
  }
  for (const id of subject.identifiers) {
    const unowned = await db
      .deleteFrom('identity_identifiers')
      .where('collection', '=', 'users')
      .where('type', '=', id.type)
      .where('value', '=', id.value)
      .where('profile_id', 'is', null)
      .executeTakeFirst()
    add(counts, 'identity_identifiers', unowned.numDeletedRows)
    const overrides = await db
      .deleteFrom('identity_overrides')
      .where((eb) =>
        eb.or([
          eb.and([eb('a_type', '=', id.type), eb('a_value', '=', id.value)]),
          eb.and([eb('b_type', '=', id.type), eb('b_value', '=', id.value)]),
        ]),
      )
      .executeTakeFirst()
    add(counts, 'identity_overrides', overrides.numDeletedRows)
  }
  for (const componentId of components) {
    const left = await db
      .selectFrom('profiles')
      .select('id')
      .where('component_id', '=', componentId)
      .limit(1)
      .executeTakeFirst()
    if (left !== undefined) continue
    const ids = await db
      .deleteFrom('identity_identifiers')
      .where('component_id', '=', componentId)
      .executeTakeFirst()
    add(counts, 'identity_identifiers', ids.numDeletedRows)
    const comp = await db
      .deleteFrom('identity_components')
      .where('id', '=', componentId)
      .executeTakeFirst()
    add(counts, 'identity_components', comp.numDeletedRows)
  }
  for (const key of [...profileIds, ...components]) {
    const needle = JSON.stringify(key)
    const r = await db
      .deleteFrom('identity_rebuilds')
      .where((eb) =>
        eb.or([
          contains(dialect, sql`component_ids`, needle),
          contains(dialect, sql`profiles_before`, needle),
          contains(dialect, sql`profiles_after`, needle),
        ]),
      )
      .executeTakeFirst()
    add(counts, 'identity_rebuilds', r.numDeletedRows)
  }
  return counts
}

/**
 * Delivery state holding the subject's events or payloads: retries (by seq), dead letters and
 * error samples (by messageId). On SQLite this is `delivery.db`'s connection.
 */
export function deliveryErasure(db: Kysely<TesseraDatabase>, dialect: Dialect): ErasureTarget {
  return {
    name: 'delivery',
    async erase(_subject, events) {
      const counts: ErasureCounts = {
        delivery_retries: 0,
        delivery_dead_letters: 0,
        delivery_errors: 0,
      }
      // Usually empty (a healthy platform has no retries or dead letters): nothing to probe.
      const isEmpty = async (
        table: 'delivery_retries' | 'delivery_dead_letters' | 'delivery_errors',
      ): Promise<boolean> =>
        (await db
          .selectFrom(table)
          .select(sql`1`.as('x'))
          .limit(1)
          .executeTakeFirst()) === undefined
      const noRetries = await isEmpty('delivery_retries')
      const noDead = await isEmpty('delivery_dead_letters')
      const noErrors = await isEmpty('delivery_errors')
      for (const seqs of noRetries ? [] : chunks(events.seqs, BIG_CHUNK)) {
        const r = await db
          .deleteFrom('delivery_retries')
          .where(inList(dialect, 'seq', seqs))
          .executeTakeFirst()
        add(counts, 'delivery_retries', r.numDeletedRows)
      }
      for (const ids of noDead && noErrors ? [] : chunks(events.messageIds, BIG_CHUNK)) {
        const dead = await db
          .deleteFrom('delivery_dead_letters')
          .where(inList(dialect, 'message_id', ids))
          .executeTakeFirst()
        add(counts, 'delivery_dead_letters', dead.numDeletedRows)
        const errors = await db
          .deleteFrom('delivery_errors')
          .where(inList(dialect, 'message_id', ids))
          .executeTakeFirst()
        add(counts, 'delivery_errors', errors.numDeletedRows)
      }
      return counts
    },
  }
}

/**
 * The stores of a deletion in execution order: delivery state, rejected and quarantined events
 * first, then events (found through identity's `profile_events`), then trait corrections (by
 * profile and identifier), then the identity graph.
 */
export function createErasureTargets(options: {
  main: Kysely<TesseraDatabase>
  delivery: Kysely<TesseraDatabase>
  dialect: Dialect
  /** PostgreSQL: the advisory lock key identity batches hold (`IDENTITY_LOCK_KEY`). */
  identityLockKey?: string
}): ErasureTarget[] {
  return [
    deliveryErasure(options.delivery, options.dialect),
    rejectedEventsErasure(options.main, options.dialect),
    quarantineErasure(options.main, options.dialect),
    eventsErasure(options.main, options.dialect),
    traitCorrectionsErasure(options.main),
    identityErasure(options.main, options.dialect, options.identityLockKey),
  ]
}
