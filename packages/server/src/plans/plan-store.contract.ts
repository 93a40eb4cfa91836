import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ENFORCEMENT } from './config.js'
import type { PlanRule } from './model.js'
import type { PlanStore } from './plan-store.js'

/** What the suite needs: a fresh, empty store and a way to close it. */
export interface PlanStoreContractSubject {
  readonly store: PlanStore
  close(): Promise<void>
}

const T0 = Date.UTC(2026, 0, 1)
const alice = { author: 'admin:aaaa/alice', at: T0 }
const bob = { author: 'admin:bbbb/bob', at: T0 + 1000 }

function track(key: string, extra: Record<string, unknown> = {}, version?: number): PlanRule {
  return {
    type: 'TRACK',
    key,
    ...(version === undefined ? {} : { version }),
    jsonSchema: { type: 'object', properties: { properties: { type: 'object', ...extra } } },
  }
}

/** The plan store contract: every adapter of {@link PlanStore} passes it. */
export function describePlanStoreContract(
  name: string,
  open: () => Promise<PlanStoreContractSubject>,
): void {
  describe(`PlanStore contract (${name})`, () => {
    let subject: PlanStoreContractSubject
    let store: PlanStore

    beforeEach(async () => {
      subject = await open()
      store = subject.store
    })
    afterEach(async () => {
      await subject.close()
    })

    it('creates a plan at revision 1 and reads it back; a taken id gives null', async () => {
      const created = await store.create(
        { id: 'tp_one', name: 'One', description: 'first', rules: [track('A')] },
        alice,
      )
      expect(created).toMatchObject({ id: 'tp_one', revision: 1, managed: false })
      const read = await store.get('tp_one')
      expect(read).toEqual(created)
      expect(read?.createdAt).toBe(new Date(T0).toISOString())
      expect(await store.create({ id: 'tp_one', name: 'Again', rules: [] }, bob)).toBeNull()
      expect((await store.get('tp_one'))?.name).toBe('One')
      expect(await store.get('tp_missing')).toBeNull()
    })

    it('lists plans by id', async () => {
      await store.create({ id: 'tp_b', name: 'B', rules: [] }, alice)
      await store.create({ id: 'tp_a', name: 'A', rules: [] }, alice)
      expect((await store.list()).map((p) => p.id)).toEqual(['tp_a', 'tp_b'])
    })

    it('keeps every revision with author, time, rules and diff by type:key:version', async () => {
      await store.create({ id: 'tp_r', name: 'R', rules: [track('A'), track('B')] }, alice)
      const updated = await store.update(
        'tp_r',
        (current) => ({
          name: 'R2',
          rules: [
            ...current.rules.filter((r) => r.key !== 'B'),
            track('A', { required: ['x'] }, 2),
            track('C'),
          ].map((r) =>
            r.key === 'A' && r.version === undefined ? track('A', { required: ['y'] }) : r,
          ),
        }),
        bob,
      )
      expect(updated).toMatchObject({ name: 'R2', revision: 2, description: undefined })
      expect(updated?.updatedAt).toBe(new Date(bob.at).toISOString())
      const revisions = await store.revisions('tp_r')
      expect(revisions.map((r) => r.revision)).toEqual([2, 1])
      expect(revisions[1]).toMatchObject({
        author: alice.author,
        diff: { added: ['TRACK:A:1', 'TRACK:B:1'], removed: [], changed: [] },
      })
      expect(revisions[0]).toMatchObject({
        planId: 'tp_r',
        author: bob.author,
        at: new Date(bob.at).toISOString(),
        diff: { added: ['TRACK:A:2', 'TRACK:C:1'], removed: ['TRACK:B:1'], changed: ['TRACK:A:1'] },
      })
      expect((await store.revision('tp_r', 1))?.rules).toEqual([track('A'), track('B')])
      expect(await store.revision('tp_r', 3)).toBeNull()
      expect((await store.get('tp_r'))?.rules).toHaveLength(3)
    })

    it('updates the description, keeps it when absent and clears it with null', async () => {
      await store.create({ id: 'tp_d', name: 'D', description: 'old', rules: [] }, alice)
      expect((await store.update('tp_d', () => ({ name: 'D2' }), bob))?.description).toBe('old')
      expect(
        (await store.update('tp_d', () => ({ description: null }), bob))?.description,
      ).toBeUndefined()
      expect((await store.get('tp_d'))?.description).toBeUndefined()
      expect(await store.update('tp_none', () => ({ name: 'x' }), bob)).toBeNull()
    })

    it('writes nothing when the change throws', async () => {
      await store.create({ id: 'tp_t', name: 'T', rules: [track('A')] }, alice)
      const stamp = await store.stamp()
      await expect(
        store.update(
          'tp_t',
          () => {
            throw new Error('invalid')
          },
          bob,
        ),
      ).rejects.toThrow('invalid')
      expect(await store.get('tp_t')).toMatchObject({ revision: 1, name: 'T' })
      expect(await store.revisions('tp_t')).toHaveLength(1)
      expect(await store.stamp()).toBe(stamp)
    })

    it('gives concurrent updates of one plan distinct revisions and loses none', async () => {
      await store.create({ id: 'tp_c', name: 'C', rules: [] }, alice)
      await Promise.all(
        ['E1', 'E2', 'E3', 'E4', 'E5'].map((key) =>
          store.update('tp_c', (current) => ({ rules: [...current.rules, track(key)] }), bob),
        ),
      )
      const plan = await store.get('tp_c')
      expect(plan?.revision).toBe(6)
      expect(plan?.rules.map((r) => r.key).sort()).toEqual(['E1', 'E2', 'E3', 'E4', 'E5'])
      expect((await store.revisions('tp_c')).map((r) => r.revision)).toEqual([6, 5, 4, 3, 2, 1])
    })

    it('connects a source to at most one plan, updates its enforcement and disconnects it', async () => {
      await store.create({ id: 'tp_1', name: '1', rules: [] }, alice)
      await store.create({ id: 'tp_2', name: '2', rules: [] }, alice)
      const strict = { ...DEFAULT_ENFORCEMENT, unplannedEvents: 'block' as const }
      expect(await store.connect('web', 'tp_1', strict, T0)).toBe('connected')
      expect(await store.connect('web', 'tp_2', DEFAULT_ENFORCEMENT, T0)).toBe('source-connected')
      expect(await store.connect('ios', 'tp_missing', DEFAULT_ENFORCEMENT, T0)).toBe(
        'plan-not-found',
      )
      expect(await store.connect('ios', 'tp_2', DEFAULT_ENFORCEMENT, T0)).toBe('connected')
      expect(await store.connectionOf('web')).toEqual({
        sourceId: 'web',
        planId: 'tp_1',
        enforcement: strict,
      })
      expect((await store.connections('tp_2')).map((c) => c.sourceId)).toEqual(['ios'])
      expect((await store.connections()).map((c) => c.sourceId)).toEqual(['ios', 'web'])
      const omit = { ...strict, trackViolations: 'omit' as const, forwardViolationsTo: 'audit' }
      expect(await store.setEnforcement('web', omit, T0)).toBe(true)
      expect((await store.connectionOf('web'))?.enforcement).toEqual(omit)
      expect(await store.setEnforcement('android', omit, T0)).toBe(false)
      expect(await store.disconnect('web', T0)).toBe(true)
      expect(await store.disconnect('web', T0)).toBe(false)
      expect(await store.connectionOf('web')).toBeNull()
    })

    it('deletes a plan with its revisions and connections', async () => {
      await store.create({ id: 'tp_x', name: 'X', rules: [track('A')] }, alice)
      await store.connect('web', 'tp_x', DEFAULT_ENFORCEMENT, T0)
      expect(await store.delete('tp_x')).toBe(true)
      expect(await store.get('tp_x')).toBeNull()
      expect(await store.revisions('tp_x')).toEqual([])
      expect(await store.connectionOf('web')).toBeNull()
      expect(await store.delete('tp_x')).toBe(false)
    })

    it('bumps the stamp on every change and serves active plans with current rules', async () => {
      const s0 = await store.stamp()
      expect(await store.active()).toEqual([])
      await store.create({ id: 'tp_a', name: 'A', rules: [track('A')] }, alice)
      const s1 = await store.stamp()
      expect(s1).toBeGreaterThan(s0)
      await store.connect('web', 'tp_a', DEFAULT_ENFORCEMENT, T0)
      const s2 = await store.stamp()
      expect(s2).toBeGreaterThan(s1)
      await store.update('tp_a', () => ({ rules: [track('B')] }), bob)
      const s3 = await store.stamp()
      expect(s3).toBeGreaterThan(s2)
      const active = await store.active()
      expect(active).toHaveLength(1)
      expect(active[0]).toMatchObject({ sourceId: 'web', enforcement: DEFAULT_ENFORCEMENT })
      expect(active[0]?.plan.rules.map((r) => r.key)).toEqual(['B'])
      await store.setEnforcement('web', { ...DEFAULT_ENFORCEMENT, trackViolations: 'block' }, T0)
      const s4 = await store.stamp()
      expect(s4).toBeGreaterThan(s3)
      await store.disconnect('web', T0)
      expect(await store.stamp()).toBeGreaterThan(s4)
      expect(await store.active()).toEqual([])
    })
  })
}
