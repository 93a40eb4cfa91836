/**
 * Groups the rows of a batch by table, in a stable order, and folds latest-state rows
 * (users, accounts) so each id appears once per statement. Pure.
 */
import type { TableRow } from './event-rows.js'
import type { FieldMap } from './flatten.js'

/** One row of a batch with the event (index in the batch) that produced it. */
export interface LoadItem {
  eventIndex: number
  schema: string
  row: TableRow
}

/** The rows of one table; each entry lists the events it came from (several when folded). */
export interface TableBatch {
  schema: string
  table: string
  upsert: boolean
  entries: Array<{ events: number[]; fields: FieldMap }>
}

function receivedAtOf(fields: FieldMap): number {
  const value = fields.get('received_at')
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(ms) ? 0 : ms
}

/**
 * Folds rows with the same id, oldest `received_at` first: a later row's values override,
 * values it lacks are kept, so the folded row is what applying them one by one would give.
 * The result is sorted by id, so concurrent loaders lock rows in the same order.
 */
function foldById(entries: TableBatch['entries']): TableBatch['entries'] {
  const byId = new Map<string, TableBatch['entries']>()
  for (const entry of entries) {
    const id = String(entry.fields.get('id'))
    const list = byId.get(id)
    if (list === undefined) byId.set(id, [entry])
    else list.push(entry)
  }
  const folded: TableBatch['entries'] = []
  for (const id of [...byId.keys()].sort()) {
    const list = (byId.get(id) ?? []).sort(
      (a, b) => receivedAtOf(a.fields) - receivedAtOf(b.fields),
    )
    const fields: FieldMap = new Map()
    for (const entry of list) for (const [column, value] of entry.fields) fields.set(column, value)
    folded.push({ events: list.flatMap((entry) => entry.events), fields })
  }
  return folded
}

/** Groups items by `schema.table` (sorted, for a stable lock order) and folds upserts. */
export function groupByTable(items: readonly LoadItem[]): TableBatch[] {
  const groups = new Map<string, TableBatch>()
  for (const { eventIndex, schema, row } of items) {
    const key = `${schema}.${row.table}`
    let group = groups.get(key)
    if (group === undefined) {
      group = { schema, table: row.table, upsert: row.upsert, entries: [] }
      groups.set(key, group)
    }
    group.entries.push({ events: [eventIndex], fields: row.fields })
  }
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key) as TableBatch
    return group.upsert ? { ...group, entries: foldById(group.entries) } : group
  })
}
