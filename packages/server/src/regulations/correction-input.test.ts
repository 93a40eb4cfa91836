import { describe, expect, it } from 'vitest'
import { AppError } from '../platform/errors/index.js'
import { parseCorrectTraits } from './correction-input.js'

function codeOf(body: unknown): string | null {
  try {
    parseCorrectTraits(body)
    return null
  } catch (error) {
    return error instanceof AppError ? error.code : 'thrown'
  }
}

describe('parseCorrectTraits', () => {
  it('accepts set, unset and a trimmed reason', () => {
    expect(
      parseCorrectTraits({ set: { plan: 'pro', n: 0 }, unset: ['city', 'city'], reason: ' x ' }),
    ).toEqual({
      set: [
        ['plan', 'pro'],
        ['n', 0],
      ],
      unset: ['city'],
      reason: 'x',
    })
    expect(parseCorrectTraits({ unset: ['a'], reason: '  ' }).reason).toBeNull()
  })

  it('refuses bodies that name no trait, bad names, nulls, overlaps and oversize', () => {
    const invalid = [
      {},
      null,
      { set: {} },
      { unset: [] },
      { unset: [' '] },
      { set: { '': 1 } },
      { set: { plan: null } },
      { set: { plan: 1 }, unset: ['plan'] },
      { unset: ['a'], extra: true },
      { unset: ['x'.repeat(201)] },
      { set: { big: 'x'.repeat(9000) } },
      { unset: Array.from({ length: 101 }, (_, i) => `t${i}`) },
      { unset: ['a'], reason: 'x'.repeat(1001) },
    ]
    for (const body of invalid) expect(codeOf(body)).toBe('REGULATIONS_INVALID_CORRECTION')
  })
})
