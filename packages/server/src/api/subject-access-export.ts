/**
 * Gathers the access export (`POST /api/v1/subject-access`): every place Tessera holds a
 * person, read-only, in the sections listed in `regulations/README.md`. Lists are capped (see
 * the constants); a capped list says so in `truncated`.
 */
import { foldConsent, type ConsentHistory, type PreferenceService } from '../consent/index.js'
import type { ProfileQuery } from '../identity/index.js'
import type {
  ErasureSubject,
  Regulation,
  RegulationStore,
  SubjectEventFinder,
  SubjectRecords,
  TraitCorrectionStore,
} from '../regulations/index.js'
import { preferencesToJson } from './consent-routes.js'
import { correctionToJson } from './correction-routes.js'
import { edgeToJson, profileToJson, timelineEventToJson } from './profile-serialize.js'

/** Events exported per profile at most; `eventsTruncated` says when more exist. */
const MAX_EVENTS = 100_000
const PAGE = 1000
const MAX_IDENTIFIERS = 1000
/** Consent-carrying events per profile. */
const MAX_CONSENT = 10_000
/** Rows per section of rejected, quarantined and delivery records. */
const MAX_RECORDS = 10_000
/** Regulations scanned for ones naming the person (newest first). */
const MAX_REGULATIONS_SCANNED = 10_000

export interface SubjectExportDeps {
  profiles: ProfileQuery
  store: Pick<RegulationStore, 'suppressed' | 'restricted' | 'list'>
  corrections: Pick<TraitCorrectionStore, 'ofSubject'>
  records: SubjectRecords
  finder: SubjectEventFinder
  consentHistory: ConsentHistory
  preferences: Pick<PreferenceService, 'get'>
  /** Ids of the workspace's consent categories. */
  categories: () => readonly string[]
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const keyOf = (r: { type: string; value: string }) => `${r.type}\u0000${r.value}`

async function exportEvents(profiles: ProfileQuery, profileId: string) {
  const events = []
  let truncated = false
  let cursor: string | undefined
  do {
    const page = await profiles.events(profileId, {
      limit: PAGE,
      sort: 'asc',
      ...(cursor ? { cursor } : {}),
    })
    events.push(...page.data.map(timelineEventToJson))
    cursor = page.next ?? undefined
    if (cursor !== undefined && events.length >= MAX_EVENTS) {
      truncated = true
      break
    }
  } while (cursor !== undefined)
  return { events, truncated }
}

async function exportConsent(deps: SubjectExportDeps, profileId: string) {
  const history = await deps.consentHistory.entries(profileId, MAX_CONSENT)
  const current = foldConsent(history, deps.categories())
  return {
    categories: current.categories,
    updatedAt: current.updatedAt,
    history: history.map((entry) => ({
      seq: entry.seq,
      messageId: entry.messageId,
      sourceId: entry.sourceId,
      type: entry.type,
      event: entry.event,
      timestamp: entry.timestamp,
      categories: entry.consent.categories,
      ignoredCategories: entry.consent.ignored,
    })),
  }
}

/** One profile: the profile, merge history, events, consent and preferences. */
async function exportProfile(deps: SubjectExportDeps, profileId: string) {
  const { profiles } = deps
  const profile = await profiles.get(profileId)
  if (profile === null) return null
  const identifiers = (await profiles.identifiers(profileId, { limit: MAX_IDENTIFIERS })).data
  const history = []
  let cursor: string | undefined
  do {
    const page = await profiles.history(profileId, { limit: PAGE, ...(cursor ? { cursor } : {}) })
    history.push(...page.data.map(edgeToJson))
    cursor = page.next ?? undefined
  } while (cursor !== undefined)
  const { events, truncated } = await exportEvents(profiles, profileId)
  return {
    profile: profileToJson(profile, identifiers, []),
    mergeHistory: history,
    events,
    eventsTruncated: truncated,
    consent: await exportConsent(deps, profileId),
    preferences: preferencesToJson(await deps.preferences.get(profileId)),
  }
}

/** Regulations whose subject names one of `keys` (identifiers) or `profileIds`, newest first. */
async function regulationsNaming(
  store: SubjectExportDeps['store'],
  keys: ReadonlySet<string>,
  profileIds: ReadonlySet<string>,
): Promise<Regulation[]> {
  const found: Regulation[] = []
  let cursor: string | undefined
  let scanned = 0
  do {
    const page = await store.list({ limit: 200, ...(cursor ? { cursor } : {}) })
    scanned += page.data.length
    for (const r of page.data) {
      const names =
        r.subject.identifiers.some((id) => keys.has(keyOf(id))) ||
        r.subject.profileIds.some((id) => profileIds.has(id))
      if (names) found.push(r)
    }
    cursor = page.next ?? undefined
  } while (cursor !== undefined && scanned < MAX_REGULATIONS_SCANNED)
  return found
}

/**
 * The export of the profiles `profileIds` (the subject ids resolved) and of `requested` (the
 * subject ids as identifiers, which also find what identity never resolved: rejections and
 * quarantined events).
 */
export async function buildSubjectExport(
  deps: SubjectExportDeps,
  profileIds: ReadonlySet<string>,
  requested: ReadonlyArray<{ type: string; value: string }>,
) {
  const profiles = []
  const keys = new Set<string>()
  const identifiers = new Map<string, { type: string; value: string }>()
  for (const id of profileIds) {
    const one = await exportProfile(deps, id)
    if (!one) continue
    for (const i of one.profile.identifiers) {
      identifiers.set(keyOf(i), { type: i.type, value: i.value })
    }
    profiles.push(one)
  }
  for (const id of requested) identifiers.set(keyOf(id), { type: id.type, value: id.value })
  for (const k of identifiers.keys()) keys.add(k)
  const subject: ErasureSubject = {
    profileIds: [...profileIds],
    identifiers: [...identifiers.values()],
  }
  const events = await deps.finder.find(subject)
  const rejected = await deps.records.rejected(subject, events, MAX_RECORDS)
  const quarantined = await deps.records.quarantined(subject, events, MAX_RECORDS)
  const delivery = await deps.records.delivery(events, MAX_RECORDS)
  const named = (r: { type: string; value: string }) => keys.has(keyOf(r))
  const regulations = await regulationsNaming(deps.store, keys, profileIds)
  return {
    profiles,
    traitCorrections: (await deps.corrections.ofSubject(subject)).map(correctionToJson),
    rejectedEvents: rejected.map((r) => ({ ...r, receivedAt: iso(r.receivedAt) })),
    quarantinedEvents: quarantined.map((q) => ({
      ...q,
      receivedAt: iso(q.receivedAt),
      quarantinedAt: iso(q.quarantinedAt),
    })),
    delivery: {
      retries: delivery.retries.map((r) => ({
        ...r,
        firstAttemptAt: iso(r.firstAttemptAt),
        nextAt: iso(r.nextAt),
      })),
      deadLetters: delivery.deadLetters.map((d) => ({
        ...d,
        failedAt: iso(d.failedAt),
        replayedAt: iso(d.replayedAt),
      })),
    },
    regulations: regulations.map((r) => ({
      id: r.id,
      regulationType: r.type,
      overallStatus: r.status,
      subjectType: r.subjectType,
      subjectIds: r.subjectIds,
      createdAt: iso(r.createdAt),
      finishedAt: iso(r.finishedAt),
    })),
    suppressions: (await deps.store.suppressed()).filter(named).map((s) => ({
      type: s.type,
      value: s.value,
      regulateId: s.regulationId,
      createdAt: iso(s.createdAt),
    })),
    restrictions: (await deps.store.restricted()).filter(named).map((r) => ({
      type: r.type,
      value: r.value,
      createdAt: iso(r.createdAt),
    })),
    truncated: {
      rejectedEvents: rejected.length >= MAX_RECORDS,
      quarantinedEvents: quarantined.length >= MAX_RECORDS,
      deliveryRetries: delivery.retries.length >= MAX_RECORDS,
      deliveryDeadLetters: delivery.deadLetters.length >= MAX_RECORDS,
    },
  }
}
