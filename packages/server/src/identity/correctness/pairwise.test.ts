import { describe, expect, it } from 'vitest'
import { scorePairs, type Assignment } from './pairwise.js'

const items = (rows: Array<[string | null, string | null]>): Assignment[] =>
  rows.map(([truth, predicted]) => ({ truth, predicted }))

describe('scorePairs', () => {
  it('scores a perfect clustering 1/1 whatever the cluster names', () => {
    const score = scorePairs(
      items([
        ['a', 'x'],
        ['a', 'x'],
        ['b', 'y'],
        ['b', 'y'],
        ['b', 'y'],
      ]),
    )
    expect(score).toMatchObject({ precision: 1, recall: 1, truePairs: 4, correctPairs: 4 })
  })

  it('loses precision when two people are merged', () => {
    const score = scorePairs(
      items([
        ['a', 'x'],
        ['a', 'x'],
        ['b', 'x'],
      ]),
    )
    expect(score.precision).toBeCloseTo(1 / 3)
    expect(score.recall).toBe(1)
  })

  it('loses recall when one person is split', () => {
    const score = scorePairs(
      items([
        ['a', 'x'],
        ['a', 'x'],
        ['a', 'y'],
        ['a', 'y'],
      ]),
    )
    expect(score.precision).toBe(1)
    expect(score.recall).toBeCloseTo(2 / 6)
  })

  it('treats an unresolved item as a cluster of its own', () => {
    const score = scorePairs(
      items([
        ['a', 'x'],
        ['a', null],
      ]),
    )
    expect(score).toMatchObject({ recall: 0, precision: 1, unresolved: 1, items: 2 })
  })

  it('leaves items without truth out of the pairs and counts those resolved anyway', () => {
    const score = scorePairs(
      items([
        ['a', 'x'],
        ['a', 'x'],
        [null, 'x'],
        [null, null],
      ]),
    )
    expect(score).toMatchObject({ precision: 1, recall: 1, items: 2, unexpectedlyResolved: 1 })
  })

  it('is 1/1 with no pairs at all', () => {
    expect(scorePairs([])).toMatchObject({ precision: 1, recall: 1, items: 0 })
  })
})
