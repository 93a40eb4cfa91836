import type {
  IdentifierRecord,
  IdentityEdge,
  IdentityOverride,
  ProfileRecord,
  ProfileTimelineEvent,
  RebuildRecord,
  TraitValue,
} from '../identity/index.js'

/**
 * Profiles, identifiers, edges and events as JSON: Segment's Profile API shapes (snake_case,
 * as Segment sends them) and the admin API shapes (camelCase, ISO-8601 times). Pure.
 */

const iso = (ms: number): string => new Date(ms).toISOString()
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))
const keyOf = (id: { type: string; value: string }): string => `${id.type}:${id.value}`
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Live traits (tombstones left out), by name. */
export function liveTraits(profile: ProfileRecord): Array<[string, TraitValue]> {
  return Object.entries(profile.traits)
    .filter(([, trait]) => trait.value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * One page of a profile's live traits in name order, after the trait named `after`, limited
 * to `include` names when given. `next` is the last name returned when more follow.
 */
export function pageTraits(
  profile: ProfileRecord,
  options: { limit: number; include?: string[]; after?: string },
): { entries: Array<[string, TraitValue]>; next: string | null } {
  const { include, after } = options
  const all = liveTraits(profile).filter(
    ([name]) =>
      (include === undefined || include.includes(name)) && (after === undefined || name > after),
  )
  const entries = all.slice(0, options.limit)
  const last = entries.at(-1)
  return { entries, next: all.length > entries.length && last ? last[0] : null }
}

// Segment Profile API.

/** `{traits}` of `GET …/traits`: values, or `{value, source_id, updated_at}` when verbose. */
export function segmentTraits(entries: Array<[string, TraitValue]>, verbose: boolean) {
  return Object.fromEntries(
    entries.map(([name, t]) => [
      name,
      verbose ? { value: t.value, source_id: t.sourceId, updated_at: iso(t.timestamp) } : t.value,
    ]),
  )
}

export function segmentCursor(url: string, next: string | null, limit: number) {
  return { url, has_more: next !== null, next: next ?? '', limit }
}

export function segmentExternalId(record: IdentifierRecord) {
  return {
    source_id: record.firstSourceId,
    collection: record.collection,
    id: record.value,
    type: record.type,
    created_at: iso(record.firstSeen),
    encoding: 'none',
    first_message_id: record.firstMessageId,
  }
}

/** The external ids written on a stored event: userId, anonymousId, email, groupId. */
function eventExternalIds(event: Record<string, unknown>) {
  const context = isRecord(event.context) ? event.context : {}
  const traits = isRecord(event.traits) ? event.traits : {}
  const contextTraits = isRecord(context.traits) ? context.traits : {}
  const email = traits.email ?? contextTraits.email
  const found: Array<[string, string, unknown]> = [
    ['users', 'user_id', event.userId],
    ['users', 'anonymous_id', event.anonymousId],
    ['users', 'email', typeof email === 'string' ? email.trim().toLowerCase() : null],
    ['accounts', 'group_id', event.groupId],
  ]
  return found.flatMap(([collection, type, id]) =>
    typeof id === 'string' && id !== '' ? [{ collection, type, id, encoding: 'none' }] : [],
  )
}

/** One entry of `GET …/events`. */
export function segmentEvent(e: ProfileTimelineEvent) {
  const name = e.type === 'track' ? e.event.event : e.event.name
  return {
    external_ids: eventExternalIds(e.event),
    context: isRecord(e.event.context) ? e.event.context : {},
    type: e.type,
    message_id: e.messageId,
    source_id: e.sourceId,
    timestamp: iso(e.timestamp),
    properties: isRecord(e.event.properties) ? e.event.properties : {},
    event: typeof name === 'string' ? name : null,
    related: { users: null },
  }
}

export function segmentMetadata(profile: ProfileRecord) {
  return {
    created_at: iso(profile.firstSeen),
    updated_at: iso(profile.lastSeen),
    expires_at: null,
    first_message_id: profile.firstMessageId,
    first_source_id: profile.firstSourceId,
    last_message_id: profile.lastMessageId,
    last_source_id: profile.lastSourceId,
  }
}

// Admin API.

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null

/** A display name from the usual traits: `name`, first and last name, or `username`. */
export function displayName(profile: ProfileRecord): string | null {
  const t = (name: string): unknown => profile.traits[name]?.value
  const full = [t('firstName') ?? t('first_name'), t('lastName') ?? t('last_name')]
    .map(text)
    .filter((part) => part !== null)
    .join(' ')
  return text(t('name')) ?? text(full) ?? text(t('username'))
}

/** A profile in lists: who it is at a glance, with its first few identifiers. */
export function profileSummaryToJson(profile: ProfileRecord, identifiers: IdentifierRecord[]) {
  const email = identifiers.find((i) => i.type === 'email')?.value ?? null
  return {
    id: profile.id,
    collection: profile.collection,
    name: displayName(profile),
    email: text(profile.traits.email?.value) ?? email,
    identifiers: identifiers.map((i) => ({ type: i.type, value: i.value })),
    firstSeen: iso(profile.firstSeen),
    lastSeen: iso(profile.lastSeen),
    counts: profile.counts,
  }
}

export function identifierToJson(i: IdentifierRecord) {
  return {
    type: i.type,
    value: i.value,
    firstSeen: iso(i.firstSeen),
    firstMessageId: i.firstMessageId,
    firstSourceId: i.firstSourceId,
    addedAt: isoOrNull(i.addedAt),
  }
}

/** The whole profile: live traits with provenance, identifiers, counts and linked profiles. */
export function profileToJson(
  profile: ProfileRecord,
  identifiers: IdentifierRecord[],
  links: Array<ReturnType<typeof profileSummaryToJson>>,
) {
  const traits = liveTraits(profile).map(([name, t]) => [
    name,
    { value: t.value, sourceId: t.sourceId, messageId: t.messageId, timestamp: iso(t.timestamp) },
  ])
  return {
    id: profile.id,
    collection: profile.collection,
    componentId: profile.componentId,
    traits: Object.fromEntries(traits) as Record<string, unknown>,
    identifiers: identifiers.map(identifierToJson),
    counts: profile.counts,
    firstSeen: iso(profile.firstSeen),
    lastSeen: iso(profile.lastSeen),
    merges: profile.merges,
    links,
  }
}

export function timelineEventToJson(e: ProfileTimelineEvent) {
  return {
    seq: e.seq,
    sourceId: e.sourceId,
    type: e.type,
    messageId: e.messageId,
    timestamp: iso(e.timestamp),
    event: e.event,
  }
}

export function edgeToJson(edge: IdentityEdge & { id?: number }) {
  return {
    ...(edge.id === undefined ? {} : { id: edge.id }),
    kind: edge.kind,
    profileId: edge.profileId,
    from: edge.from,
    to: edge.to,
    rule: edge.rule,
    mergedProfileId: edge.mergedProfileId,
    seq: edge.seq,
    messageId: edge.messageId,
    sourceId: edge.sourceId,
    timestamp: iso(edge.timestamp),
  }
}

export function overrideToJson(o: IdentityOverride) {
  return {
    id: o.id,
    collection: o.collection,
    kind: o.kind,
    a: keyOf(o.a),
    b: o.b === null ? null : keyOf(o.b),
    reason: o.reason,
    actor: o.actor,
    createdAt: iso(o.createdAt),
  }
}

export function rebuildToJson(r: RebuildRecord) {
  return { ...r, at: iso(r.at) }
}

interface GraphNode {
  id: string
  type: string
  value: string
  firstSeen: string | null
  /** False for identifiers named by an edge that are not on the profile (dropped ones). */
  onProfile: boolean
  /** Edges with no `from` (`create`, and `drop` of an identifier on its own). */
  annotations: Array<{ kind: string; rule: string; messageId: string; timestamp: string }>
}

/**
 * The profile's identity graph for drawing: a node per identifier (`type:value`), an edge per
 * attach, merge or drop between two identifiers; edges without a `from` annotate their node.
 */
export function graphToJson(
  identifiers: IdentifierRecord[],
  edges: Array<IdentityEdge & { id: number }>,
) {
  const nodes = new Map<string, GraphNode>()
  const node = (id: { type: string; value: string }, record?: IdentifierRecord): GraphNode => {
    const key = keyOf(id)
    const existing = nodes.get(key)
    if (existing) return existing
    const created: GraphNode = {
      id: key,
      type: id.type,
      value: id.value,
      firstSeen: record ? iso(record.firstSeen) : null,
      onProfile: record !== undefined,
      annotations: [],
    }
    nodes.set(key, created)
    return created
  }
  for (const record of identifiers) node(record, record)
  const links = edges.flatMap((e) => {
    const to = node(e.to)
    const at = { messageId: e.messageId, timestamp: iso(e.timestamp) }
    if (e.from === null) {
      to.annotations.push({ kind: e.kind, rule: e.rule, ...at })
      return []
    }
    const from = node(e.from)
    return [
      {
        id: e.id,
        from: from.id,
        to: to.id,
        kind: e.kind,
        rule: e.rule,
        sourceId: e.sourceId,
        ...at,
      },
    ]
  })
  return { nodes: [...nodes.values()], edges: links }
}
