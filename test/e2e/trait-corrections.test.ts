// Rectification and access end to end on the embedded store: a person's traits are corrected
// (one set, one removed) through the admin API; the correction holds through a late event's
// rebuild and an alias merge, a newer identify sets the trait again; the change is in the
// audit log with its reason; the access export has every section; a DELETE regulation removes
// the corrections. Needs a build (`npm run build`): the pipeline workers run from dist.
import { afterEach, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

type Json = Record<string, unknown>
interface TraitJson {
  value: unknown
  sourceId: string
  messageId: string
}
interface ProfileJson {
  id: string
  traits: Record<string, TraitJson>
  identifiers: Array<{ type: string; value: string }>
}
interface CorrectionJson {
  id: number
  trait: string
  action: 'set' | 'unset'
  value: unknown
  previous: unknown
  reason: string | null
  identifier: { type: string; value: string }
}

const WAIT_MS = 20_000
const open: TestPlatform[] = []

afterEach(async () => {
  for (const tp of open.splice(0)) await tp.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const iso = (ms: number) => new Date(ms).toISOString()

async function send(tp: TestPlatform, batch: Json[]): Promise<number> {
  const res = await fetch(`${tp.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  await res.text()
  return res.status
}

async function api<T = Json>(tp: TestPlatform, method: string, path: string, body?: unknown) {
  const res = await tp.admin(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as T, text }
}

/** The profile holding `q` (the search waits for identity to catch up). */
async function profileOf(tp: TestPlatform, q: string): Promise<ProfileJson> {
  const found = await api<{ data: Array<{ id: string }> }>(tp, 'GET', `/api/v1/profiles?q=${q}`)
  expect(found.status, found.text).toBe(200)
  expect(found.body.data).toHaveLength(1)
  const id = found.body.data[0]?.id ?? ''
  const profile = await api<ProfileJson>(tp, 'GET', `/api/v1/profiles/${id}`)
  expect(profile.status, profile.text).toBe(200)
  return profile.body
}

const values = (p: ProfileJson) =>
  Object.fromEntries(Object.entries(p.traits).map(([k, t]) => [k, t.value]))

describe('trait corrections', () => {
  it('corrects traits durably, audits them, exports them and erases them', async () => {
    const tp = await startTestPlatform()
    open.push(tp)
    const t0 = Date.now() - 60_000
    expect(
      await send(tp, [
        {
          type: 'identify',
          userId: 'jane',
          anonymousId: 'anon-j',
          traits: { email: 'jane@example.com', plan: 'pro', city: 'Paris' },
          context: { consent: { categoryPreferences: { analytics: true } } },
          timestamp: iso(t0),
          messageId: 'j-1',
        },
        { type: 'identify', userId: 'bob', traits: { plan: 'free' }, messageId: 'b-1' },
        { type: 'identify', anonymousId: 'anon-k', traits: { nickname: 'kk' }, messageId: 'k-1' },
      ]),
    ).toBe(200)
    // A rejected event naming Jane (track without an event name).
    await send(tp, [{ type: 'track', userId: 'jane', messageId: 'j-bad' }])
    const jane = await profileOf(tp, 'jane')
    expect(values(jane)).toMatchObject({ plan: 'pro', city: 'Paris' })

    // Invalid corrections change nothing.
    const path = `/api/v1/profiles/${jane.id}/traits`
    for (const body of [{}, { set: { plan: null } }, { unset: [''] }, { set: { a: 1 }, x: 1 }]) {
      const bad = await api<{ error: { code: string } }>(tp, 'PATCH', path, body)
      expect(bad.status, bad.text).toBe(400)
      expect(bad.body.error.code).toBe('REGULATIONS_INVALID_CORRECTION')
    }
    const missing = await api<{ error: { code: string } }>(
      tp,
      'PATCH',
      '/api/v1/profiles/usr_nobody/traits',
      { unset: ['plan'] },
    )
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('REGULATIONS_PROFILE_NOT_FOUND')

    // Correct: set the plan, remove the city.
    const corrected = await api<{ data: { profile: ProfileJson; corrections: CorrectionJson[] } }>(
      tp,
      'PATCH',
      path,
      { set: { plan: 'enterprise' }, unset: ['city'], reason: 'customer request' },
    )
    expect(corrected.status, corrected.text).toBe(200)
    expect(values(corrected.body.data.profile)).toEqual({
      email: 'jane@example.com',
      plan: 'enterprise',
    })
    expect(corrected.body.data.corrections).toMatchObject([
      { trait: 'plan', action: 'set', value: 'enterprise', previous: 'pro' },
      { trait: 'city', action: 'unset', value: null, previous: 'Paris' },
    ])
    expect(corrected.body.data.corrections[0]?.identifier).toEqual({
      type: 'user_id',
      value: 'jane',
    })
    expect((await profileOf(tp, 'jane')).traits.plan?.sourceId).toBe('correction')

    // A late event (older than everything) rebuilds Jane; an alias merges anon-k into her.
    expect(
      await send(tp, [
        {
          type: 'identify',
          anonymousId: 'anon-j',
          traits: { plan: 'basic', city: 'Lyon' },
          timestamp: iso(t0 - 60_000),
          messageId: 'j-0',
        },
        {
          type: 'alias',
          userId: 'jane',
          previousId: 'anon-k',
          anonymousId: 'anon-k',
          timestamp: iso(t0 + 1000),
          messageId: 'j-2',
        },
      ]),
    ).toBe(200)
    const rebuilt = await profileOf(tp, 'jane')
    expect(rebuilt.identifiers.map((i) => i.value)).toContain('anon-k')
    expect(values(rebuilt)).toEqual({
      email: 'jane@example.com',
      plan: 'enterprise',
      nickname: 'kk',
    })
    const list = await api<{ data: { corrections: CorrectionJson[] } }>(
      tp,
      'GET',
      `/api/v1/profiles/${rebuilt.id}/trait-corrections?limit=10`,
    )
    expect(list.status, list.text).toBe(200)
    expect(list.body.data.corrections.map((c) => [c.trait, c.action])).toEqual([
      ['city', 'unset'],
      ['plan', 'set'],
    ])

    // A newer identify sets the plan again; the removed city stays removed.
    await sleep(20)
    expect(
      await send(tp, [
        { type: 'identify', userId: 'jane', traits: { plan: 'team' }, messageId: 'j-3' },
      ]),
    ).toBe(200)
    const newer = await profileOf(tp, 'jane')
    expect(values(newer)).toEqual({ email: 'jane@example.com', plan: 'team', nickname: 'kk' })
    expect(newer.traits.plan?.messageId).toBe('j-3')
    expect(values(await profileOf(tp, 'bob'))).toEqual({ plan: 'free' })

    // The audit log: the generic entry on the profile and the correction with its reason.
    const audit = await api<{
      data: Array<{ action: string; target: { id: string | null }; details: Json }>
    }>(tp, 'GET', '/api/v1/audit?limit=500')
    expect(audit.status).toBe(200)
    const change = audit.body.data.find((e) => e.action === 'profiles.traits.update')
    expect(change?.target.id).toBe(jane.id)
    expect(change?.details).toMatchObject({ method: 'PATCH', keys: ['set', 'unset', 'reason'] })
    const domain = audit.body.data.find((e) => e.action === 'profile.traits-corrected')
    expect(domain?.target.id).toBe(jane.id)
    expect(domain?.details).toMatchObject({
      reason: 'customer request',
      set: ['plan'],
      unset: ['city'],
    })

    // The access export has every section.
    const exported = await api<{ data: Json & { profiles: Json[] } }>(
      tp,
      'POST',
      '/api/v1/subject-access',
      { subjectType: 'USER_ID', subjectIds: ['jane'] },
    )
    expect(exported.status, exported.text).toBe(200)
    const doc = exported.body.data
    expect(Object.keys(doc).sort()).toEqual(
      [
        'delivery',
        'generatedAt',
        'profiles',
        'quarantinedEvents',
        'regulations',
        'rejectedEvents',
        'restrictions',
        'subjectIds',
        'subjectType',
        'suppressions',
        'traitCorrections',
        'truncated',
      ].sort(),
    )
    expect(doc.profiles).toHaveLength(1)
    const one = doc.profiles[0] as {
      profile: ProfileJson
      events: Array<{ messageId: string }>
      mergeHistory: unknown[]
      consent: { history: unknown[]; categories: Record<string, { granted: boolean }> }
      preferences: { profileId: string }
    }
    expect(values(one.profile)).toMatchObject({ plan: 'team' })
    expect(one.events.map((e) => e.messageId).sort()).toEqual(['j-0', 'j-1', 'j-2', 'j-3', 'k-1'])
    expect(one.mergeHistory.length).toBeGreaterThan(0)
    expect(one.consent.history).toHaveLength(1)
    expect(one.consent.categories.analytics?.granted).toBe(true)
    expect(one.preferences.profileId).toBe(newer.id)
    expect((doc.traitCorrections as CorrectionJson[]).map((c) => c.trait)).toEqual(['plan', 'city'])
    expect((doc.rejectedEvents as Array<{ messageId: string }>).map((r) => r.messageId)).toEqual([
      'j-bad',
    ])
    expect(doc.quarantinedEvents).toEqual([])
    expect(doc.delivery).toEqual({ retries: [], deadLetters: [] })
    expect(doc.regulations).toEqual([])

    // A DELETE regulation removes the corrections with the rest of the person.
    const created = await api<{ data: { regulateId: string } }>(tp, 'POST', '/api/v1/regulations', {
      regulationType: 'DELETE_INTERNAL',
      subjectType: 'USER_ID',
      subjectIds: ['jane'],
    })
    expect(created.status, created.text).toBe(200)
    const id = created.body.data.regulateId
    const deadline = Date.now() + WAIT_MS
    let report: { status: string; steps: Array<{ name: string; removed: Record<string, number> }> }
    for (;;) {
      const answer = await api<{ data: typeof report }>(
        tp,
        'GET',
        `/api/v1/regulations/${id}/report`,
      )
      report = answer.body.data
      if (!['INITIALIZED', 'RUNNING'].includes(report.status)) break
      if (Date.now() > deadline) throw new Error(`regulation still ${answer.text}`)
      await sleep(100)
    }
    expect(report.status).toBe('FINISHED')
    const step = report.steps.find((s) => s.name === 'trait_corrections')
    expect(step?.removed).toEqual({ trait_corrections: 2 })
    const after = await api<{ data: Json & { traitCorrections: unknown[]; regulations: Json[] } }>(
      tp,
      'POST',
      '/api/v1/subject-access',
      { subjectType: 'USER_ID', subjectIds: ['jane'] },
    )
    expect(after.body.data.traitCorrections).toEqual([])
    expect(after.body.data.profiles).toEqual([])
    expect(after.body.data.regulations).toMatchObject([{ id, regulationType: 'DELETE_INTERNAL' }])
  })
})
