import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_IDENTITY_CONFIG,
  IdentityErrors,
  type Collection,
  type ExplainResult,
  type Identifier,
  type IdentityConfig,
  type IdentityService,
  type SplitRequest,
  type SplitResult,
} from '../identity/index.js'
import { buildProfileScenario, minute } from '../identity/profile-query.contract.js'
import { openSeededSqliteProfiles } from '../infra/sql/seed-identity-rows.js'
import { AppError } from '../platform/errors/index.js'
import { registerIdentityRoutes } from './identity-routes.js'

type Json = Record<string, unknown>

/** An IdentityService that records calls and answers canned results. */
class FakeIdentityService implements IdentityService {
  splits: Array<{ collection: Collection; request: SplitRequest }> = []
  explains: Array<{ collection: Collection; a: Identifier; b: Identifier }> = []
  ruleEdits: Array<{ config: unknown; actor: string }> = []
  managed = false
  explainResult: ExplainResult = { connected: false, profileId: null, path: [] }

  split(collection: Collection, request: SplitRequest): Promise<SplitResult> {
    this.splits.push({ collection, request })
    const a = request.kind === 'block' ? request.identifier : request.a
    return Promise.resolve({
      override: {
        id: 7,
        collection,
        kind: request.kind,
        a,
        b: request.kind === 'separate' ? request.b : null,
        reason: request.reason,
        actor: request.actor,
        createdAt: minute(60),
      },
      rebuild: {
        collection,
        componentIds: ['cmp_usr_jane'],
        reason: 'split',
        events: 6,
        profilesBefore: ['usr_jane'],
        profilesAfter: ['usr_jane', 'usr_new'],
        actor: request.actor,
        at: minute(61),
      },
    })
  }

  explain(collection: Collection, a: Identifier, b: Identifier): Promise<ExplainResult> {
    this.explains.push({ collection, a, b })
    return Promise.resolve(this.explainResult)
  }

  rules(): { config: IdentityConfig; managed: boolean } {
    return { config: DEFAULT_IDENTITY_CONFIG, managed: this.managed }
  }

  setRules(config: unknown, actor: string): Promise<IdentityConfig> {
    if (this.managed) return Promise.reject(IdentityErrors.rulesManaged())
    this.ruleEdits.push({ config, actor })
    return Promise.resolve(DEFAULT_IDENTITY_CONFIG)
  }
}

const scenario = buildProfileScenario()
let dir: string
let store: Awaited<ReturnType<typeof openSeededSqliteProfiles>>
let app: FastifyInstance
let identity: FakeIdentityService
let catchUps = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-identity-api-'))
  store = await openSeededSqliteProfiles(dir, scenario.fixture)
  identity = new FakeIdentityService()
  app = Fastify()
  // The admin scope's error shape (app/admin-api.ts), without its token check.
  await app.register((api, _options, done) => {
    api.setErrorHandler((error, request, reply) => {
      const status = error instanceof AppError ? error.httpStatus : 500
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR'
      return reply.code(status).send({
        error: {
          code,
          message: error instanceof Error ? error.message : 'error',
          requestId: request.id,
        },
      })
    })
    registerIdentityRoutes(api, {
      profiles: store.profiles,
      identity,
      catchUp: () => {
        catchUps += 1
        return Promise.resolve()
      },
    })
    done()
  })
  await app.ready()
})

afterAll(async () => {
  await app.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => {
  identity.splits = []
  identity.explains = []
  identity.ruleEdits = []
  identity.managed = false
})

async function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const response = await app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  })
  return { status: response.statusCode, body: response.json<Json>() }
}

const errorCode = (body: Json) => (body.error as Json).code

describe('profile search and detail', () => {
  it('lists profiles newest first as summaries, after catching up', async () => {
    const before = catchUps
    const answer = await call('GET', '/api/v1/profiles')
    expect(catchUps).toBe(before + 1)
    const data = answer.body.data as Json[]
    expect(data.map((p) => p.id)).toEqual(['usr_jane', 'usr_bob', 'usr_anon', 'usr_carl'])
    expect(data[0]).toEqual({
      id: 'usr_jane',
      collection: 'users',
      name: 'Jane Doe',
      email: 'jane@example.com',
      identifiers: [
        { type: 'anonymous_id', value: 'anon-1' },
        { type: 'email', value: 'jane@example.com' },
        { type: 'user_id', value: 'u1' },
        { type: 'group_id', value: 'g1' },
        { type: 'group_id', value: 'g2' },
      ],
      firstSeen: '2026-01-01T00:01:00.000Z',
      lastSeen: '2026-01-01T00:10:00.000Z',
      counts: { page: 1, identify: 1, track: 3, group: 1 },
    })
    expect(answer.body.next).toBeNull()
  })

  it('searches, pages and picks the collection', async () => {
    const found = await call('GET', '/api/v1/profiles?q=jane')
    expect((found.body.data as Json[]).map((p) => p.id)).toEqual(['usr_jane', 'usr_anon'])
    const first = await call('GET', '/api/v1/profiles?limit=3')
    expect((first.body.data as Json[]).length).toBe(3)
    const rest = await call('GET', `/api/v1/profiles?limit=3&cursor=${String(first.body.next)}`)
    expect((rest.body.data as Json[]).map((p) => p.id)).toEqual(['usr_carl'])
    const accounts = await call('GET', '/api/v1/profiles?collection=accounts')
    expect((accounts.body.data as Json[]).map((p) => p.name)).toEqual([
      'Account acc_g2',
      'Account acc_g1',
    ])
  })

  it('refuses unknown parameters and bad cursors', async () => {
    const unknown = await call('GET', '/api/v1/profiles?page=2')
    expect(unknown.status).toBe(400)
    expect(errorCode(unknown.body)).toBe('API_INVALID_REQUEST')
    const cursor = await call('GET', '/api/v1/profiles?cursor=nope')
    expect(cursor.status).toBe(400)
    expect(errorCode(cursor.body)).toBe('IDENTITY_INVALID_CURSOR')
  })

  it('shows one profile whole: live traits with provenance, identifiers, links', async () => {
    const answer = await call('GET', '/api/v1/profiles/usr_jane')
    expect(answer.status).toBe(200)
    const body = answer.body
    expect(Object.keys(body.traits as Json)).toEqual(['address', 'email', 'name', 'plan'])
    expect((body.traits as Json).email).toEqual({
      value: 'jane@example.com',
      sourceId: 'src_web',
      messageId: 'm-2',
      timestamp: '2026-01-01T00:02:00.000Z',
    })
    expect((body.identifiers as Json[])[0]).toEqual({
      type: 'anonymous_id',
      value: 'anon-1',
      firstSeen: '2026-01-01T00:01:00.000Z',
      firstMessageId: 'm-first-anonymous_id:anon-1',
      firstSourceId: 'src_web',
      addedAt: '2026-01-01T00:01:00.000Z',
    })
    expect(body).toMatchObject({ id: 'usr_jane', collection: 'users', merges: 1 })
    expect((body.links as Json[]).map((l) => l.id)).toEqual(['acc_g2', 'acc_g1'])
  })

  it('answers IDENTITY_NOT_FOUND for an unknown profile on every profile route', async () => {
    for (const suffix of ['', '/events', '/history', '/graph']) {
      const answer = await call('GET', `/api/v1/profiles/usr_nobody${suffix}`)
      expect(answer.status, suffix).toBe(404)
      expect(errorCode(answer.body), suffix).toBe('IDENTITY_NOT_FOUND')
    }
  })
})

describe('timeline, history and graph', () => {
  it('pages the timeline newest first within a time window', async () => {
    const first = await call('GET', '/api/v1/profiles/usr_jane/events?limit=4')
    const data = first.body.data as Json[]
    expect(data.map((e) => e.seq)).toEqual([5, 4, 7, 3])
    expect(data[0]).toMatchObject({
      sourceId: 'src_web',
      type: 'track',
      messageId: 'm-5',
      timestamp: '2026-01-01T00:10:00.000Z',
      event: { event: 'Signed Up', userId: 'u1' },
    })
    const rest = await call(
      'GET',
      `/api/v1/profiles/usr_jane/events?limit=4&cursor=${String(first.body.next)}`,
    )
    expect((rest.body.data as Json[]).map((e) => e.seq)).toEqual([2, 1])
    const window = await call(
      'GET',
      `/api/v1/profiles/usr_jane/events?start=${minute(3)}&end=${minute(10)}`,
    )
    expect((window.body.data as Json[]).map((e) => e.seq)).toEqual([4, 7, 3])
  })

  it('pages the merge history oldest first', async () => {
    const first = await call('GET', '/api/v1/profiles/usr_jane/history?limit=3')
    const data = first.body.data as Json[]
    expect(data.map((e) => e.kind)).toEqual(['create', 'attach', 'attach'])
    expect(data[1]).toMatchObject({
      from: { type: 'anonymous_id', value: 'anon-1' },
      to: { type: 'user_id', value: 'u1' },
      rule: 'shared-identifier:anonymous_id',
      seq: 2,
      timestamp: '2026-01-01T00:02:00.000Z',
    })
    const rest = await call(
      'GET',
      `/api/v1/profiles/usr_jane/history?cursor=${String(first.body.next)}`,
    )
    expect((rest.body.data as Json[]).map((e) => e.kind)).toEqual(['merge', 'drop'])
    expect(rest.body.next).toBeNull()
  })

  it('draws the graph: identifier nodes, edges between them, creations as annotations', async () => {
    const { body } = await call('GET', '/api/v1/profiles/usr_jane/graph')
    const nodes = body.nodes as Json[]
    expect(nodes.map((n) => n.id)).toContain('anonymous_id:shared')
    expect(nodes.find((n) => n.id === 'anonymous_id:anon-1')?.annotations).toEqual([
      expect.objectContaining({ kind: 'create', rule: 'new-identifier' }),
    ])
    expect((body.edges as Json[]).map((e) => `${String(e.from)}>${String(e.to)}`)).toEqual([
      'anonymous_id:anon-1>user_id:u1',
      'user_id:u1>email:jane@example.com',
      'user_id:u1>group_id:g1',
    ])
  })
})

describe('explain, split and overrides', () => {
  it('explains through the identity service', async () => {
    identity.explainResult = {
      connected: true,
      profileId: 'usr_jane',
      path: scenario.edges.slice(1, 3),
    }
    const answer = await call(
      'GET',
      '/api/v1/identity/explain?a=anonymous_id:anon-1&b=email:jane@example.com',
    )
    expect(identity.explains).toEqual([
      {
        collection: 'users',
        a: { type: 'anonymous_id', value: 'anon-1' },
        b: { type: 'email', value: 'jane@example.com' },
      },
    ])
    expect(answer.body).toMatchObject({ connected: true, profileId: 'usr_jane' })
    expect((answer.body.path as Json[]).map((e) => e.kind)).toEqual(['attach', 'attach'])
    const missing = await call('GET', '/api/v1/identity/explain?a=user_id:u1')
    expect(missing.status).toBe(400)
  })

  it('splits by blocking an identifier of the profile, as admin', async () => {
    const answer = await call('POST', '/api/v1/profiles/usr_jane/split', {
      kind: 'block',
      identifier: 'anonymous_id:anon-1',
      reason: 'shared kiosk',
    })
    expect(answer.status).toBe(200)
    expect(identity.splits).toEqual([
      {
        collection: 'users',
        request: {
          kind: 'block',
          identifier: { type: 'anonymous_id', value: 'anon-1' },
          reason: 'shared kiosk',
          actor: 'admin',
        },
      },
    ])
    expect(answer.body.override).toEqual({
      id: 7,
      collection: 'users',
      kind: 'block',
      a: 'anonymous_id:anon-1',
      b: null,
      reason: 'shared kiosk',
      actor: 'admin',
      createdAt: '2026-01-01T01:00:00.000Z',
    })
    expect(answer.body.rebuild).toMatchObject({ reason: 'split', at: '2026-01-01T01:01:00.000Z' })
  })

  it('separates two identifiers of the profile; refuses identifiers it does not hold', async () => {
    const ok = await call('POST', '/api/v1/profiles/usr_jane/split', {
      kind: 'separate',
      a: 'user_id:u1',
      b: 'email:jane@example.com',
      reason: 'typo',
    })
    expect(ok.status).toBe(200)
    expect(identity.splits[0]?.request).toMatchObject({ kind: 'separate', actor: 'admin' })
    const foreign = await call('POST', '/api/v1/profiles/usr_jane/split', {
      kind: 'separate',
      a: 'user_id:u1',
      b: 'user_id:u2',
      reason: 'x',
    })
    expect(foreign.status).toBe(404)
    expect(errorCode(foreign.body)).toBe('IDENTITY_NOT_FOUND')
    const bad = await call('POST', '/api/v1/profiles/usr_jane/split', {
      kind: 'merge',
      reason: 'x',
    })
    expect(bad.status).toBe(400)
    expect(identity.splits).toHaveLength(1)
  })

  it('lists overrides: all of a collection, of a profile, or of one identifier', async () => {
    const reasons = async (url: string) =>
      ((await call('GET', url)).body.data as Json[]).map((o) => o.reason)
    expect(await reasons('/api/v1/identity/overrides')).toEqual(['shared device', 'typo'])
    expect(await reasons('/api/v1/identity/overrides?collection=accounts')).toEqual(['test'])
    expect(await reasons('/api/v1/identity/overrides?profileId=usr_jane')).toEqual(['typo'])
    expect(await reasons('/api/v1/identity/overrides?identifier=anonymous_id:shared')).toEqual([
      'shared device',
    ])
    const [typo] = (await call('GET', '/api/v1/identity/overrides?profileId=usr_bob')).body
      .data as Json[]
    expect(typo).toMatchObject({ kind: 'separate', a: 'user_id:u1', b: 'email:bob@example.org' })
  })
})

describe('rules and totals', () => {
  it('reads the rules and edits them unless the config file manages them', async () => {
    const read = await call('GET', '/api/v1/identity/rules')
    expect(read.body).toEqual({ config: DEFAULT_IDENTITY_CONFIG, managed: false })
    const edit = await call('PUT', '/api/v1/identity/rules', { mergeCap: 50 })
    expect(edit.status).toBe(200)
    expect(identity.ruleEdits).toEqual([{ config: { mergeCap: 50 }, actor: 'admin' }])
    identity.managed = true
    const refused = await call('PUT', '/api/v1/identity/rules', { mergeCap: 50 })
    expect(refused.status).toBe(409)
    expect(errorCode(refused.body)).toBe('IDENTITY_RULES_MANAGED')
  })

  it('counts profiles and identifiers', async () => {
    expect((await call('GET', '/api/v1/identity/stats')).body).toEqual({
      users: 4,
      accounts: 2,
      identifiers: scenario.identifiers.length,
    })
  })
})
