import { describe, expect, it } from 'vitest'
import type { NewAuditEntry } from '../audit/index.js'
import {
  answerAuditAppend,
  createAuditRelay,
  isAuditAppendRequest,
  type AuditAppendAnswer,
  type AuditAppendRequest,
} from './audit-relay.js'

const entry = (action: string): NewAuditEntry => ({
  at: 1_700_000_000_000,
  actor: 'admin:abcd1234',
  action,
  target: { type: 'source', id: 's1' },
  outcome: 'ok',
  requestId: null,
  ip: null,
  details: {},
})

describe('audit relay', () => {
  it('resolves each append when the worker answers its id, whatever the answer order', async () => {
    const sent: AuditAppendRequest[] = []
    const relay = createAuditRelay((request) => sent.push(request))
    const settled: string[] = []
    const first = relay.append([entry('a')]).then(() => settled.push('first'))
    const second = relay.append([entry('b'), entry('c')]).then(() => settled.push('second'))
    expect(sent.map((r) => [r.id, r.entries.map((e) => e.action)])).toEqual([
      [1, ['a']],
      [2, ['b', 'c']],
    ])
    expect(relay.answer({ type: 'audited', id: 2 })).toBe(true)
    await second
    expect(settled).toEqual(['second'])
    expect(relay.answer({ type: 'audited', id: 1 })).toBe(true)
    await first
    expect(settled).toEqual(['second', 'first'])
  })

  it('rejects an append the worker failed, and leaves other messages alone', async () => {
    const sent: AuditAppendRequest[] = []
    const relay = createAuditRelay((request) => sent.push(request))
    const append = relay.append([entry('a')])
    expect(relay.answer({ type: 'applied', offset: 3 })).toBe(false)
    relay.answer({ type: 'audited', id: sent[0]?.id, error: 'database is locked' })
    await expect(append).rejects.toThrow(/store worker: database is locked/)
  })

  it('rejects every unanswered append when the worker ends, so the recorder keeps them', async () => {
    const relay = createAuditRelay(() => undefined)
    const a = relay.append([entry('a')])
    const b = relay.append([entry('b')])
    relay.failPending('the store worker ended')
    await expect(a).rejects.toThrow(/not answered: the store worker ended/)
    await expect(b).rejects.toThrow(/not answered/)
    // A late answer for a forgotten id is consumed and changes nothing.
    expect(relay.answer({ type: 'audited', id: 1 })).toBe(true)
  })

  it('sends nothing for an empty batch', async () => {
    const sent: AuditAppendRequest[] = []
    const relay = createAuditRelay((request) => sent.push(request))
    await relay.append([])
    expect(sent).toEqual([])
  })

  it('answers a request with the outcome of the append on the worker side', async () => {
    const answers: AuditAppendAnswer[] = []
    const request = { type: 'audit', id: 7, entries: [entry('a')] } as const
    expect(isAuditAppendRequest(request)).toBe(true)
    expect(isAuditAppendRequest({ type: 'audit', id: 'x' } as { type: string })).toBe(false)
    const stored: string[] = []
    answerAuditAppend(
      request,
      (entries) => {
        stored.push(...entries.map((e) => e.action))
        return Promise.resolve()
      },
      (answer) => answers.push(answer),
    )
    answerAuditAppend(
      { ...request, id: 8 },
      () => Promise.reject(new Error('disk I/O error')),
      (answer) => answers.push(answer),
    )
    await new Promise((r) => setImmediate(r))
    expect(stored).toEqual(['a'])
    expect(answers).toEqual([
      { type: 'audited', id: 7 },
      { type: 'audited', id: 8, error: 'disk I/O error' },
    ])
  })
})
