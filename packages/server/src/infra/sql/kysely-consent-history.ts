/**
 * {@link ConsentHistory} on the event store joined with identity's `profile_events` (one
 * Kysely query for SQLite, where identity.db is attached, and PostgreSQL). Events are read
 * newest first in pages, pre-filtered in SQL on the `"consent"` key, and parsed in memory.
 */
import type { Kysely } from 'kysely'
import {
  PREFERENCES_EVENT,
  readConsent,
  type ConsentHistory,
  type ConsentHistoryEntry,
  type PreferenceEvent,
} from '../../consent/index.js'
import type { TesseraDatabase } from './database.js'

const PAGE = 500

export class KyselyConsentHistory implements ConsentHistory {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async entries(profileId: string, limit: number): Promise<ConsentHistoryEntry[]> {
    const found: ConsentHistoryEntry[] = []
    let before: string | null = null
    while (found.length < limit) {
      let query = this.db
        .selectFrom('profile_events as pe')
        .innerJoin('events as e', 'e.seq', 'pe.seq')
        .select([
          'pe.seq',
          'pe.order_key',
          'pe.timestamp',
          'e.message_id',
          'e.source_id',
          'e.type',
          'e.name',
          'e.payload',
        ])
        .where('pe.profile_id', '=', profileId)
        .where('e.payload', 'like', '%"consent"%')
        .orderBy('pe.order_key', 'desc')
        .limit(PAGE)
      if (before !== null) query = query.where('pe.order_key', '<', before)
      const rows = await query.execute()
      for (const row of rows) {
        const consent = readConsent(parse(row.payload))
        if (consent === null) continue
        found.push({
          seq: Number(row.seq),
          messageId: row.message_id,
          sourceId: row.source_id,
          type: row.type,
          event: row.name,
          timestamp: Number(row.timestamp),
          consent,
        })
        if (found.length === limit) break
      }
      if (rows.length < PAGE) break
      before = rows[rows.length - 1]!.order_key
    }
    return found.reverse()
  }

  async preferenceEvents(profileId: string, limit: number): Promise<PreferenceEvent[]> {
    const rows = await this.db
      .selectFrom('profile_events as pe')
      .innerJoin('events as e', 'e.seq', 'pe.seq')
      .select(['pe.seq', 'pe.timestamp', 'e.message_id', 'e.source_id', 'e.payload'])
      .where('pe.profile_id', '=', profileId)
      .where('e.type', '=', 'track')
      .where('e.name', '=', PREFERENCES_EVENT)
      .orderBy('pe.order_key', 'desc')
      .limit(limit)
      .execute()
    return rows.reverse().map((row) => ({
      seq: Number(row.seq),
      messageId: row.message_id,
      sourceId: row.source_id,
      timestamp: Number(row.timestamp),
      payload: parse(row.payload),
    }))
  }

  async preferenceProfiles(limit: number): Promise<string[]> {
    // The seqs come from `events_preferences` (a partial index on this name), each looked up
    // by profile_events' key. As a join, SQLite preferred to walk every profile event in
    // profile order (for the DISTINCT and ORDER BY) and look up its event: seconds on a store
    // with a million events, on the thread that serves requests.
    const rows = await this.db
      .selectFrom('profile_events as pe')
      .select('pe.profile_id')
      .distinct()
      .where('pe.seq', 'in', (eb) =>
        eb.selectFrom('events as e').select('e.seq').where('e.name', '=', PREFERENCES_EVENT),
      )
      .where('pe.collection', '=', 'users')
      .orderBy('pe.profile_id')
      .limit(limit)
      .execute()
    return rows.map((r) => r.profile_id)
  }
}

function parse(payload: string): unknown {
  try {
    return JSON.parse(payload)
  } catch {
    return null // a stored payload is always JSON; an unreadable one carries no consent
  }
}
