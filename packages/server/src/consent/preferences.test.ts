import { describe, expect, it } from 'vitest'
import { ALL_CHANNELS, InMemoryPreferenceIndex } from './preference-index.js'
import {
  foldPreferences,
  parsePreferencesBody,
  preferenceEventValues,
  preferenceValues,
  type Preferences,
} from './preferences.js'
import { AppError } from '../platform/errors/index.js'

const current: Preferences = {
  channels: { email: true, sms: false },
  contentTypes: { offers: false },
  frequency: 'weekly',
}

describe('preferences', () => {
  it('folds changes, last write wins per key, null removes', () => {
    expect(
      foldPreferences([
        { values: { 'channels.email': true, frequency: 'daily' } },
        { values: { 'channels.email': false, 'contentTypes.news': true } },
        { values: { 'contentTypes.news': null, frequency: null } },
      ]),
    ).toEqual({ channels: { email: false }, contentTypes: {}, frequency: null })
  })

  it('PATCH changes only the keys sent, leaving out what would not change', () => {
    const body = parsePreferencesBody({ channels: { email: true, push: false } })
    expect(preferenceValues(body, current, false)).toEqual({ 'channels.push': false })
  })

  it('PUT removes the keys it does not send', () => {
    const body = parsePreferencesBody({ channels: { email: false } })
    expect(preferenceValues(body, current, true)).toEqual({
      'channels.email': false,
      'channels.sms': null,
      'contentTypes.offers': null,
      frequency: null,
    })
  })

  it('refuses a bad body with every problem', () => {
    try {
      parsePreferencesBody({ channels: { 'E mail': true }, frequency: 'hourly', extra: 1 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('CONSENT_INVALID_PREFERENCES')
      expect((error as AppError).details?.problems).toHaveLength(3)
    }
  })

  it('reads a Preferences Updated event, ignoring what is not valid', () => {
    expect(
      preferenceEventValues({
        type: 'track',
        event: 'Preferences Updated',
        properties: {
          channels: { email: false, 'Bad Name': false, sms: 'no' },
          contentTypes: { offers: null },
          frequency: 'hourly',
        },
      }),
    ).toEqual({ 'channels.email': false, 'contentTypes.offers': null })
  })

  it('frequency never opts out of every channel in the index', () => {
    const index = new InMemoryPreferenceIndex([
      { type: 'email', value: 'a@b.c', channels: [ALL_CHANNELS], contentTypes: [] },
    ])
    const person = { type: 'email' as const, value: 'a@b.c' }
    expect(index.optedOut('channel', 'sms', person)).toBe(true)
    expect(index.optedOut('contentType', 'offers', person)).toBe(false)
    expect(index.optedOut('channel', 'sms', { type: 'email', value: 'x@b.c' })).toBe(false)
  })
})
