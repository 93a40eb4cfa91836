import { describe, expect, it } from 'vitest'
import type { FieldValue } from './column-types.js'
import { groupByTable, type LoadItem } from './table-batch.js'

const item = (
  eventIndex: number,
  table: string,
  upsert: boolean,
  fields: Record<string, FieldValue>,
): LoadItem => ({
  eventIndex,
  schema: 's',
  row: { table, upsert, fields: new Map(Object.entries(fields)) },
})

describe('groupByTable', () => {
  it('groups by table in name order', () => {
    const groups = groupByTable([
      item(0, 'tracks', false, { id: 'a' }),
      item(0, 'order_completed', false, { id: 'a' }),
      item(1, 'tracks', false, { id: 'b' }),
    ])
    expect(groups.map((group) => [group.table, group.entries.length])).toEqual([
      ['order_completed', 1],
      ['tracks', 2],
    ])
  })

  it('folds upserts by id, latest received_at last, keeping values the latest lacks', () => {
    const [users] = groupByTable([
      item(0, 'users', true, { id: 'u', received_at: '2026-01-02T00:00:00Z', plan: 'pro' }),
      item(1, 'users', true, {
        id: 'u',
        received_at: '2026-01-01T00:00:00Z',
        plan: 'free',
        age: 3,
      }),
      item(2, 'users', true, { id: 'a', received_at: '2026-01-01T00:00:00Z' }),
    ])
    expect(users?.entries.map((entry) => entry.events)).toEqual([[2], [1, 0]])
    expect(Object.fromEntries(users?.entries[1]?.fields ?? [])).toEqual({
      id: 'u',
      received_at: '2026-01-02T00:00:00Z',
      plan: 'pro',
      age: 3,
    })
  })
})
