import { describe, expect, it } from 'vitest'
import { isError } from '../platform/errors/index.js'
import { parseCreateRegulation } from './create-input.js'
import { RegulationErrors } from './errors.js'

const known = (type: string) => type === 'phone'

function codeOf(body: unknown): string | null {
  try {
    parseCreateRegulation(body, known)
    return null
  } catch (error) {
    for (const f of Object.values(RegulationErrors)) if (isError(error, f)) return f.code
    throw error
  }
}

describe('parseCreateRegulation', () => {
  it('maps and deduplicates the requested ids', () => {
    const input = parseCreateRegulation(
      { regulationType: 'DELETE_ONLY', subjectType: 'EMAIL', subjectIds: ['A@x.com', 'a@X.com'] },
      known,
    )
    expect(input.requested).toEqual([{ type: 'email', value: 'a@x.com' }])
    expect(input.subjectIds).toEqual(['A@x.com', 'a@X.com'])
  })

  it('accepts identifier types identity knows', () => {
    const input = parseCreateRegulation(
      { regulationType: 'SUPPRESS_ONLY', subjectType: 'phone', subjectIds: ['+1555'] },
      known,
    )
    expect(input.requested).toEqual([{ type: 'phone', value: '+1555' }])
  })

  it('refuses bad bodies with stable codes', () => {
    expect(codeOf(null)).toBe('REGULATIONS_INVALID_REQUEST')
    expect(codeOf({ regulationType: 'DELETE', subjectType: 'USER_ID', subjectIds: ['x'] })).toBe(
      'REGULATIONS_INVALID_REQUEST',
    )
    expect(codeOf({ regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: [] })).toBe(
      'REGULATIONS_INVALID_REQUEST',
    )
    expect(codeOf({ regulationType: 'DELETE_ONLY', subjectType: 'fax', subjectIds: ['x'] })).toBe(
      'REGULATIONS_UNKNOWN_SUBJECT_TYPE',
    )
    const many = Array.from({ length: 5001 }, (_, i) => `u${i}`)
    expect(
      codeOf({ regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: many }),
    ).toBe('REGULATIONS_TOO_MANY_SUBJECTS')
    expect(
      codeOf({
        regulationType: 'DELETE_ONLY',
        subjectType: 'USER_ID',
        subjectIds: many.slice(0, 5000),
      }),
    ).toBeNull()
  })
})
