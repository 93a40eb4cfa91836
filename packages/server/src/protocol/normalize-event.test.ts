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

const R = Date.parse('2026-03-01T12:00:00.000Z')
const base: NormalizeContext = { ...ctx, routeType: undefined, receivedAt: R }

function accepted(raw: unknown, context: Partial<NormalizeContext> = {}) {
  const result = normalizeEvent(raw, { ...base, ...context })
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.reason}`)
  return {
    record: result.record,
    event: JSON.parse(result.record.payload) as Record<string, unknown>,
  }
}

function codeOf(raw: unknown, context: Partial<NormalizeContext> = {}): string | null {
  const result = normalizeEvent(raw, { ...base, ...context })
  return result.ok ? null : result.error.code
}

/** `levels` nested objects: `{a:{a:{}}}` is 3. */
function nested(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = {}
  for (let i = 1; i < levels; i++) node = { a: node }
  return node
}

describe('normalizeEvent: timestamps', () => {
  it('corrects skew exactly: timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
    const { event, record } = accepted({
      type: 'track',
      event: 'E',
      userId: 'u',
      timestamp: '2026-03-01T11:59:50.000Z',
      sentAt: '2026-03-01T12:05:00.000Z', // client clock 5 min fast
    })
    // 12:00:00 − (12:05:00 − 11:59:50) = 11:54:50
    expect(event.timestamp).toBe('2026-03-01T11:54:50.000Z')
    expect(record.timestamp).toBe(Date.parse('2026-03-01T11:54:50.000Z'))
    expect(event.originalTimestamp).toBe('2026-03-01T11:59:50.000Z')
    expect(event.sentAt).toBe('2026-03-01T12:05:00.000Z')
    expect(event.receivedAt).toBe('2026-03-01T12:00:00.000Z')
  })

  it('uses the batch sentAt for items without their own', () => {
    const { event } = accepted(
      { type: 'track', event: 'E', userId: 'u', timestamp: '2026-03-01T11:00:00.000Z' },
      { batchSentAt: '2026-03-01T11:00:01.500Z' },
    )
    expect(event.timestamp).toBe('2026-03-01T11:59:58.500Z')
  })

  it('without a client timestamp the event time is receivedAt', () => {
    const { event, record } = accepted({ type: 'page', anonymousId: 'a' })
    expect(event.timestamp).toBe('2026-03-01T12:00:00.000Z')
    expect(record.timestamp).toBe(R)
    expect(event.originalTimestamp).toBeUndefined()
  })
})

describe('normalizeEvent: batch context and integrations', () => {
  it('merges batch-level context and integrations under the event, the event winning', () => {
    const { event } = accepted(
      {
        type: 'identify',
        userId: 'u',
        context: { locale: 'fr-FR', app: { name: 'own' } },
        integrations: { Mixpanel: false },
      },
      {
        batchContext: { locale: 'en-US', library: { name: 'batch-lib' }, app: { name: 'batch' } },
        batchIntegrations: { All: true, Mixpanel: true },
      },
    )
    expect(event.context).toEqual({
      locale: 'fr-FR',
      library: { name: 'batch-lib' },
      app: { name: 'own' },
    })
    expect(event.integrations).toEqual({ All: true, Mixpanel: false })
  })

  it('uses the batch context alone when the event has none, without sharing the object', () => {
    const batchContext = { library: { name: 'batch-lib' } }
    const first = accepted(
      { type: 'track', event: 'A', userId: 'u' },
      { batchContext, ip: '10.0.0.1' },
    )
    expect(first.event.context).toEqual({ library: { name: 'batch-lib' }, ip: '10.0.0.1' })
    expect(batchContext).toEqual({ library: { name: 'batch-lib' } })
  })
})

describe('normalizeEvent: ids and fields', () => {
  it('assigns a messageId `api-<uuid>` when absent or empty, keeps a given one', () => {
    const uuid = /^api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    const a = accepted({ type: 'track', event: 'E', userId: 'u' })
    const b = accepted({ type: 'track', event: 'E', userId: 'u', messageId: '' })
    expect(a.record.messageId).toMatch(uuid)
    expect(b.record.messageId).toMatch(uuid)
    expect(a.event.messageId).toBe(a.record.messageId)
    expect(a.record.messageId).not.toBe(b.record.messageId)
    expect(
      accepted({ type: 'track', event: 'E', userId: 'u', messageId: 'm-1' }).record.messageId,
    ).toBe('m-1')
    expect(codeOf({ type: 'track', event: 'E', userId: 'u', messageId: 'x'.repeat(101) })).toBe(
      'EVENT_INVALID_MESSAGE_ID',
    )
    expect(codeOf({ type: 'track', event: 'E', userId: 'u', messageId: 7 })).toBe(
      'EVENT_INVALID_MESSAGE_ID',
    )
  })

  it('fills context.ip only when the event has none', () => {
    expect(
      accepted({ type: 'track', event: 'E', userId: 'u' }, { ip: '1.2.3.4' }).event.context,
    ).toEqual({
      ip: '1.2.3.4',
    })
    const own = accepted(
      { type: 'track', event: 'E', userId: 'u', context: { ip: '9.9.9.9' } },
      { ip: '1.2.3.4' },
    )
    expect((own.event.context as Record<string, unknown>).ip).toBe('9.9.9.9')
    const none = accepted({ type: 'track', event: 'E', userId: 'u' }, { ip: undefined })
    expect(none.event.context).toEqual({})
  })

  it('removes the body writeKey from the stored event', () => {
    const { record, event } = accepted({
      type: 'track',
      event: 'E',
      userId: 'u',
      writeKey: 'secret_key_123',
    })
    expect(event).not.toHaveProperty('writeKey')
    expect(record.payload).not.toContain('secret_key_123')
  })

  it('turns numeric userId and anonymousId into strings; refuses other types', () => {
    const { record, event } = accepted({ type: 'identify', userId: 42, anonymousId: 7.5 })
    expect(record.userId).toBe('42')
    expect(event.userId).toBe('42')
    expect(record.anonymousId).toBe('7.5')
    expect(codeOf({ type: 'identify', userId: { id: 1 } })).toBe('EVENT_INVALID_FIELD')
    expect(codeOf({ type: 'identify', userId: true })).toBe('EVENT_INVALID_FIELD')
  })

  it('needs userId and previousId for alias', () => {
    expect(codeOf({ type: 'alias', userId: 'u' })).toBe('EVENT_MISSING_PREVIOUS_ID')
    expect(codeOf({ type: 'alias', previousId: 'p', anonymousId: 'a' })).toBe(
      'EVENT_MISSING_PREVIOUS_ID',
    )
    expect(codeOf({ type: 'alias', userId: 'u', previousId: '' })).toBe('EVENT_MISSING_PREVIOUS_ID')
    expect(codeOf({ type: 'alias', userId: 'u', previousId: {} })).toBe('EVENT_MISSING_PREVIOUS_ID')
    const ok = accepted({ type: 'alias', userId: 'u', previousId: 99 })
    expect(ok.record.type).toBe('alias')
    expect(ok.record.name).toBeNull()
  })

  it('uses the route type over the body type', () => {
    const { record } = accepted(
      { type: 'identify', event: 'E', userId: 'u' },
      { routeType: 'track' },
    )
    expect(record.type).toBe('track')
    expect(record.name).toBe('E')
    expect(codeOf({ type: 'click', userId: 'u' })).toBe('EVENT_UNKNOWN_TYPE')
  })
})

describe('normalizeEvent: limits', () => {
  it('refuses events nested 64 levels or more (EVENT_TOO_DEEP)', () => {
    // The event itself is level 1, so properties of `n` levels make n + 1.
    expect(codeOf({ type: 'track', event: 'E', userId: 'u', properties: nested(62) })).toBeNull()
    expect(codeOf({ type: 'track', event: 'E', userId: 'u', properties: nested(63) })).toBe(
      'EVENT_TOO_DEEP',
    )
    expect(codeOf({ type: 'track', event: 'E', userId: 'u', properties: nested(200) })).toBe(
      'EVENT_TOO_DEEP',
    )
    const arrays = {
      type: 'track',
      event: 'E',
      userId: 'u',
      properties: { list: [[[nested(61)]]] },
    }
    expect(codeOf(arrays)).toBe('EVENT_TOO_DEEP')
  })

  it('trusts a depth bound below the limit and checks at or above it', () => {
    const deep = () => ({ type: 'track', event: 'E', userId: 'u', properties: nested(100) })
    // The caller vouches that nothing is nested 63 deep: the walk is skipped.
    expect(codeOf(deep(), { depthBound: 63 })).toBeNull()
    expect(codeOf(deep(), { depthBound: 64 })).toBe('EVENT_TOO_DEEP')
    expect(codeOf(deep(), { depthBound: undefined })).toBe('EVENT_TOO_DEEP')
  })

  it('refuses events over 32 KB of UTF-8 even when under 32 K characters (EVENT_TOO_LARGE)', () => {
    // 'é' is two bytes: 17,000 of them are 34,000 bytes in 17,000 characters.
    const big = {
      type: 'track',
      event: 'E',
      userId: 'u',
      messageId: 'big-1',
      properties: { t: 'é'.repeat(17_000) },
    }
    const result = normalizeEvent(big, base)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('EVENT_TOO_LARGE')
      expect(result.messageId).toBe('big-1')
    }
    // 15,000 'é' (30,000 bytes) still fits.
    expect(
      codeOf({ type: 'track', event: 'E', userId: 'u', properties: { t: 'é'.repeat(15_000) } }),
    ).toBeNull()
    // Four-byte characters count as four bytes.
    expect(
      codeOf({ type: 'track', event: 'E', userId: 'u', properties: { t: '😀'.repeat(8_300) } }),
    ).toBe('EVENT_TOO_LARGE')
  })
})
