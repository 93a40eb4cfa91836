import { describe, expect, it } from 'vitest'
import { ManualClock } from '../platform/clock.js'
import { AppError } from '../platform/errors/index.js'
import { toManagedSource } from './config.js'
import { createSourceService } from './source-service.js'
import type { Source } from './source.js'
import type { SourceStore } from './source-store.js'

/** An in-memory {@link SourceStore}: a map, write-key uniqueness not enforced (the service does). */
function memoryStore(initial: Source[] = []): SourceStore & { data: Map<string, Source> } {
  const data = new Map(initial.map((s) => [s.id, s]))
  return {
    data,
    list: () => Promise.resolve([...data.values()].sort((a, b) => a.createdAt - b.createdAt)),
    get: (id) => Promise.resolve(data.get(id) ?? null),
    put(source) {
      data.set(source.id, source)
      return Promise.resolve()
    },
    delete: (id) => Promise.resolve(data.delete(id)),
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise
    return null
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return (error as AppError).code
  }
}

const managedSource = toManagedSource(
  { id: 'managed', name: 'From file', writeKey: 'managed_key_1' },
  Date.parse('2026-01-01T00:00:00Z'),
)

async function setup(stored: Source[] = []) {
  const clock = new ManualClock()
  const store = memoryStore(stored)
  const service = await createSourceService({ store, managed: [managedSource], clock })
  return { clock, store, service }
}

describe('createSourceService', () => {
  it('creates a source with a fresh id and write key, stores it and indexes the key', async () => {
    const { service, store, clock } = await setup()
    const source = await service.create({ name: 'Web', allowedOrigins: ['https://a.example'] })
    expect(source).toMatchObject({
      name: 'Web',
      managed: false,
      allowedOrigins: ['https://a.example'],
      rateLimit: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    })
    expect(source.id).toMatch(/^src_/)
    expect(source.writeKeys).toHaveLength(1)
    expect(source.writeKeys[0]?.expiresAt).toBeNull()
    expect(store.data.get(source.id)).toEqual(source)
    expect(service.byWriteKey(source.writeKeys[0]?.key ?? '')).toEqual(source)
    expect(service.get(source.id)).toEqual(source)
    expect(service.list().map((s) => s.id)).toEqual(['managed', source.id])
    const custom = await service.create({ id: 'custom', name: 'C', writeKey: 'custom_key_1' })
    expect(custom.writeKeys).toEqual([{ key: 'custom_key_1', expiresAt: null }])
    expect(service.byWriteKey('custom_key_1')?.id).toBe('custom')
    expect(service.byWriteKey('unknown')).toBeNull()
  })

  it('loads stored sources at start', async () => {
    const stored: Source = {
      ...managedSource,
      id: 'stored',
      managed: false,
      writeKeys: [{ key: 'stored_key_1', expiresAt: null }],
    }
    const { service } = await setup([stored])
    expect(service.byWriteKey('stored_key_1')?.id).toBe('stored')
    expect(service.byWriteKey('managed_key_1')?.id).toBe('managed')
  })

  it('refuses a duplicate id (SOURCES_ID_TAKEN) or write key (SOURCES_WRITE_KEY_TAKEN)', async () => {
    const { service, store } = await setup()
    await service.create({ id: 'one', name: 'One', writeKey: 'key_one_1' })
    expect(await codeOf(service.create({ id: 'one', name: 'Again' }))).toBe('SOURCES_ID_TAKEN')
    expect(await codeOf(service.create({ id: 'managed', name: 'Shadow' }))).toBe('SOURCES_ID_TAKEN')
    expect(await codeOf(service.create({ id: 'two', name: 'Two', writeKey: 'key_one_1' }))).toBe(
      'SOURCES_WRITE_KEY_TAKEN',
    )
    expect(
      await codeOf(service.create({ id: 'three', name: 'Three', writeKey: 'managed_key_1' })),
    ).toBe('SOURCES_WRITE_KEY_TAKEN')
    expect([...store.data.keys()]).toEqual(['one'])
  })

  it('updates and deletes stored sources; unknown ids are SOURCES_NOT_FOUND', async () => {
    const { service, store, clock } = await setup()
    const source = await service.create({ name: 'Old', rateLimit: { perSecond: 1, burst: 2 } })
    clock.advance(5000)
    const updated = await service.update(source.id, { name: 'New', allowedOrigins: ['*'] })
    expect(updated).toMatchObject({
      name: 'New',
      allowedOrigins: ['*'],
      rateLimit: { perSecond: 1, burst: 2 },
      createdAt: source.createdAt,
      updatedAt: source.createdAt + 5000,
    })
    expect((await service.update(source.id, { rateLimit: null })).rateLimit).toBeNull()
    expect(store.data.get(source.id)?.name).toBe('New')
    await service.delete(source.id)
    expect(service.get(source.id)).toBeNull()
    expect(service.byWriteKey(source.writeKeys[0]?.key ?? '')).toBeNull()
    expect(store.data.has(source.id)).toBe(false)
    expect(await codeOf(service.update('nope', { name: 'x' }))).toBe('SOURCES_NOT_FOUND')
    expect(await codeOf(service.delete('nope'))).toBe('SOURCES_NOT_FOUND')
    expect(await codeOf(service.rotateWriteKey('nope', 0))).toBe('SOURCES_NOT_FOUND')
  })

  it('keeps managed sources read-only (SOURCES_MANAGED)', async () => {
    const { service, store } = await setup()
    expect(await codeOf(service.update('managed', { name: 'x' }))).toBe('SOURCES_MANAGED')
    expect(await codeOf(service.delete('managed'))).toBe('SOURCES_MANAGED')
    expect(await codeOf(service.rotateWriteKey('managed', 60))).toBe('SOURCES_MANAGED')
    expect(service.get('managed')?.name).toBe('From file')
    expect(store.data.size).toBe(0)
  })

  it('rotateWriteKey keeps the old key until the grace period ends', async () => {
    const { service, clock } = await setup()
    const source = await service.create({ name: 'Rotating' })
    const oldKey = source.writeKeys[0]?.key ?? ''
    const rotated = await service.rotateWriteKey(source.id, 60)
    const newKey = rotated.writeKeys[0]?.key ?? ''
    expect(newKey).not.toBe(oldKey)
    expect(rotated.writeKeys).toEqual([
      { key: newKey, expiresAt: null },
      { key: oldKey, expiresAt: clock.now() + 60_000 },
    ])
    expect(service.byWriteKey(newKey)?.id).toBe(source.id)
    expect(service.byWriteKey(oldKey)?.id).toBe(source.id)
    clock.advance(59_999)
    expect(service.byWriteKey(oldKey)?.id).toBe(source.id)
    clock.advance(1)
    expect(service.byWriteKey(oldKey)).toBeNull()
    expect(service.byWriteKey(newKey)?.id).toBe(source.id)
  })

  it('rotateWriteKey with grace 0 revokes at once and drops expired keys', async () => {
    const { service, clock } = await setup()
    const source = await service.create({ name: 'Rotating' })
    const k1 = source.writeKeys[0]?.key ?? ''
    const r1 = await service.rotateWriteKey(source.id, 10)
    const k2 = r1.writeKeys[0]?.key ?? ''
    clock.advance(20_000) // k1 expired
    const r2 = await service.rotateWriteKey(source.id, 0)
    const k3 = r2.writeKeys[0]?.key ?? ''
    expect(r2.writeKeys.map((wk) => wk.key)).toEqual([k3])
    expect(service.byWriteKey(k1)).toBeNull()
    expect(service.byWriteKey(k2)).toBeNull()
    expect(service.byWriteKey(k3)?.id).toBe(source.id)
  })

  it('setManaged replaces the managed set', async () => {
    const { service } = await setup()
    const next = toManagedSource(
      { id: 'other', name: 'Other', writeKeys: ['other_key_1', 'other_key_2'] },
      0,
    )
    service.setManaged([next])
    expect(service.get('managed')).toBeNull()
    expect(service.byWriteKey('managed_key_1')).toBeNull()
    expect(service.byWriteKey('other_key_2')?.id).toBe('other')
    expect(service.list().map((s) => s.id)).toEqual(['other'])
    expect(await codeOf(service.update('other', { name: 'x' }))).toBe('SOURCES_MANAGED')
  })

  it('refresh() picks up sources written by another process', async () => {
    const { service, store } = await setup()
    await store.put({
      ...managedSource,
      id: 'elsewhere',
      managed: false,
      writeKeys: [{ key: 'elsewhere_key', expiresAt: null }],
    })
    expect(service.byWriteKey('elsewhere_key')).toBeNull()
    await service.refresh()
    expect(service.byWriteKey('elsewhere_key')?.id).toBe('elsewhere')
  })
})
