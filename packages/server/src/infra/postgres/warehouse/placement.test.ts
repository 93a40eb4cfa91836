import { describe, expect, it } from 'vitest'
import type { ColumnType, FieldValue } from './column-types.js'
import { companionName, placeRows } from './placement.js'

const fields = (entries: Record<string, FieldValue>) => new Map(Object.entries(entries))
const columns = (entries: Record<string, ColumnType>) => new Map(Object.entries(entries))
const base = { blocked: new Set<string>(), stringLimit: 512 }

describe('placeRows (type-conflict policy)', () => {
  it('puts fitting values in their columns and asks for missing ones with inferred types', () => {
    const placement = placeRows([fields({ id: 'm1', plan: 'pro', seats: 3 })], {
      ...base,
      columns: columns({ id: 'text' }),
    })
    expect(placement.rows).toEqual([{ id: 'm1', plan: 'pro', seats: 3 }])
    expect([...placement.wanted]).toEqual([
      ['plan', 'text'],
      ['seats', 'bigint'],
    ])
    expect(placement.redirected).toBe(0)
  })

  it('creates a double column when one batch brings integers and floats', () => {
    const placement = placeRows([fields({ price: 10 }), fields({ price: 10.5 })], {
      ...base,
      columns: columns({}),
    })
    expect(placement.wanted.get('price')).toBe('double')
    expect(placement.rows).toEqual([{ price: 10 }, { price: 10.5 }])
  })

  it('redirects a value that does not fit to the companion column of its type', () => {
    const placement = placeRows(
      [fields({ price: 10.5 }), fields({ price: 'free' }), fields({ price: 3 })],
      { ...base, columns: columns({ price: 'bigint' }) },
    )
    expect(placement.rows).toEqual([{ price_float: 10.5 }, { price_text: 'free' }, { price: 3 }])
    expect([...placement.wanted]).toEqual([
      ['price_float', 'double'],
      ['price_text', 'text'],
    ])
    expect(placement.redirected).toBe(2)
  })

  it('falls back to the text companion when the typed companion has another type', () => {
    const placement = placeRows([fields({ at: true })], {
      ...base,
      columns: columns({ at: 'timestamp', at_bool: 'bigint' }),
    })
    expect(placement.rows).toEqual([{ at_text: 'true' }])
  })

  it('drops values whose candidate columns are all blocked (maxColumns), and counts them', () => {
    const placement = placeRows([fields({ id: 'm1', extra: 1 })], {
      ...base,
      columns: columns({ id: 'text' }),
      blocked: new Set(['extra', 'extra_int', 'extra_text']),
    })
    expect(placement.rows).toEqual([{ id: 'm1' }])
    expect(placement.dropped).toBe(1)
    expect(placement.wanted.size).toBe(0)
  })

  it('names companions within the identifier limit', () => {
    expect(companionName('a'.repeat(63), 'text')).toHaveLength(63)
  })
})
