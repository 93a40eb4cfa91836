import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../platform/errors/index.js'
import { BUILDER_EPOCH, buildSource } from '../testing/builders.js'
import type { Source } from './source.js'
import type { SourceStore } from './source-store.js'

/** What the {@link SourceStore} suite needs from an adapter. A `Storage` satisfies it. */
export interface SourceStoreContractSubject {
  readonly sources: SourceStore
  close(): Promise<void>
}

async function expectWriteKeyTaken(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('SOURCES_WRITE_KEY_TAKEN')
}

/**
 * The guarantees documented on {@link SourceStore}, for every adapter. `open` is called before
 * each test and must return an empty store.
 */
export function describeSourceStoreContract(
  name: string,
  open: () => Promise<SourceStoreContractSubject>,
): void {
  describe(`SourceStore contract: ${name}`, () => {
    let subject: SourceStoreContractSubject
    let store: SourceStore

    beforeEach(async () => {
      subject = await open()
      store = subject.sources
    })

    afterEach(async () => {
      await subject.close()
    })

    it('starts empty', async () => {
      expect(await store.list()).toEqual([])
      expect(await store.get('src_missing')).toBeNull()
    })

    it('round-trips every field', async () => {
      const source = buildSource({
        name: 'Web — “production”',
        allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
        rateLimit: { perSecond: 250, burst: 1_000 },
        createdAt: BUILDER_EPOCH + 1,
        updatedAt: BUILDER_EPOCH + 2,
      })
      await store.put(source)
      expect(await store.get(source.id)).toEqual(source)
      const bare = buildSource({ allowedOrigins: null, rateLimit: null, writeKeys: [] })
      await store.put(bare)
      expect(await store.get(bare.id)).toEqual(bare)
    })

    it('round-trips rotated write keys with their expiry', async () => {
      const source = buildSource({
        writeKeys: [
          { key: 'wk_current', expiresAt: null },
          { key: 'wk_rotated_out', expiresAt: BUILDER_EPOCH + 86_400_000 },
          { key: 'wk_older', expiresAt: BUILDER_EPOCH + 3_600_000 },
        ],
      })
      await store.put(source)
      expect((await store.get(source.id))?.writeKeys).toEqual(source.writeKeys)
    })

    it('lists sources ordered by creation time', async () => {
      const second = buildSource({ createdAt: BUILDER_EPOCH + 2_000 })
      const first = buildSource({ createdAt: BUILDER_EPOCH + 1_000 })
      const third = buildSource({ createdAt: BUILDER_EPOCH + 3_000 })
      await store.put(second)
      await store.put(third)
      await store.put(first)
      expect(await store.list()).toEqual([first, second, third])
    })

    it('upserts: putting the same id replaces the source', async () => {
      const source = buildSource({ allowedOrigins: ['https://a.example'] })
      await store.put(source)
      const updated: Source = {
        ...source,
        name: 'Renamed',
        writeKeys: [{ key: 'wk_new', expiresAt: null }],
        allowedOrigins: null,
        rateLimit: { perSecond: 5, burst: 10 },
        updatedAt: source.updatedAt + 1_000,
      }
      await store.put(updated)
      await store.put(updated)
      expect(await store.get(source.id)).toEqual(updated)
      expect(await store.list()).toEqual([updated])
    })

    it('frees the write keys a source no longer has', async () => {
      const a = buildSource({ writeKeys: [{ key: 'wk_shared', expiresAt: null }] })
      await store.put(a)
      await store.put({ ...a, writeKeys: [{ key: 'wk_a2', expiresAt: null }] })
      const b = buildSource({ writeKeys: [{ key: 'wk_shared', expiresAt: null }] })
      await store.put(b)
      expect(await store.get(b.id)).toEqual(b)
    })

    it('refuses a write key used by another source and stores nothing', async () => {
      const a = buildSource({ writeKeys: [{ key: 'wk_taken', expiresAt: null }] })
      await store.put(a)
      const b = buildSource({
        writeKeys: [
          { key: 'wk_free', expiresAt: null },
          { key: 'wk_taken', expiresAt: BUILDER_EPOCH },
        ],
      })
      await expectWriteKeyTaken(store.put(b))
      expect(await store.get(b.id)).toBeNull()
      expect(await store.list()).toEqual([a])
      // Nothing of the failed put holds on to its other keys.
      const c = buildSource({ writeKeys: [{ key: 'wk_free', expiresAt: null }] })
      await store.put(c)
      expect(await store.get(c.id)).toEqual(c)
    })

    it('leaves an existing source unchanged when its update clashes', async () => {
      const a = buildSource({ writeKeys: [{ key: 'wk_a', expiresAt: null }] })
      const b = buildSource({ writeKeys: [{ key: 'wk_b', expiresAt: null }] })
      await store.put(a)
      await store.put(b)
      await expectWriteKeyTaken(
        store.put({ ...b, name: 'Changed', writeKeys: [{ key: 'wk_a', expiresAt: null }] }),
      )
      expect(await store.get(b.id)).toEqual(b)
      expect(await store.get(a.id)).toEqual(a)
      // b still owns its key: another source cannot take it.
      await expectWriteKeyTaken(
        store.put(buildSource({ writeKeys: [{ key: 'wk_b', expiresAt: null }] })),
      )
    })

    it('deletes: true when the source existed, false after', async () => {
      const a = buildSource()
      const b = buildSource({ createdAt: BUILDER_EPOCH + 1 })
      await store.put(a)
      await store.put(b)
      expect(await store.delete(a.id)).toBe(true)
      expect(await store.get(a.id)).toBeNull()
      expect(await store.list()).toEqual([b])
      expect(await store.delete(a.id)).toBe(false)
      expect(await store.delete('src_never')).toBe(false)
    })

    it('frees the write keys of a deleted source', async () => {
      const a = buildSource({ writeKeys: [{ key: 'wk_reused', expiresAt: null }] })
      await store.put(a)
      await store.delete(a.id)
      const b = buildSource({ writeKeys: [{ key: 'wk_reused', expiresAt: null }] })
      await store.put(b)
      expect(await store.get(b.id)).toEqual(b)
    })
  })
}
