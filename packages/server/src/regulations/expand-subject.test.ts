import { describe, expect, it } from 'vitest'
import {
  expandSubject,
  identifierTypeOf,
  normalizeSubjectValue,
  valuesOfType,
} from './expand-subject.js'

describe('subject expansion', () => {
  it('maps Segment subject types to identity types and keeps others', () => {
    expect(identifierTypeOf('USER_ID')).toBe('user_id')
    expect(identifierTypeOf('ANONYMOUS_ID')).toBe('anonymous_id')
    expect(identifierTypeOf('EMAIL')).toBe('email')
    expect(identifierTypeOf('phone')).toBe('phone')
  })

  it('normalizes emails as identity does, other values as sent', () => {
    expect(normalizeSubjectValue('email', '  Alice@Example.COM ')).toBe('alice@example.com')
    expect(normalizeSubjectValue('user_id', 'User-A')).toBe('User-A')
  })

  it('covers every identifier of every resolved profile, once each', () => {
    const subject = expandSubject([
      {
        requested: { type: 'email', value: 'a@x.com' },
        profileId: 'p1',
        identifiers: [
          { type: 'user_id', value: 'u1' },
          { type: 'email', value: 'a@x.com' },
          { type: 'anonymous_id', value: 'an1' },
        ],
      },
      {
        requested: { type: 'email', value: 'a2@x.com' },
        profileId: 'p1',
        identifiers: [{ type: 'user_id', value: 'u1' }],
      },
      {
        requested: { type: 'email', value: 'b@x.com' },
        profileId: 'p2',
        identifiers: [{ type: 'anonymous_id', value: 'an2' }],
      },
    ])
    expect(subject.profileIds).toEqual(['p1', 'p2'])
    expect(subject.identifiers).toEqual([
      { type: 'email', value: 'a@x.com' },
      { type: 'user_id', value: 'u1' },
      { type: 'anonymous_id', value: 'an1' },
      { type: 'email', value: 'a2@x.com' },
      { type: 'email', value: 'b@x.com' },
      { type: 'anonymous_id', value: 'an2' },
    ])
    expect(valuesOfType(subject, 'anonymous_id')).toEqual(['an1', 'an2'])
  })

  it('keeps a requested id identity does not know (its events may not be resolved yet)', () => {
    const subject = expandSubject([
      { requested: { type: 'user_id', value: 'late' }, profileId: null, identifiers: [] },
    ])
    expect(subject).toEqual({ profileIds: [], identifiers: [{ type: 'user_id', value: 'late' }] })
  })

  it('does not confuse equal values of different types', () => {
    const subject = expandSubject([
      {
        requested: { type: 'user_id', value: 'x' },
        profileId: 'p',
        identifiers: [{ type: 'anonymous_id', value: 'x' }],
      },
    ])
    expect(subject.identifiers).toHaveLength(2)
  })
})
