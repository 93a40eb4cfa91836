import type { Clock } from '../platform/clock.js'
import { newId, newWriteKey } from '../platform/ids.js'
import { SourcesErrors } from './errors.js'
import type { Source, SourceInput } from './source.js'
import type { SourceStore } from './source-store.js'

/**
 * Sources from the config file (managed, read-only) and from the store, with an in-memory
 * write-key index for the ingest hot path. Changes made here are visible at once in this
 * process; other processes see them after their next `refresh()`.
 */
export interface SourceService {
  /** The source a write key belongs to, or null (unknown or expired key). Synchronous. */
  byWriteKey(key: string): Source | null
  list(): Source[]
  get(id: string): Source | null
  create(input: SourceInput & { id?: string; writeKey?: string }): Promise<Source>
  update(id: string, input: Partial<SourceInput>): Promise<Source>
  delete(id: string): Promise<void>
  /**
   * Issues a new write key. The previous current key keeps working for `graceSeconds`
   * (0 revokes it at once). Managed sources cannot be rotated through the API.
   */
  rotateWriteKey(id: string, graceSeconds: number): Promise<Source>
  /** Replaces the managed set (on config reload). */
  setManaged(sources: Source[]): void
  /** Reloads stored sources from the store. */
  refresh(): Promise<void>
}

export async function createSourceService(deps: {
  store: SourceStore
  managed: Source[]
  clock: Clock
}): Promise<SourceService> {
  const { store, clock } = deps
  let managed = deps.managed
  let stored: Source[] = await store.list()
  let byId = new Map<string, Source>()
  let byKey = new Map<string, { source: Source; expiresAt: number | null }>()

  function reindex(): void {
    byId = new Map()
    byKey = new Map()
    for (const source of [...managed, ...stored]) {
      byId.set(source.id, source)
      for (const wk of source.writeKeys) byKey.set(wk.key, { source, expiresAt: wk.expiresAt })
    }
  }
  reindex()

  function requireStored(id: string): Source {
    const source = byId.get(id)
    if (!source) throw SourcesErrors.notFound(undefined, { details: { id } })
    if (source.managed) throw SourcesErrors.managed(undefined, { details: { id } })
    return source
  }

  async function save(source: Source): Promise<Source> {
    await store.put(source)
    stored = [...stored.filter((s) => s.id !== source.id), source]
    reindex()
    return source
  }

  return {
    byWriteKey(key) {
      const hit = byKey.get(key)
      if (!hit) return null
      if (hit.expiresAt !== null && hit.expiresAt <= clock.now()) return null
      return hit.source
    },
    list: () => [...byId.values()],
    get: (id) => byId.get(id) ?? null,
    async create(input) {
      const id = input.id ?? newId('src')
      if (byId.has(id)) throw SourcesErrors.idTaken(undefined, { details: { id } })
      const key = input.writeKey ?? newWriteKey()
      if (byKey.has(key)) throw SourcesErrors.writeKeyTaken()
      const now = clock.now()
      return save({
        id,
        name: input.name,
        writeKeys: [{ key, expiresAt: null }],
        allowedOrigins: input.allowedOrigins ?? null,
        rateLimit: input.rateLimit ?? null,
        managed: false,
        createdAt: now,
        updatedAt: now,
      })
    },
    async update(id, input) {
      const source = requireStored(id)
      return save({
        ...source,
        name: input.name ?? source.name,
        allowedOrigins:
          input.allowedOrigins === undefined ? source.allowedOrigins : input.allowedOrigins,
        rateLimit: input.rateLimit === undefined ? source.rateLimit : input.rateLimit,
        updatedAt: clock.now(),
      })
    },
    async delete(id) {
      requireStored(id)
      await store.delete(id)
      stored = stored.filter((s) => s.id !== id)
      reindex()
    },
    async rotateWriteKey(id, graceSeconds) {
      const source = requireStored(id)
      const now = clock.now()
      const expiresAt = now + graceSeconds * 1000
      const kept = source.writeKeys
        .filter((wk) => wk.expiresAt === null || wk.expiresAt > now)
        .map((wk) => (wk.expiresAt === null ? { key: wk.key, expiresAt } : wk))
        .filter((wk) => wk.expiresAt === null || wk.expiresAt > now)
      return save({
        ...source,
        writeKeys: [{ key: newWriteKey(), expiresAt: null }, ...kept],
        updatedAt: now,
      })
    },
    setManaged(sources) {
      managed = sources
      reindex()
    },
    async refresh() {
      stored = await store.list()
      reindex()
    },
  }
}
