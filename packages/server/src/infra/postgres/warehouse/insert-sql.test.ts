import { describe, expect, it } from 'vitest'
import { insertSql } from './insert-sql.js'

describe('insertSql', () => {
  it('appends with ON CONFLICT (id) DO NOTHING from one JSON parameter', () => {
    const sql = insertSql({ schema: 's', table: 'tracks', columns: ['id', 'user'], upsert: false })
    expect(sql).toBe(
      'INSERT INTO "s"."tracks" AS t ("id", "user") SELECT "id", "user" ' +
        'FROM json_populate_recordset(NULL::"s"."tracks", $1::json) ON CONFLICT (id) DO NOTHING',
    )
  })

  it('upserts: newer values win, older ones only fill gaps, received_at is the latest', () => {
    const sql = insertSql({
      schema: 's',
      table: 'users',
      columns: ['id', 'received_at', 'plan'],
      upsert: true,
    })
    expect(sql).toContain('ON CONFLICT (id) DO UPDATE SET "plan" = CASE WHEN excluded.received_at')
    expect(sql).toContain('received_at = GREATEST(t.received_at, excluded.received_at)')
    expect(sql).toContain('uuid_ts = now()')
  })
})
