/**
 * The plan store port: tracking plans, their revisions and source connections, on one
 * database. Every adapter passes `plan-store.contract.ts`.
 *
 * Ordering and atomicity: each write is one transaction that also bumps the store's stamp
 * (a counter row), so a reader that sees a new {@link ActivePlans.stamp} sees the whole change.
 * Concurrent updates of one plan are serialised on the plan's row: each gets its own
 * revision, none is lost. Nothing here validates rules; callers validate first
 * (see `validatePlan`).
 */
import type {
  ActivePlans,
  Enforcement,
  PlanRevision,
  PlanRule,
  SourcePlan,
  TrackingPlan,
} from './model.js'

/** A plan as created: revision 1, authored by `author` at `at` (epoch ms). */
export interface NewPlan {
  id: string
  name: string
  description?: string
  rules: PlanRule[]
}

/** What an update changes; absent fields are kept. */
export interface PlanChange {
  name?: string
  description?: string | null
  rules?: PlanRule[]
}

/** Who made a change and when (epoch ms). */
export interface ChangeMeta {
  author: string
  at: number
}

/** The outcome of connecting a source. */
export type ConnectResult = 'connected' | 'plan-not-found' | 'source-connected'

export interface PlanStore extends ActivePlans {
  /** Stores a new plan at revision 1 (with its first revision). Null when the id is taken. */
  create(plan: NewPlan, meta: ChangeMeta): Promise<TrackingPlan | null>
  get(id: string): Promise<TrackingPlan | null>
  /** Every stored plan, by id. */
  list(): Promise<TrackingPlan[]>
  /**
   * Applies `change(current)` to the plan's current state and stores the result as the next
   * revision, in one transaction holding the plan's row. `change` may throw (an invalid
   * result): nothing is written and the error propagates. Null when the plan does not exist.
   */
  update(
    id: string,
    change: (current: TrackingPlan) => PlanChange,
    meta: ChangeMeta,
  ): Promise<TrackingPlan | null>
  /** Deletes a plan with its revisions and source connections. False when absent. */
  delete(id: string): Promise<boolean>
  /** The plan's revisions, newest first. */
  revisions(id: string): Promise<PlanRevision[]>
  revision(id: string, revision: number): Promise<PlanRevision | null>
  /** Connects a source to a plan (a source has at most one plan). */
  connect(
    sourceId: string,
    planId: string,
    enforcement: Enforcement,
    at: number,
  ): Promise<ConnectResult>
  /** Replaces a connected source's enforcement. False when the source is not connected. */
  setEnforcement(sourceId: string, enforcement: Enforcement, at: number): Promise<boolean>
  /** Disconnects a source. False when it was not connected. */
  disconnect(sourceId: string, at: number): Promise<boolean>
  /** Every connection, or those of one plan, by source id. */
  connections(planId?: string): Promise<SourcePlan[]>
  /** The connection of one source. */
  connectionOf(sourceId: string): Promise<SourcePlan | null>
}
