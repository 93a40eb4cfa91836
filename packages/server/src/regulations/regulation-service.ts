import type { Page } from '../events/index.js'
import type { ProfileQuery } from '../identity/index.js'
import type { Clock } from '../platform/clock.js'
import { newId } from '../platform/ids.js'
import { parseCreateRegulation } from './create-input.js'
import type { DestinationEraser, RegulationAuditSink } from './erasure-target.js'
import { RegulationErrors } from './errors.js'
import { expandSubject, type SubjectLookup } from './expand-subject.js'
import {
  forwardsToDestinations,
  isDeleting,
  isSuppressing,
  type Regulation,
  type RegulationStatus,
  type RegulationTask,
  type SubjectIdentifier,
} from './model.js'
import type { RegulationStore } from './regulation-store.js'
import { aggregateStatus } from './status.js'
import { INGEST_CHECKED_TYPES, type SuppressionList } from './suppression-list.js'

/** Identifiers read per profile when expanding a subject (identity's default cap). */
const MAX_PROFILE_IDENTIFIERS = 1000

export interface RegulationServiceDeps {
  store: RegulationStore
  profiles: Pick<ProfileQuery, 'findByIdentifier' | 'identifiers'>
  /** Names of the stores a deletion reaches, in execution order. */
  storeNames: readonly string[]
  destinations: DestinationEraser
  suppression: SuppressionList
  /** True when identity knows this identifier type (`phone`, a custom type …). */
  isKnownType: (type: string) => boolean
  /** Waits (bounded) until identity has resolved what was acknowledged before the call. */
  catchUp: () => Promise<void>
  /** The event log's head: the position the deletion waits for the pipeline to pass. */
  logHead: () => Promise<number>
  /** A request was stored: the runner should look. */
  poke: () => void
  audit: RegulationAuditSink
  clock: Clock
}

/** A regulation with its tasks. */
export interface RegulationView {
  regulation: Regulation
  tasks: RegulationTask[]
}

export interface RegulationService {
  /**
   * Validates and stores a request with its tasks (see README.md) and applies its suppression
   * change at once (ingest sees it for the next event). Returns the new id. Throws
   * `REGULATIONS_*` errors for bad input; nothing is stored then.
   */
  create(body: unknown, actor: string): Promise<string>
  /** The request with its tasks; `REGULATIONS_NOT_FOUND` when unknown. */
  get(id: string): Promise<RegulationView>
  list(options: {
    limit: number
    cursor?: string
    status?: RegulationStatus
  }): Promise<Page<Regulation>>
}

const SUPPRESSED_TYPES: ReadonlySet<string> = new Set(INGEST_CHECKED_TYPES)

export function createRegulationService(deps: RegulationServiceDeps): RegulationService {
  async function lookup(requested: SubjectIdentifier): Promise<SubjectLookup> {
    const profile = await deps.profiles.findByIdentifier('users', requested)
    if (profile === null) return { requested, profileId: null, identifiers: [] }
    const page = await deps.profiles.identifiers(profile.id, { limit: MAX_PROFILE_IDENTIFIERS })
    return {
      requested,
      profileId: profile.id,
      identifiers: page.data.map((r) => ({ type: r.type, value: r.value })),
    }
  }

  async function planTasks(regulation: Regulation): Promise<RegulationTask[]> {
    const tasks: RegulationTask[] = []
    const add = (
      kind: RegulationTask['kind'],
      target: string,
      name: string,
      status: RegulationStatus,
    ): void => {
      const done = status === 'FINISHED' || status === 'NOT_SUPPORTED'
      tasks.push({
        regulationId: regulation.id,
        position: tasks.length,
        kind,
        target,
        name,
        status,
        errString: null,
        attempts: 0,
        removed: {},
        startedAt: done ? regulation.createdAt : null,
        finishedAt: done ? regulation.createdAt : null,
      })
    }
    if (isSuppressing(regulation.type) || regulation.type === 'UNSUPPRESS') {
      add('suppression', 'suppression', 'suppression', 'FINISHED')
    }
    if (isDeleting(regulation.type)) {
      for (const name of deps.storeNames) add('store', name, name, 'INITIALIZED')
    }
    if (forwardsToDestinations(regulation.type)) {
      for (const d of await deps.destinations.list()) {
        add('destination', d.id, d.name, d.supportsDeletion ? 'INITIALIZED' : 'NOT_SUPPORTED')
      }
    }
    return tasks
  }

  return {
    async create(body, actor) {
      const input = parseCreateRegulation(body, deps.isKnownType)
      await deps.catchUp()
      const logPosition = await deps.logHead()
      const lookups: SubjectLookup[] = []
      for (const requested of input.requested) lookups.push(await lookup(requested))
      const subject = expandSubject(lookups)
      const now = deps.clock.now()
      const regulation: Regulation = {
        id: newId('reg'),
        type: input.type,
        subjectType: input.subjectType,
        subjectIds: input.subjectIds,
        subject,
        status: 'INITIALIZED',
        logPosition,
        actor,
        createdAt: now,
        finishedAt: null,
      }
      const tasks = await planTasks(regulation)
      regulation.status = aggregateStatus(tasks)
      if (regulation.status === 'FINISHED') regulation.finishedAt = now
      const checked = subject.identifiers.filter((id) => SUPPRESSED_TYPES.has(id.type))
      await deps.store.create(regulation, tasks, {
        add: isSuppressing(input.type) ? checked : [],
        remove: input.type === 'UNSUPPRESS' ? subject.identifiers : [],
      })
      if (isSuppressing(input.type) || input.type === 'UNSUPPRESS') {
        deps.suppression.replaceAll(await deps.store.suppressed())
      }
      deps.audit.record({
        action: 'regulation.created',
        actor,
        target: regulation.id,
        at: now,
        details: {
          regulationType: input.type,
          subjectType: input.subjectType,
          subjects: input.subjectIds.length,
          profiles: subject.profileIds.length,
        },
      })
      deps.poke()
      return regulation.id
    },
    async get(id) {
      const regulation = await deps.store.get(id)
      if (regulation === null) throw RegulationErrors.notFound(undefined, { details: { id } })
      return { regulation, tasks: await deps.store.tasks(id) }
    },
    list: (options) => deps.store.list(options),
  }
}
