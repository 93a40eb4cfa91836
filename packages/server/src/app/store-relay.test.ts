import { describe, expect, it } from 'vitest'
import type { ErasureTarget } from '../regulations/index.js'
import {
  answerRelayRequest,
  createStoreRelay,
  erasureByName,
  isRelayRequest,
  relayed,
  relayedErasure,
  type RelayAnswer,
  type RelayRequest,
  type RelaySwitch,
} from './store-relay.js'

/** A store with one relayed method (`deleteEvents`), one that is not, and private state. */
class FakeRetentionStore {
  readonly #deleted: string[] = []
  deleteEvents(rule: { label: string }, limit: number): Promise<number> {
    this.#deleted.push(rule.label)
    return Promise.resolve(limit)
  }
  oldestEventAt(): Promise<number | null> {
    return Promise.resolve(this.#deleted.length)
  }
  deleted(): string[] {
    return [...this.#deleted]
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

const NO_STORES = {
  audit: {},
  retention: {},
  regulations: {},
  outbox: {},
  qualityAlerts: {},
  erasure: {},
}

describe('store relay', () => {
  it('resolves each call with its value when the worker answers its id, in any order', async () => {
    const sent: RelayRequest[] = []
    const relay = createStoreRelay((request) => sent.push(request))
    const settled: unknown[] = []
    const first = relay.call('audit', 'append', [['a']]).then((v) => settled.push(['first', v]))
    const second = relay
      .call('retention', 'deleteEvents', [{ label: 'p' }, 10])
      .then((v) => settled.push(['second', v]))
    expect(sent).toEqual([
      { type: 'relay', id: 1, target: 'audit', method: 'append', args: [['a']] },
      {
        type: 'relay',
        id: 2,
        target: 'retention',
        method: 'deleteEvents',
        args: [{ label: 'p' }, 10],
      },
    ])
    expect(relay.answer({ type: 'relayed', id: 2, value: 7 })).toBe(true)
    await second
    expect(settled).toEqual([['second', 7]])
    expect(relay.answer({ type: 'relayed', id: 1 })).toBe(true)
    await first
    expect(settled).toEqual([
      ['second', 7],
      ['first', undefined],
    ])
  })

  it('rejects a call the worker failed, naming it, and leaves other messages alone', async () => {
    const sent: RelayRequest[] = []
    const relay = createStoreRelay((request) => sent.push(request))
    const call = relay.call('outbox', 'remove', [41])
    expect(relay.answer({ type: 'applied', offset: 3 })).toBe(false)
    relay.answer({ type: 'relayed', id: sent[0]?.id, error: 'database is locked' })
    await expect(call).rejects.toThrow(
      /outbox\.remove failed in the store worker: database is locked/,
    )
  })

  it('rejects every unanswered call when the worker ends, so callers keep their work', async () => {
    const relay = createStoreRelay(() => undefined)
    const a = relay.call('audit', 'append', [[]])
    const b = relay.call('regulations', 'addSuppressedCounts', [[]])
    relay.failPending('the store worker ended')
    await expect(a).rejects.toThrow(/audit\.append not answered: the store worker ended/)
    await expect(b).rejects.toThrow(/regulations\.addSuppressedCounts not answered/)
    // A late answer for a forgotten id is consumed and changes nothing.
    expect(relay.answer({ type: 'relayed', id: 1 })).toBe(true)
  })

  it('runs a request on the named store in the worker and answers its value or error', async () => {
    const store = new FakeRetentionStore()
    const stores = {
      ...NO_STORES,
      audit: { append: () => Promise.reject(new Error('disk I/O error')) },
      retention: store,
    }
    const answers: RelayAnswer[] = []
    const reply = (answer: RelayAnswer): number => answers.push(answer)
    const request: RelayRequest = {
      type: 'relay',
      id: 7,
      target: 'retention',
      method: 'deleteEvents',
      args: [{ label: 'default' }, 500],
    }
    expect(isRelayRequest(request)).toBe(true)
    expect(isRelayRequest({ type: 'relay', id: 'x' } as { type: string })).toBe(false)
    answerRelayRequest(request, stores, reply)
    answerRelayRequest(
      { ...request, id: 8, target: 'audit', method: 'append', args: [] },
      stores,
      reply,
    )
    await tick()
    expect(store.deleted()).toEqual(['default'])
    expect(answers).toEqual([
      { type: 'relayed', id: 7, value: 500 },
      { type: 'relayed', id: 8, error: 'disk I/O error' },
    ])
  })

  it('refuses, without running it, a method that is not relayed', async () => {
    const store = new FakeRetentionStore()
    const answers: RelayAnswer[] = []
    const stores = { ...NO_STORES, retention: store }
    answerRelayRequest(
      { type: 'relay', id: 1, target: 'retention', method: 'savePolicies', args: [] },
      stores,
      (answer) => answers.push(answer),
    )
    answerRelayRequest(
      { type: 'relay', id: 2, target: 'nope' as 'audit', method: 'append', args: [] },
      stores,
      (answer) => answers.push(answer),
    )
    await tick()
    expect(answers).toEqual([
      { type: 'relayed', id: 1, error: 'retention.savePolicies is not relayed' },
      { type: 'relayed', id: 2, error: 'nope.append is not relayed' },
    ])
  })

  it('wraps a store: listed methods follow the switch at each call, the rest stay local', async () => {
    const store = new FakeRetentionStore()
    const via: RelaySwitch = { current: null }
    const wrapped = relayed(store, 'retention', via)
    // No relay: runs locally (private fields work, `this` is the store).
    await expect(wrapped.deleteEvents({ label: 'local' }, 3)).resolves.toBe(3)
    expect(store.deleted()).toEqual(['local'])
    const sent: RelayRequest[] = []
    via.current = createStoreRelay((request) => sent.push(request))
    const remote = wrapped.deleteEvents({ label: 'remote' }, 5)
    // Not in the list: still local, even with a relay set.
    await expect(wrapped.oldestEventAt()).resolves.toBe(1)
    expect(sent.map((r) => [r.target, r.method, r.args])).toEqual([
      ['retention', 'deleteEvents', [{ label: 'remote' }, 5]],
    ])
    via.current.answer({ type: 'relayed', id: 1, value: 4 })
    await expect(remote).resolves.toBe(4)
    expect(store.deleted()).toEqual(['local'])
  })

  it('erases through the worker by target name, keeping the order and names', async () => {
    const erased: string[] = []
    const target = (name: string): ErasureTarget => ({
      name,
      erase: (subject) => {
        erased.push(`${name}:${subject.profileIds.join(',')}`)
        return Promise.resolve({ [name]: subject.profileIds.length })
      },
    })
    const local = [target('delivery'), target('events')]
    const via: RelaySwitch = { current: null }
    const targets = relayedErasure(local, via)
    expect(targets.map((t) => t.name)).toEqual(['delivery', 'events'])
    const subject = { profileIds: ['usr_1'], identifiers: [] }
    const none = { seqs: [], messageIds: [] }
    await expect(targets[0]?.erase(subject, none)).resolves.toEqual({ delivery: 1 })
    expect(erased).toEqual(['delivery:usr_1'])

    // Through the relay: the request names the target; the worker side finds it by name.
    const worker = erasureByName([target('events')])
    via.current = createStoreRelay((request) =>
      answerRelayRequest(request, { ...NO_STORES, erasure: worker }, (answer) =>
        via.current?.answer({ ...answer }),
      ),
    )
    await expect(targets[1]?.erase({ ...subject, profileIds: ['usr_2'] }, none)).resolves.toEqual({
      events: 1,
    })
    await expect(targets[0]?.erase(subject, none)).rejects.toThrow(/no erasure target delivery/)
    expect(erased).toEqual(['delivery:usr_1', 'events:usr_2'])
  })
})
