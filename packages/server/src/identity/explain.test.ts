import { describe, expect, it } from 'vitest'
import { ident } from '../testing/memory-identity-store.js'
import { buildProfileGraph, shortestPath } from './explain.js'
import type { IdentityEdge } from './model.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
let seq = 0

function edge(
  kind: IdentityEdge['kind'],
  from: string | null,
  to: string,
  rule = 'new-identifier',
): IdentityEdge & { id: number } {
  seq++
  return {
    id: seq,
    collection: 'users',
    componentId: 'cmp_1',
    profileId: 'usr_1',
    kind,
    from: from === null ? null : ident(from),
    to: ident(to),
    rule,
    mergedProfileId: kind === 'merge' ? 'usr_2' : null,
    seq,
    messageId: `m${seq}`,
    sourceId: 'src_test',
    timestamp: T0 + seq,
  }
}

// usr_1: a → b → c, a → d; usr_2 (e → f) merged in through c ↔ e; g dropped.
const EDGES = [
  edge('create', null, 'user_id:a'),
  edge('attach', 'user_id:a', 'email:b'),
  edge('create', null, 'anonymous_id:e'),
  edge('attach', 'anonymous_id:e', 'anonymous_id:f'),
  edge('attach', 'email:b', 'anonymous_id:c', 'shared-identifier:email'),
  edge('attach', 'user_id:a', 'anonymous_id:d', 'shared-identifier:user_id'),
  edge('merge', 'anonymous_id:c', 'anonymous_id:e', 'shared-identifier:anonymous_id'),
  edge('drop', null, 'user_id:g', 'limit:user_id'),
]

const hops = (path: IdentityEdge[] | null) =>
  path?.map((e) => `${e.from?.value ?? '-'}>${e.to.value}`) ?? null

describe('shortestPath', () => {
  it('walks attach and merge edges in either direction, shortest first', () => {
    expect(hops(shortestPath(EDGES, ident('user_id:a'), ident('anonymous_id:f')))).toEqual([
      'a>b',
      'b>c',
      'c>e',
      'e>f',
    ])
    expect(hops(shortestPath(EDGES, ident('anonymous_id:f'), ident('anonymous_id:d')))).toEqual([
      'e>f',
      'c>e',
      'b>c',
      'a>b',
      'a>d',
    ])
  })

  it('prefers the shorter of two routes', () => {
    const shortcut = [
      ...EDGES,
      edge('attach', 'anonymous_id:d', 'anonymous_id:f', 'shared-identifier:anonymous_id'),
    ]
    expect(hops(shortestPath(shortcut, ident('user_id:a'), ident('anonymous_id:f')))).toEqual([
      'a>d',
      'd>f',
    ])
  })

  it('returns [] from an identifier to itself and null when nothing links them', () => {
    expect(shortestPath(EDGES, ident('user_id:a'), ident('user_id:a'))).toEqual([])
    expect(shortestPath(EDGES, ident('user_id:a'), ident('user_id:g'))).toBeNull()
    expect(shortestPath(EDGES, ident('user_id:a'), ident('email:unknown'))).toBeNull()
  })
})

describe('buildProfileGraph', () => {
  it('lists identifiers with how they joined, and links labelled with their event', () => {
    const graph = buildProfileGraph(EDGES)
    expect(graph.nodes.map((n) => [n.key, n.status, n.joined?.kind ?? null])).toEqual([
      ['user_id:a', 'attached', 'create'],
      ['email:b', 'attached', 'attach'],
      ['anonymous_id:e', 'attached', 'create'],
      ['anonymous_id:f', 'attached', 'attach'],
      ['anonymous_id:c', 'attached', 'attach'],
      ['anonymous_id:d', 'attached', 'attach'],
      ['user_id:g', 'dropped', null],
    ])
    expect(graph.nodes.at(-1)?.drops).toEqual([
      {
        rule: 'limit:user_id',
        event: { seq: 8, messageId: 'm8', sourceId: 'src_test', timestamp: T0 + 8 },
      },
    ])
    expect(graph.links).toHaveLength(5)
    expect(graph.links.at(-1)).toEqual({
      id: 7,
      from: 'anonymous_id:c',
      to: 'anonymous_id:e',
      kind: 'merge',
      rule: 'shared-identifier:anonymous_id',
      mergedProfileId: 'usr_2',
      event: { seq: 7, messageId: 'm7', sourceId: 'src_test', timestamp: T0 + 7 },
    })
  })

  it('gives an empty graph for no edges, and null ids for edges without one', () => {
    expect(buildProfileGraph([])).toEqual({ nodes: [], links: [] })
    const { id: _id, ...bare } = EDGES[1] as IdentityEdge & { id: number }
    expect(buildProfileGraph([bare]).links[0]?.id).toBeNull()
  })
})
