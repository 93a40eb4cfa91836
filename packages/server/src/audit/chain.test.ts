import { describe, expect, it } from 'vitest'
import { canonicalEntry, chainHash, GENESIS_HASH } from './chain.js'
import type { AuditEntry } from './model.js'

const entry: AuditEntry = {
  id: 1,
  at: 1_700_000_000_000,
  actor: 'admin:1a2b3c4d',
  action: 'sources.update',
  target: { type: 'source', id: 'web' },
  outcome: 'ok',
  requestId: 'r1',
  ip: '10.0.0.1',
  details: { b: 1, a: { y: 2, x: [3, { d: 4, c: 5 }] } },
}

describe('audit chain', () => {
  it('writes details with sorted keys, whatever their order', () => {
    const reordered = { ...entry, details: { a: { x: [3, { c: 5, d: 4 }], y: 2 }, b: 1 } }
    expect(canonicalEntry(reordered)).toBe(canonicalEntry(entry))
    expect(canonicalEntry(entry)).toBe(
      '[1,1700000000000,"admin:1a2b3c4d","sources.update","source","web","ok","r1","10.0.0.1",{"a":{"x":[3,{"c":5,"d":4}],"y":2},"b":1}]',
    )
  })

  it('changes the hash when any field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, entry)
    expect(base).toMatch(/^[0-9a-f]{64}$/)
    expect(chainHash(GENESIS_HASH, { ...entry, outcome: 'denied' })).not.toBe(base)
    expect(chainHash(GENESIS_HASH, { ...entry, target: { type: 'source', id: null } })).not.toBe(
      base,
    )
    expect(chainHash('f'.repeat(64), entry)).not.toBe(base)
  })
})
