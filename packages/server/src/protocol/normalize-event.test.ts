import { describe, expect, it } from 'vitest'
import { EventErrors } from './errors.js'
import { normalizeEvent, type NormalizeContext } from './normalize-event.js'

const ctx: NormalizeContext = {
  sourceId: 'src',
  routeType: 'group',
  receivedAt: Date.parse('2026-01-01T00:00:00.000Z'),
  batchSentAt: undefined,
  batchContext: undefined,
  batchIntegrations: undefined,
  ip: undefined,
}

describe('normalizeEvent: group', () => {
  it('accepts a string or numeric groupId', () => {
    for (const groupId of ['acme', 42]) {
      const result = normalizeEvent({ userId: 'u', groupId }, ctx)
      expect(result.ok, String(groupId)).toBe(true)
    }
  })

  it('reports a missing or empty groupId as EVENT_MISSING_GROUP_ID', () => {
    for (const groupId of [undefined, null, '']) {
      const result = normalizeEvent({ userId: 'u', groupId }, ctx)
      expect(result.ok ? null : result.error.code, String(groupId)).toBe(
        EventErrors.missingGroupId.code,
      )
    }
  })

  // Used to be stored as given: `{"groupId":{}}` passed because only `null` was checked.
  it('rejects a groupId that is not a string or number as EVENT_INVALID_FIELD', () => {
    for (const groupId of [{}, [], true, false, { id: 'acme' }, Number.NaN]) {
      const result = normalizeEvent({ userId: 'u', groupId }, ctx)
      expect(result.ok ? null : result.error.code, JSON.stringify(groupId)).toBe(
        EventErrors.invalidField.code,
      )
    }
  })
})
