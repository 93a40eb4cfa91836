import { describe, expect, it } from 'vitest'
import { SuppressionList } from './suppression-list.js'

describe('SuppressionList', () => {
  it('is empty until something is suppressed', () => {
    const list = new SuppressionList()
    expect(list.isEmpty).toBe(true)
    list.add([{ type: 'phone', value: '+15555550100' }])
    expect(list.isEmpty).toBe(true) // not checked at ingest
    list.add([{ type: 'user_id', value: 'u1' }])
    expect(list.isEmpty).toBe(false)
  })

  it('matches userId, anonymousId and a normalized email', () => {
    const list = new SuppressionList()
    list.add([
      { type: 'user_id', value: 'u1' },
      { type: 'anonymous_id', value: 'a1' },
      { type: 'email', value: 'a@x.com' },
    ])
    expect(list.isSuppressed('u1', null, undefined)).toBe(true)
    expect(list.isSuppressed(null, 'a1', undefined)).toBe(true)
    expect(list.isSuppressed(null, 'other', ' A@X.com ')).toBe(true)
    expect(list.isSuppressed('U1', 'a2', 'b@x.com')).toBe(false)
    expect(list.isSuppressed(null, 'u1', 42)).toBe(false)
  })

  it('removes and replaces', () => {
    const list = new SuppressionList()
    list.add([{ type: 'user_id', value: 'u1' }])
    list.remove([{ type: 'user_id', value: 'u1' }])
    expect(list.isEmpty).toBe(true)
    list.replaceAll([{ type: 'anonymous_id', value: 'a1' }])
    expect(list.isSuppressed('u1', 'a1', undefined)).toBe(true)
    list.replaceAll([])
    expect(list.isEmpty).toBe(true)
  })

  it('counts per source and minute, and keeps counts a failed write gives back', () => {
    const list = new SuppressionList()
    list.suppressed('s1', 60_000 + 5)
    list.suppressed('s1', 60_000 + 59_999)
    list.suppressed('s1', 120_000)
    list.suppressed('s2', 60_001)
    const counts = list.drainCounts()
    expect(counts).toEqual([
      { sourceId: 's1', minute: 60_000, count: 2 },
      { sourceId: 's1', minute: 120_000, count: 1 },
      { sourceId: 's2', minute: 60_000, count: 1 },
    ])
    expect(list.drainCounts()).toEqual([])
    list.suppressed('s1', 60_000)
    list.restore(counts)
    expect(list.drainCounts()).toContainEqual({ sourceId: 's1', minute: 60_000, count: 3 })
  })
})
