/**
 * Plans from the config file as the rest of the domain sees them: read-only
 * {@link TrackingPlan}s (`managed: true`, revision 1 by `config`), their source connections,
 * and the cross-checks run when the config is loaded.
 */
import { DEFAULT_ENFORCEMENT, type TrackingPlanConfig } from './config.js'
import type { PlanRevision, SourcePlan, TrackingPlan } from './model.js'
import { diffRules } from './rule-key.js'
import { validateFilePlan } from './validate-plan.js'

/** The author of every file-managed plan's revision. */
export const CONFIG_AUTHOR = 'config'

/** A file plan as a managed {@link TrackingPlan}, stamped with the time the file was loaded. */
export function toManagedPlan(config: TrackingPlanConfig, loadedAt: number): TrackingPlan {
  const at = new Date(loadedAt).toISOString()
  return {
    id: config.id,
    name: config.name,
    ...(config.description === undefined ? {} : { description: config.description }),
    rules: config.rules,
    revision: 1,
    managed: true,
    createdAt: at,
    updatedAt: at,
  }
}

/** The one revision of a file plan. */
export function managedRevision(config: TrackingPlanConfig, loadedAt: number): PlanRevision {
  return {
    planId: config.id,
    revision: 1,
    author: CONFIG_AUTHOR,
    at: new Date(loadedAt).toISOString(),
    rules: config.rules,
    diff: diffRules([], config.rules),
  }
}

/** The source connections the file declares, by source id. */
export function fileConnections(plans: readonly TrackingPlanConfig[]): SourcePlan[] {
  return plans
    .flatMap((plan) =>
      plan.sources.map((s) => ({
        sourceId: s.id,
        planId: plan.id,
        enforcement: { ...DEFAULT_ENFORCEMENT, ...s.enforcement },
      })),
    )
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId))
}

/**
 * Checks the `trackingPlans` section beyond its shape, for the config loader: every plan
 * validates (rules compile, keys unique…), then {@link checkPlanLinks}. Paths start at
 * `trackingPlans`.
 */
export function checkTrackingPlans(
  plans: readonly TrackingPlanConfig[],
  fileSourceIds: readonly string[],
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = []
  plans.forEach((plan, i) => {
    const result = validateFilePlan(plan)
    if (!result.ok) {
      for (const issue of result.issues) {
        problems.push({ path: `trackingPlans.${i}.${issue.path}`, message: issue.message })
      }
    }
  })
  return [
    ...problems,
    ...checkPlanLinks(
      plans.map((plan, index) => ({ plan, index })),
      fileSourceIds,
    ),
  ]
}

/**
 * The checks across plans: plan ids are unique, a source is connected to at most one plan,
 * and, when the file defines sources (`fileSourceIds` non-empty), every connected source and
 * `forwardViolationsTo` is one of them. `index` is the plan's position in `trackingPlans`.
 */
export function checkPlanLinks(
  plans: ReadonlyArray<{ plan: TrackingPlanConfig; index: number }>,
  fileSourceIds: readonly string[],
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = []
  const ids = new Map<string, number>()
  const connected = new Map<string, string>()
  const known = new Set(fileSourceIds)
  for (const { plan, index } of plans) {
    const at = `trackingPlans.${index}`
    const first = ids.get(plan.id)
    if (first !== undefined) {
      problems.push({
        path: `${at}.id`,
        message: `duplicate plan id ${plan.id} (as trackingPlans.${first})`,
      })
    } else {
      ids.set(plan.id, index)
    }
    plan.sources.forEach((source, j) => {
      const where = `${at}.sources.${j}`
      const other = connected.get(source.id)
      if (other !== undefined) {
        problems.push({
          path: `${where}.id`,
          message: `source ${source.id} is already connected to plan ${other} (a source has at most one plan)`,
        })
      } else {
        connected.set(source.id, plan.id)
      }
      if (known.size > 0 && !known.has(source.id)) {
        problems.push({
          path: `${where}.id`,
          message: `unknown source ${source.id} (not in sources)`,
        })
      }
      const forward = source.enforcement.forwardViolationsTo
      if (known.size > 0 && forward !== undefined && !known.has(forward)) {
        problems.push({
          path: `${where}.enforcement.forwardViolationsTo`,
          message: `unknown source ${forward} (not in sources)`,
        })
      }
    })
  }
  return problems
}
