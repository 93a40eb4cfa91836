/**
 * Tracking plans as the API sees them: the file's plans (read-only, `managed: true`) merged
 * with the stored ones; every write validated in full before it is stored, each one a new
 * revision with its author; source connections checked against the known sources.
 *
 * Failure behaviour: a refused write (invalid, managed, unknown source, already connected)
 * changes nothing. Idempotency: replacing rules with the same list still makes a revision
 * (with an empty diff), so the history records every accepted request.
 */
import type { Clock } from '../platform/clock.js'
import { type FileAwareActivePlans, createActivePlans } from './active-plans.js'
import {
  DEFAULT_ENFORCEMENT,
  enforcementPatchSchema,
  enforcementSchema,
  type TrackingPlanConfig,
} from './config.js'
import { PlanErrors } from './errors.js'
import { fileConnections, managedRevision, toManagedPlan } from './file-plans.js'
import { newPlanId } from './ids.js'
import type {
  ActivePlans,
  Enforcement,
  PlanRevision,
  PlanRule,
  SourcePlan,
  TrackingPlan,
} from './model.js'
import type { PlanChange, PlanStore } from './plan-store.js'
import { removeRules, upsertRules } from './rule-key.js'
import {
  MAX_RULES_PER_UPDATE,
  type PlanIssue,
  validatePlan,
  validateRuleList,
  validateRules,
} from './validate-plan.js'

export interface PlanServiceOptions {
  store: PlanStore
  clock: Clock
  /** The file's `trackingPlans`, read at each call (a reload is seen); null without a section. */
  filePlans: () => readonly TrackingPlanConfig[] | null
  /** Whether a source id exists (file or API), for connections. */
  sourceExists: (id: string) => boolean
}

/** A rule's identity, as the rules DELETE body names it. */
export interface RuleRef {
  type: PlanRule['type']
  key?: string
  version?: number
}

export interface PlanService extends ActivePlans {
  list(): Promise<TrackingPlan[]>
  /** `PLANS_NOT_FOUND` when absent. */
  get(id: string): Promise<TrackingPlan>
  /** Validates and stores a new plan (id generated unless given). */
  create(input: unknown, author: string): Promise<TrackingPlan>
  /** Changes name, description and/or rules (replaced whole when given). */
  update(id: string, input: unknown, author: string): Promise<TrackingPlan>
  /** Replaces every rule (at most 200 per request, as in Segment). */
  replaceRules(id: string, rules: unknown, author: string): Promise<TrackingPlan>
  /** Adds or replaces rules by `type:key:version` (at most 200 per request). */
  upsertRules(id: string, rules: unknown, author: string): Promise<TrackingPlan>
  /** Removes rules by `type:key:version`; unknown ones are ignored. */
  deleteRules(id: string, refs: readonly RuleRef[], author: string): Promise<TrackingPlan>
  remove(id: string): Promise<void>
  revisions(id: string): Promise<PlanRevision[]>
  revision(id: string, revision: number): Promise<PlanRevision>
  /** The sources connected to a plan. */
  sources(id: string): Promise<SourcePlan[]>
  connect(id: string, sourceId: string, enforcement: unknown): Promise<SourcePlan>
  /** Changes the given enforcement settings of a connected source. */
  updateEnforcement(id: string, sourceId: string, patch: unknown): Promise<SourcePlan>
  disconnect(id: string, sourceId: string): Promise<void>
  /** The plan and enforcement of a source; `PLANS_NOT_FOUND` when it has none. */
  planOfSource(sourceId: string): Promise<{ plan: TrackingPlan; enforcement: Enforcement }>
  /** Call after a config reload (moves the active-plans stamp). */
  fileChanged(): void
}

function invalid(issues: PlanIssue[]): never {
  throw PlanErrors.invalid(issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '), {
    details: { issues },
  })
}

export function createPlanService(options: PlanServiceOptions): PlanService {
  const { store, clock } = options
  let loadedAt = clock.now()
  const active: FileAwareActivePlans = createActivePlans({
    store,
    filePlans: options.filePlans,
    loadedAt: () => loadedAt,
  })
  const file = (): readonly TrackingPlanConfig[] => options.filePlans() ?? []
  const fileFind = (id: string) => file().find((p) => p.id === id)
  const meta = (author: string) => ({ author, at: clock.now() })

  function assertWritable(id: string): void {
    if (fileFind(id)) throw PlanErrors.managed(undefined, { details: { id } })
  }

  async function getPlan(id: string): Promise<TrackingPlan> {
    const fromFile = fileFind(id)
    if (fromFile) return toManagedPlan(fromFile, loadedAt)
    const stored = await store.get(id)
    if (!stored) throw PlanErrors.notFound(undefined, { details: { id } })
    return stored
  }

  /** Applies a rules change inside the store's transaction; the full result is validated. */
  async function changeRules(
    id: string,
    author: string,
    change: (current: TrackingPlan) => PlanChange,
  ): Promise<TrackingPlan> {
    assertWritable(id)
    const updated = await store.update(
      id,
      (current) => {
        const next = change(current)
        if (next.rules !== undefined) {
          const issues = validateRules(next.rules.map((rule, index) => ({ rule, index })))
          if (issues.length > 0) invalid(issues)
        }
        return next
      },
      meta(author),
    )
    if (!updated) throw PlanErrors.notFound(undefined, { details: { id } })
    return updated
  }

  function ruleList(input: unknown): PlanRule[] {
    const body = (input as { rules?: unknown } | null)?.rules ?? input
    const result = validateRuleList(body)
    if (!result.ok) invalid(result.issues)
    return result.value
  }

  async function connections(): Promise<SourcePlan[]> {
    const fromFile = fileConnections(file())
    const taken = new Set(fromFile.map((c) => c.sourceId))
    const fileIds = new Set(file().map((p) => p.id))
    const stored = (await store.connections()).filter(
      (c) => !taken.has(c.sourceId) && !fileIds.has(c.planId),
    )
    return [...fromFile, ...stored]
  }

  async function connectionOf(sourceId: string): Promise<SourcePlan | null> {
    return (await connections()).find((c) => c.sourceId === sourceId) ?? null
  }

  function checkForward(enforcement: Enforcement): void {
    const to = enforcement.forwardViolationsTo
    if (to !== undefined && !options.sourceExists(to)) {
      throw PlanErrors.unknownSource(undefined, {
        details: { id: to, field: 'forwardViolationsTo' },
      })
    }
  }

  return {
    stamp: () => active.stamp(),
    active: () => active.active(),
    fileChanged() {
      loadedAt = clock.now()
      active.fileChanged()
    },
    async list() {
      const fromFile = file().map((p) => toManagedPlan(p, loadedAt))
      const ids = new Set(fromFile.map((p) => p.id))
      const stored = (await store.list()).filter((p) => !ids.has(p.id))
      return [...fromFile, ...stored]
    },
    get: getPlan,
    async create(input, author) {
      const result = validatePlan(input)
      if (!result.ok) invalid(result.issues)
      const { id = newPlanId(), name, description, rules } = result.value
      if (fileFind(id)) throw PlanErrors.managed(undefined, { details: { id } })
      const created = await store.create(
        { id, name, ...(description === undefined ? {} : { description }), rules },
        meta(author),
      )
      if (!created) throw PlanErrors.exists(undefined, { details: { id } })
      return created
    },
    async update(id, input, author) {
      const body = (input ?? {}) as Record<string, unknown>
      const current = await getPlan(id)
      // Validate the whole plan as it would become, so every problem is reported at once;
      // unknown keys are passed on so the strict schema names them.
      const description =
        body.description === null ? undefined : (body.description ?? current.description)
      const result = validatePlan({
        ...body,
        name: body.name ?? current.name,
        rules: body.rules ?? current.rules,
        description,
      })
      if (!result.ok) invalid(result.issues)
      return changeRules(id, author, () => ({
        ...(body.name === undefined ? {} : { name: result.value.name }),
        ...(body.description === undefined
          ? {}
          : { description: (body.description as string | null) ?? null }),
        ...(body.rules === undefined ? {} : { rules: result.value.rules }),
      }))
    },
    async replaceRules(id, input, author) {
      const rules = ruleList(input)
      return changeRules(id, author, () => ({ rules }))
    },
    async upsertRules(id, input, author) {
      const rules = ruleList(input)
      return changeRules(id, author, (current) => ({ rules: upsertRules(current.rules, rules) }))
    },
    async deleteRules(id, refs, author) {
      if (refs.length > MAX_RULES_PER_UPDATE) {
        invalid([{ path: 'rules', message: `at most ${MAX_RULES_PER_UPDATE} rules per update` }])
      }
      return changeRules(id, author, (current) => ({ rules: removeRules(current.rules, refs) }))
    },
    async remove(id) {
      assertWritable(id)
      if (!(await store.delete(id))) throw PlanErrors.notFound(undefined, { details: { id } })
    },
    async revisions(id) {
      const fromFile = fileFind(id)
      if (fromFile) return [managedRevision(fromFile, loadedAt)]
      await getPlan(id)
      return store.revisions(id)
    },
    async revision(id, number) {
      const found = (await this.revisions(id)).find((r) => r.revision === number)
      if (!found) {
        throw PlanErrors.revisionNotFound(undefined, { details: { id, revision: number } })
      }
      return found
    },
    async sources(id) {
      await getPlan(id)
      return (await connections()).filter((c) => c.planId === id)
    },
    async connect(id, sourceId, input) {
      assertWritable(id)
      await getPlan(id)
      if (!options.sourceExists(sourceId)) {
        throw PlanErrors.unknownSource(undefined, { details: { id: sourceId } })
      }
      const parsed = enforcementSchema.safeParse(input ?? {})
      if (!parsed.success) invalid(zodIssues(parsed.error.issues, 'enforcement'))
      const enforcement = { ...DEFAULT_ENFORCEMENT, ...parsed.data }
      checkForward(enforcement)
      const existing = await connectionOf(sourceId)
      if (existing) {
        throw PlanErrors.sourceConnected(undefined, {
          details: { sourceId, planId: existing.planId },
        })
      }
      const result = await store.connect(sourceId, id, enforcement, clock.now())
      if (result === 'plan-not-found') throw PlanErrors.notFound(undefined, { details: { id } })
      if (result === 'source-connected') {
        const other = await store.connectionOf(sourceId)
        throw PlanErrors.sourceConnected(undefined, {
          details: { sourceId, planId: other?.planId },
        })
      }
      return { sourceId, planId: id, enforcement }
    },
    async updateEnforcement(id, sourceId, patch) {
      assertWritable(id)
      const existing = await connectionOf(sourceId)
      if (existing?.planId !== id) {
        throw PlanErrors.sourceNotConnected(undefined, { details: { id, sourceId } })
      }
      const parsed = enforcementPatchSchema.safeParse(patch ?? {})
      if (!parsed.success) invalid(zodIssues(parsed.error.issues, 'enforcement'))
      const defined = Object.fromEntries(
        Object.entries(parsed.data).filter(([, v]) => v !== undefined),
      )
      const enforcement = { ...existing.enforcement, ...defined }
      if ((patch as { forwardViolationsTo?: unknown } | null)?.forwardViolationsTo === null) {
        delete enforcement.forwardViolationsTo
      }
      checkForward(enforcement)
      if (!(await store.setEnforcement(sourceId, enforcement, clock.now()))) {
        throw PlanErrors.sourceNotConnected(undefined, { details: { id, sourceId } })
      }
      return { sourceId, planId: id, enforcement }
    },
    async disconnect(id, sourceId) {
      assertWritable(id)
      const existing = await connectionOf(sourceId)
      if (existing?.planId !== id || !(await store.disconnect(sourceId, clock.now()))) {
        throw PlanErrors.sourceNotConnected(undefined, { details: { id, sourceId } })
      }
    },
    async planOfSource(sourceId) {
      const link = await connectionOf(sourceId)
      if (!link) {
        throw PlanErrors.notFound('The source is not connected to a tracking plan.', {
          details: { sourceId },
        })
      }
      return { plan: await getPlan(link.planId), enforcement: link.enforcement }
    },
  }
}

function zodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix: string,
): PlanIssue[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }))
}
