// Data-subject requests end to end on the embedded store (and the deletion on PostgreSQL): a
// person seen under several identifiers in two sources is erased from every store while
// another person stays whole; suppression drops and counts new events, unsuppress restores
// them; deletions reach a webhook, a destination without support is NOT_SUPPORTED; a restart
// in the middle of a request resumes it. Needs a build (`npm run build`): the pipeline and
// delivery workers run from dist. PostgreSQL at 127.0.0.1:5432.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { openStores } from '../../packages/server/src/app/open-storage.js'
import {
  startTestPlatform,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

type Json = Record<string, unknown>

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const WEB_WRITE_KEY = 'web_write_key_0002'
const SOURCES = [
  { id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY },
  { id: 'web-source', name: 'Web', writeKey: WEB_WRITE_KEY },
]
const WAIT_MS = 20_000

const open: TestPlatform[] = []
const receivers: Receiver[] = []

afterEach(async () => {
  for (const tp of open.splice(0)) await tp.close()
  for (const r of receivers.splice(0)) await r.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function start(overrides: Json = {}): Promise<TestPlatform> {
  const tp = await startTestPlatform({ sources: SOURCES, ...overrides })
  open.push(tp)
  return tp
}

async function send(tp: TestPlatform, writeKey: string, batch: Json[]): Promise<void> {
  const res = await fetch(`${tp.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  expect(res.status).toBe(200)
}

async function api<T = Json>(tp: TestPlatform, method: string, path: string, body?: unknown) {
  const res = await tp.admin(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  return { status: res.status, body: (await res.json()) as T }
}

interface RegulationJson {
  id: string
  overallStatus: string
  stores: Array<{ name: string; id: string; status: string; errString: string | null }>
  destinations: Array<{ name: string; id: string; status: string; errString: string | null }>
}

async function regulate(tp: TestPlatform, body: Json): Promise<string> {
  const answer = await api<{ data: { regulateId: string } }>(
    tp,
    'POST',
    '/api/v1/regulations',
    body,
  )
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return answer.body.data.regulateId
}

async function regulation(tp: TestPlatform, id: string): Promise<RegulationJson> {
  const answer = await api<{ data: { regulation: RegulationJson } }>(
    tp,
    'GET',
    `/api/v1/regulations/${id}`,
  )
  expect(answer.status).toBe(200)
  return answer.body.data.regulation
}

async function waitDone(tp: TestPlatform, id: string): Promise<RegulationJson> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const r = await regulation(tp, id)
    if (!['INITIALIZED', 'RUNNING'].includes(r.overallStatus)) return r
    if (Date.now() > deadline) throw new Error(`regulation still ${JSON.stringify(r)}`)
    await sleep(100)
  }
}

/** messageIds of the stored events (the events route waits for the store). */
async function storedIds(tp: TestPlatform): Promise<string[]> {
  const answer = await api<{ data: Array<{ event: { messageId: string } }> }>(
    tp,
    'GET',
    '/api/v1/events?limit=100',
  )
  return answer.body.data.map((e) => e.event.messageId)
}

/** Waits until identity resolved everything acknowledged (the admin route waits for it). */
async function resolved(tp: TestPlatform): Promise<void> {
  const answer = await api<{ data: unknown[] }>(tp, 'GET', '/api/v1/profiles?q=user-a')
  expect(answer.status).toBe(200)
  expect(answer.body.data).toHaveLength(1)
}

/** Person A under two anonymous ids, a userId and an email, in two sources; person B apart. */
async function seedPeople(tp: TestPlatform): Promise<void> {
  await send(tp, WEB_WRITE_KEY, [
    { type: 'page', anonymousId: 'anon-a1', name: 'Home', messageId: 'a-1' },
    {
      type: 'identify',
      anonymousId: 'anon-a1',
      userId: 'user-a',
      traits: { email: 'Alice@Example.com', name: 'Alice' },
      messageId: 'a-2',
    },
    { type: 'page', anonymousId: 'anon-b1', name: 'Home', messageId: 'b-1' },
  ])
  await send(tp, TEST_WRITE_KEY, [
    { type: 'track', userId: 'user-a', event: 'Bought', messageId: 'a-3' },
    {
      type: 'track',
      anonymousId: 'anon-a2',
      event: 'Viewed',
      context: { traits: { email: 'alice@example.com' } },
      messageId: 'a-4',
    },
    // Rejected (a track without `event`), holding person A's userId.
    { type: 'track', userId: 'user-a', messageId: 'a-5' },
    {
      type: 'identify',
      userId: 'user-b',
      anonymousId: 'anon-b1',
      traits: { email: 'b@example.com' },
      messageId: 'b-2',
    },
    { type: 'track', userId: 'user-b', event: 'Bought', messageId: 'b-3' },
    { type: 'track', userId: 'user-b', messageId: 'b-4' },
  ])
}

/** Rows naming person A or B in every table of the embedded store (read beside the platform). */
/** A quarantined event of `userId` (as a tracking plan blocks one), written as the store does. */
function quarantine(dataDir: string, userId: string): void {
  const db = new Database(join(dataDir, 'tessera.db'))
  try {
    db.pragma('busy_timeout = 5000')
    const now = Date.now()
    db.prepare(
      `INSERT INTO quarantined_events (source_id, message_id, received_at, type, name, payload,
         violations, step, plan_id, plan_revision, status, quarantined_at, updated_at)
       VALUES ('test-source', ?, ?, 'track', 'Unplanned', ?, '[]', 'plan', 'tp_x', 1, 'quarantined', ?, ?)`,
    ).run(
      `q-${userId}`,
      now,
      JSON.stringify({ type: 'track', event: 'Unplanned', userId, messageId: `q-${userId}` }),
      now,
      now,
    )
  } finally {
    db.close()
  }
}

function countRows(dataDir: string, who: 'a' | 'b'): Record<string, number> {
  const db = new Database(join(dataDir, 'tessera.db'), { readonly: true })
  db.prepare('ATTACH DATABASE ? AS identity').run(join(dataDir, 'identity.db'))
  db.prepare('ATTACH DATABASE ? AS delivery').run(join(dataDir, 'delivery.db'))
  const like = `%${who === 'a' ? 'user-a' : 'user-b'}%`
  const anyId =
    who === 'a'
      ? ['user-a', 'anon-a1', 'anon-a2', 'alice@example.com']
      : ['user-b', 'anon-b1', 'b@example.com']
  const prefix = `${who}-%`
  const count = (query: string, ...params: unknown[]): number =>
    db
      .prepare(query)
      .pluck()
      .get(...params) as number
  const marks = anyId.map(() => '?').join(',')
  try {
    return {
      events: count('SELECT count(*) FROM events WHERE message_id LIKE ?', prefix),
      rejected_events: count('SELECT count(*) FROM rejected_events WHERE payload LIKE ?', like),
      quarantined_events: count(
        'SELECT count(*) FROM quarantined_events WHERE payload LIKE ?',
        like,
      ),
      identity_identifiers: count(
        `SELECT count(*) FROM identity.identity_identifiers WHERE value IN (${marks})`,
        ...anyId,
      ),
      profiles: count(
        `SELECT count(*) FROM identity.profiles WHERE id IN (SELECT profile_id FROM identity.identity_identifiers WHERE value IN (${marks}))`,
        ...anyId,
      ),
      profile_events: count(
        'SELECT count(*) FROM identity.profile_events WHERE message_id LIKE ?',
        prefix,
      ),
      identity_edges: count(
        'SELECT count(*) FROM identity.identity_edges WHERE message_id LIKE ?',
        prefix,
      ),
      dead_letters: count(
        'SELECT count(*) FROM delivery.delivery_dead_letters WHERE message_id LIKE ?',
        prefix,
      ),
    }
  } finally {
    db.close()
  }
}

async function waitDeadLetters(tp: TestPlatform, expected: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const db = new Database(join(tp.dataDir, 'delivery.db'), { readonly: true })
    const n = db.prepare('SELECT count(*) FROM delivery_dead_letters').pluck().get() as number
    db.close()
    if (n >= expected) return
    if (Date.now() > deadline) throw new Error(`only ${n} dead letters`)
    await sleep(100)
  }
}

/** A webhook refusing events (they become dead letters) and accepting deletions. */
async function deletionHook(): Promise<Receiver> {
  const receiver = await startReceiver()
  receivers.push(receiver)
  receiver.answer = (request) => {
    const body = JSON.parse(request.body) as Json
    return { status: body.type === 'delete' ? 200 : 400 }
  }
  return receiver
}

async function addDestinations(tp: TestPlatform, hook: Receiver): Promise<void> {
  const created = await api(tp, 'POST', '/api/v1/destinations', {
    id: 'hook',
    name: 'Hook',
    type: 'webhook',
    settings: { url: hook.url, secret: 'hook-secret-0123456789abcdef' },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const nats = await api(tp, 'POST', '/api/v1/destinations', {
    id: 'stream',
    name: 'Stream',
    type: 'nats',
    settings: { servers: 'nats://127.0.0.1:1' },
  })
  expect(nats.status, JSON.stringify(nats.body)).toBe(201)
}

describe('regulations on the embedded store', () => {
  it('deletes a person from every store, forwards to the webhook, leaves others alone', async () => {
    const tp = await start()
    const hook = await deletionHook()
    await addDestinations(tp, hook)
    await seedPeople(tp)
    await waitDeadLetters(tp, 7)
    // Identity resolved everything acknowledged (the admin route waits for it).
    await resolved(tp)
    quarantine(tp.dataDir, 'user-a')
    quarantine(tp.dataDir, 'user-b')
    const before = countRows(tp.dataDir, 'a')
    expect(before.events).toBe(4)
    expect(before.rejected_events).toBe(1)
    expect(before.quarantined_events).toBe(1)
    expect(before.profiles).toBe(1)
    expect(before.dead_letters).toBe(4)
    const others = countRows(tp.dataDir, 'b')

    const id = await regulate(tp, {
      regulationType: 'DELETE_ONLY',
      subjectType: 'EMAIL',
      subjectIds: ['ALICE@example.com'],
    })
    const done = await waitDone(tp, id)
    expect(done.overallStatus).toBe('FINISHED')
    expect(done.stores.map((s) => [s.name, s.status])).toEqual([
      ['delivery', 'FINISHED'],
      ['rejected_events', 'FINISHED'],
      ['quarantined_events', 'FINISHED'],
      ['events', 'FINISHED'],
      ['trait_corrections', 'FINISHED'],
      ['identity', 'FINISHED'],
    ])
    expect(done.destinations.map((d) => [d.id, d.status])).toEqual([
      ['hook', 'FINISHED'],
      ['stream', 'NOT_SUPPORTED'],
    ])
    expect(Object.values(countRows(tp.dataDir, 'a')).every((n) => n === 0)).toBe(true)
    expect(countRows(tp.dataDir, 'b')).toEqual(others)

    const deletes = hook.requests.filter((r) => (JSON.parse(r.body) as Json).type === 'delete')
    expect(deletes).toHaveLength(1)
    const deletion = JSON.parse(deletes[0]?.body ?? '{}') as Json
    expect(deletion.userId).toBe('user-a')
    expect([...(deletion.anonymousIds as string[])].sort()).toEqual(['anon-a1', 'anon-a2'])
    expect(deletes[0]?.headers['x-tessera-signature']).toMatch(/^v1=/)

    const report = await api<{ data: { totals: Record<string, number>; status: string } }>(
      tp,
      'GET',
      `/api/v1/regulations/${id}/report`,
    )
    expect(report.body.data.status).toBe('FINISHED')
    expect(report.body.data.totals.events).toBe(4)
    expect(report.body.data.totals.profiles).toBe(1)
    const list = await api<{ data: { regulations: Array<{ id: string }> } }>(
      tp,
      'GET',
      '/api/v1/regulations?status=FINISHED',
    )
    expect(list.body.data.regulations.map((r) => r.id)).toEqual([id])
  })

  it('suppresses new events of the person (counted), and unsuppress restores them', async () => {
    const tp = await start()
    await seedPeople(tp)
    await resolved(tp)
    const id = await regulate(tp, {
      regulationType: 'SUPPRESS_ONLY',
      subjectType: 'USER_ID',
      subjectIds: ['user-a'],
    })
    expect((await waitDone(tp, id)).overallStatus).toBe('FINISHED')
    await send(tp, TEST_WRITE_KEY, [
      { type: 'track', userId: 'user-a', event: 'Again', messageId: 'a-10' },
      { type: 'track', anonymousId: 'anon-a2', event: 'Again', messageId: 'a-11' },
      {
        type: 'identify',
        anonymousId: 'anon-new',
        traits: { email: 'alice@EXAMPLE.com' },
        messageId: 'a-12',
      },
      { type: 'track', userId: 'user-b', event: 'Still here', messageId: 'b-10' },
    ])
    const stored = await storedIds(tp)
    expect(stored).toContain('b-10')
    expect(stored.filter((m) => ['a-10', 'a-11', 'a-12'].includes(m))).toEqual([])
    const stats = await api<{ data: Array<{ sourceId: string; suppressed: number }> }>(
      tp,
      'GET',
      '/api/v1/stats/ingest?sourceId=test-source',
    )
    expect(stats.body.data.reduce((n, row) => n + row.suppressed, 0)).toBe(3)
    // History stays (SUPPRESS_ONLY deletes nothing).
    expect(countRows(tp.dataDir, 'a').events).toBe(4)

    const un = await regulate(tp, {
      regulationType: 'UNSUPPRESS',
      subjectType: 'USER_ID',
      subjectIds: ['user-a'],
    })
    expect((await waitDone(tp, un)).overallStatus).toBe('FINISHED')
    const suppressions = await api<{ data: { suppressions: unknown[] } }>(
      tp,
      'GET',
      '/api/v1/suppressions',
    )
    expect(suppressions.body.data.suppressions).toEqual([])
    await send(tp, TEST_WRITE_KEY, [
      { type: 'track', userId: 'user-a', event: 'Back', messageId: 'a-20' },
    ])
    expect(await storedIds(tp)).toContain('a-20')
  })

  it('restricts a profile by its identifiers, kept across a later merge, and lifts it', async () => {
    const tp = await start()
    await seedPeople(tp)
    await resolved(tp)
    const found = await api<{ data: Array<{ id: string }> }>(tp, 'GET', '/api/v1/profiles?q=user-a')
    const profileId = found.body.data[0]?.id ?? ''
    const path = `/api/v1/profiles/${profileId}/restriction`
    expect(
      (await api<{ data: { restricted: boolean } }>(tp, 'GET', path)).body.data.restricted,
    ).toBe(false)
    const set = await api<{ data: { restricted: boolean } }>(tp, 'POST', path)
    expect(set.body.data.restricted).toBe(true)
    // Access export: the profile with traits and provenance, history, events, the restriction.
    const exported = await api<{
      data: {
        profiles: Array<{
          profile: { traits: Record<string, { value: unknown; messageId: string }> }
          mergeHistory: unknown[]
          events: Array<{ messageId: string }>
        }>
        restrictions: Array<{ value: string }>
      }
    }>(tp, 'POST', '/api/v1/subject-access', {
      subjectType: 'EMAIL',
      subjectIds: ['alice@example.com'],
    })
    expect(exported.status).toBe(200)
    const [one] = exported.body.data.profiles
    expect(exported.body.data.profiles).toHaveLength(1)
    expect(one?.profile.traits.name).toMatchObject({ value: 'Alice', messageId: 'a-2' })
    expect(one?.events.map((e) => e.messageId).sort()).toEqual(['a-1', 'a-2', 'a-3', 'a-4'])
    expect(one?.mergeHistory.length).toBeGreaterThan(0)
    expect(exported.body.data.restrictions.map((r) => r.value)).toContain('user-a')
    const list = tp.platform.regulations.restrictions
    expect(list.isRestricted([{ type: 'anonymous_id', value: 'anon-a2' }])).toBe(true)
    expect(list.isRestricted([{ type: 'user_id', value: 'user-b' }])).toBe(false)
    // A new browser of the person joins the profile: the flag still holds through user_id.
    await send(tp, TEST_WRITE_KEY, [
      { type: 'identify', userId: 'user-a', anonymousId: 'anon-a3', messageId: 'a-30' },
    ])
    await resolved(tp)
    expect(list.isRestricted([{ type: 'user_id', value: 'user-a' }])).toBe(true)
    const lifted = await api<{ data: { restricted: boolean } }>(tp, 'DELETE', path)
    expect(lifted.body.data.restricted).toBe(false)
    expect(list.isRestricted([{ type: 'anonymous_id', value: 'anon-a2' }])).toBe(false)
    const missing = await api<{ error: { code: string } }>(
      tp,
      'POST',
      '/api/v1/profiles/usr_nope/restriction',
    )
    expect(missing.status).toBe(404)
  })

  it('refuses bad requests with REGULATIONS_* codes and stores nothing', async () => {
    const tp = await start()
    const cases: Array<[unknown, string]> = [
      [
        { regulationType: 'DELETE_ALL', subjectType: 'USER_ID', subjectIds: ['x'] },
        'REGULATIONS_INVALID_REQUEST',
      ],
      [
        { regulationType: 'DELETE_ONLY', subjectType: 'SHOE_SIZE', subjectIds: ['x'] },
        'REGULATIONS_UNKNOWN_SUBJECT_TYPE',
      ],
      [
        {
          regulationType: 'DELETE_ONLY',
          subjectType: 'USER_ID',
          subjectIds: Array.from({ length: 5001 }, (_, i) => `u${i}`),
        },
        'REGULATIONS_TOO_MANY_SUBJECTS',
      ],
    ]
    for (const [body, code] of cases) {
      const answer = await api<{ error: { code: string } }>(tp, 'POST', '/api/v1/regulations', body)
      expect(answer.status).toBe(400)
      expect(answer.body.error.code).toBe(code)
    }
    const missing = await api<{ error: { code: string } }>(
      tp,
      'GET',
      '/api/v1/regulations/reg_nope',
    )
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('REGULATIONS_NOT_FOUND')
    const list = await api<{ data: { regulations: unknown[] } }>(tp, 'GET', '/api/v1/regulations')
    expect(list.body.data.regulations).toEqual([])
    // A phone number is an identifier type identity knows.
    const phone = await regulate(tp, {
      regulationType: 'DELETE_INTERNAL',
      subjectType: 'phone',
      subjectIds: ['+15555550100'],
    })
    expect((await waitDone(tp, phone)).overallStatus).toBe('FINISHED')
  })

  it('resumes an unfinished request after a restart', async () => {
    const tp = await start()
    await seedPeople(tp)
    await resolved(tp)
    const id = await regulate(tp, {
      regulationType: 'DELETE_INTERNAL',
      subjectType: 'USER_ID',
      subjectIds: ['user-a'],
    })
    await waitDone(tp, id)
    // Put the request back where a crash after its first store would leave it: the first
    // task done, the others still to run (their data restored by seeding again).
    const dataDir = tp.dataDir
    await tp.platform.stop()
    open.splice(open.indexOf(tp), 1)
    const db = new Database(join(dataDir, 'tessera.db'))
    db.prepare("UPDATE regulations SET status = 'RUNNING', finished_at = NULL WHERE id = ?").run(id)
    db.prepare(
      "UPDATE regulation_tasks SET status = 'INITIALIZED', finished_at = NULL WHERE regulation_id = ? AND position > 0",
    ).run(id)
    db.close()
    const stores = await openStores({ dataDir })
    const again = await startTestPlatform({ sources: SOURCES, storage: { dataDir } }, { stores })
    open.push(again)
    const done = await waitDone(again, id)
    expect(done.overallStatus).toBe('FINISHED')
    expect(done.stores.every((s) => s.status === 'FINISHED')).toBe(true)
    expect(countRows(dataDir, 'a').events).toBe(0)
  })
})

describe('regulations on PostgreSQL', () => {
  it('deletes a person from every table, others untouched', async () => {
    const schema = `regs_${process.pid}_${Date.now() % 100_000}`
    const tp = await start({ storage: { databaseUrl: DATABASE_URL, databaseSchema: schema } })
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    try {
      await seedPeople(tp)
      await resolved(tp)
      const count = async (table: string, where: string, param: string) =>
        Number(
          (
            await client.query<{ n: string }>(
              `SELECT count(*) AS n FROM ${schema}.${table} WHERE ${where}`,
              [param],
            )
          ).rows[0]?.n,
        )
      expect(await count('events', 'message_id LIKE $1', 'a-%')).toBe(4)
      const bEvents = await count('events', 'message_id LIKE $1', 'b-%')
      const id = await regulate(tp, {
        regulationType: 'SUPPRESS_WITH_DELETE_INTERNAL',
        subjectType: 'ANONYMOUS_ID',
        subjectIds: ['anon-a2'],
      })
      const done = await waitDone(tp, id)
      expect(done.overallStatus).toBe('FINISHED')
      expect(await count('events', 'message_id LIKE $1', 'a-%')).toBe(0)
      expect(await count('rejected_events', 'payload LIKE $1', '%user-a%')).toBe(0)
      expect(await count('profile_events', 'message_id LIKE $1', 'a-%')).toBe(0)
      expect(await count('identity_edges', 'message_id LIKE $1', 'a-%')).toBe(0)
      expect(await count('identity_identifiers', 'value = $1', 'user-a')).toBe(0)
      expect(await count('events', 'message_id LIKE $1', 'b-%')).toBe(bEvents)
      expect(await count('identity_identifiers', 'value = $1', 'user-b')).toBe(1)
      expect(await count('suppressed_identifiers', 'value = $1', 'user-a')).toBe(1)
    } finally {
      open.splice(open.indexOf(tp), 1)
      await tp.close()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  })
})
