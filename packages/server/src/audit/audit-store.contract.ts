import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditStore } from './audit-store.js'
import type { NewAuditEntry } from './model.js'
import { verifyAuditChain } from './verify-chain.js'

/** What the {@link AuditStore} suite needs from an adapter. */
export interface AuditStoreContractSubject {
  readonly audit: AuditStore
  /** Runs one SQL statement on the database as the application would; rejects when refused. */
  execute(statement: string): Promise<void>
  /** Runs one SQL statement with the append-only triggers disabled (tampering, tests only). */
  tamper(statement: string): Promise<void>
  close(): Promise<void>
}

const T0 = Date.parse('2026-03-01T00:00:00.000Z')

function entry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: T0,
    actor: 'admin:1a2b3c4d',
    action: 'destinations.update',
    target: { type: 'destination', id: 'dest-1' },
    outcome: 'ok',
    requestId: 'req-1',
    ip: '127.0.0.1',
    details: { method: 'PUT', keys: ['name'] },
    ...overrides,
  }
}

/**
 * The guarantees documented on {@link AuditStore}, for every adapter: order and ids, filters,
 * paging, append-only enforced by the database, and a hash chain that exposes tampering.
 * `open` is called before each test and must return an empty store.
 */
export function describeAuditStoreContract(
  name: string,
  open: () => Promise<AuditStoreContractSubject>,
): void {
  describe(`AuditStore contract: ${name}`, () => {
    let subject: AuditStoreContractSubject
    let store: AuditStore

    beforeEach(async () => {
      subject = await open()
      store = subject.audit
    })

    afterEach(async () => {
      await subject.close()
    })

    it('starts empty, and an empty chain is intact', async () => {
      expect(await store.query({}, { limit: 10 })).toEqual([])
      expect(await verifyAuditChain(store)).toEqual({
        intact: true,
        checked: 0,
        firstBrokenId: null,
        reason: null,
      })
    })

    it('round-trips every field and numbers entries 1, 2, 3 in append order', async () => {
      await store.append([
        entry(),
        entry({ action: 'sources.create', target: { type: 'source', id: null } }),
      ])
      await store.append([
        entry({
          actor: 'system',
          requestId: null,
          ip: null,
          outcome: 'failed',
          details: { nested: { b: 2, a: [1, 'é'] } },
        }),
      ])
      const rows = await store.query({}, { limit: 10 })
      expect(rows.map((r) => r.id)).toEqual([3, 2, 1])
      expect(rows[2]).toEqual({ id: 1, ...entry() })
      expect(rows[1]?.target).toEqual({ type: 'source', id: null })
      expect(rows[0]).toEqual({
        id: 3,
        ...entry({
          actor: 'system',
          requestId: null,
          ip: null,
          outcome: 'failed',
          details: { nested: { b: 2, a: [1, 'é'] } },
        }),
      })
    })

    it('filters by time range, actor (exact or prefix), action prefix, target and outcome', async () => {
      await store.append([
        entry({ at: T0, actor: 'admin:aaaa0000/alice', action: 'destinations.create' }),
        entry({ at: T0 + 1000, actor: 'admin:aaaa0000', action: 'destinations.update' }),
        entry({
          at: T0 + 2000,
          actor: 'system',
          action: 'retention.run',
          target: { type: 'retention', id: null },
        }),
        entry({ at: T0 + 3000, actor: 'anonymous', action: 'auth.denied', outcome: 'denied' }),
        entry({ at: T0 + 4000, actor: 'admin:bbbb1111', action: 'destinationsx.update' }),
      ])
      const ids = async (filter: Parameters<AuditStore['query']>[0]): Promise<number[]> =>
        (await store.query(filter, { limit: 100 })).map((r) => r.id)
      expect(await ids({ from: T0 + 1000, to: T0 + 3000 })).toEqual([3, 2])
      expect(await ids({ actor: 'admin:aaaa0000' })).toEqual([2])
      expect(await ids({ actor: 'admin:aaaa0000*' })).toEqual([2, 1])
      expect(await ids({ actor: 'ADMIN:aaaa0000*' })).toEqual([])
      expect(await ids({ action: 'destinations' })).toEqual([2, 1])
      expect(await ids({ action: 'destinations.update' })).toEqual([2])
      expect(await ids({ action: 'retention.run' })).toEqual([3])
      expect(await ids({ targetType: 'retention' })).toEqual([3])
      expect(await ids({ targetType: 'destination', targetId: 'dest-1' })).toEqual([5, 4, 2, 1])
      expect(await ids({ outcome: 'denied' })).toEqual([4])
    })

    it('pages newest first with beforeId', async () => {
      await store.append(Array.from({ length: 7 }, (_, i) => entry({ at: T0 + i })))
      const first = await store.query({}, { limit: 3 })
      expect(first.map((r) => r.id)).toEqual([7, 6, 5])
      const second = await store.query({}, { limit: 3, beforeId: 5 })
      expect(second.map((r) => r.id)).toEqual([4, 3, 2])
      const third = await store.query({}, { limit: 3, beforeId: 2 })
      expect(third.map((r) => r.id)).toEqual([1])
    })

    it('refuses UPDATE and DELETE in the database itself', async () => {
      await store.append([entry(), entry()])
      await expect(
        subject.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 1"),
      ).rejects.toThrow(/append-only/)
      await expect(subject.execute('DELETE FROM audit_log WHERE id = 2')).rejects.toThrow(
        /append-only/,
      )
      const rows = await store.query({}, { limit: 10 })
      expect(rows.map((r) => [r.id, r.actor])).toEqual([
        [2, 'admin:1a2b3c4d'],
        [1, 'admin:1a2b3c4d'],
      ])
      expect((await verifyAuditChain(store)).intact).toBe(true)
    })

    it('chains every entry to the one before, across appends', async () => {
      await store.append([entry(), entry({ actor: 'b' })])
      await store.append([entry({ actor: 'c' })])
      const chain = await store.scan(0, 10)
      expect(chain.map((r) => r.id)).toEqual([1, 2, 3])
      expect(chain[0]?.prevHash).toBe('0'.repeat(64))
      expect(chain[1]?.prevHash).toBe(chain[0]?.hash)
      expect(chain[2]?.prevHash).toBe(chain[1]?.hash)
      expect(new Set(chain.map((r) => r.hash)).size).toBe(3)
      expect(await verifyAuditChain(store)).toEqual({
        intact: true,
        checked: 3,
        firstBrokenId: null,
        reason: null,
      })
    })

    it('exposes an entry changed behind its back', async () => {
      await store.append([entry(), entry(), entry()])
      await subject.tamper("UPDATE audit_log SET outcome = 'denied' WHERE id = 2")
      expect(await verifyAuditChain(store)).toEqual({
        intact: false,
        checked: 1,
        firstBrokenId: 2,
        reason: 'hash',
      })
    })

    it('exposes an entry removed, and a rewritten hash', async () => {
      await store.append([entry(), entry(), entry(), entry()])
      await subject.tamper('DELETE FROM audit_log WHERE id = 3')
      expect(await verifyAuditChain(store)).toMatchObject({
        intact: false,
        firstBrokenId: 4,
        reason: 'gap',
      })
      await subject.tamper(`UPDATE audit_log SET hash = '${'f'.repeat(64)}' WHERE id = 1`)
      expect(await verifyAuditChain(store)).toMatchObject({
        intact: false,
        firstBrokenId: 1,
        reason: 'hash',
      })
    })

    it('keeps one unbroken chain under concurrent appends', async () => {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.append([entry({ actor: `a${i}` }), entry()])),
      )
      expect(await verifyAuditChain(store)).toEqual({
        intact: true,
        checked: 20,
        firstBrokenId: null,
        reason: null,
      })
    })
  })
}
