/**
 * Helpers that let an adapter apply a `GraphWrite` (identity/identity-store.ts) with one
 * statement per table and step and still get the effect of applying it item by item.
 */

/**
 * The net effect of applying `renames` one after the other, where each `{from, to}` moves every
 * row currently at `from` to `to`: for each id named as a `from`, where its original rows end.
 * Lets an adapter apply a whole list with one statement per table and get the sequential
 * result (chains `a→b, b→c` send `a` to `c`; `b→c, a→b` leave `a` at `b`).
 */
export function netRenames(
  renames: ReadonlyArray<{ from: string; to: string }>,
): Map<string, string> {
  const at = new Map<string, string>()
  for (const { from, to } of renames) {
    for (const [origin, current] of at) if (current === from) at.set(origin, to)
    if (!at.has(from)) at.set(from, to)
  }
  return at
}

/**
 * `records` with one entry per key, the last one given winning (in the order of the last
 * occurrences): an upsert list applied as one multi-row statement (which may not touch a row
 * twice) then matches applying it row by row.
 */
export function lastByKey<T>(records: readonly T[], key: (record: T) => string): T[] {
  const byKey = new Map<string, T>()
  for (const record of records) {
    const k = key(record)
    if (byKey.has(k)) byKey.delete(k)
    byKey.set(k, record)
  }
  return [...byKey.values()]
}
