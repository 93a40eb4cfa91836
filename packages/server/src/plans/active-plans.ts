/**
 * {@link ActivePlans} over both homes of plans: the plan store and the config file.
 *
 * The file wins: a stored plan whose id the file defines is hidden, and a stored connection
 * of a source the file connects is ignored. The stamp is the store's stamp plus a file
 * generation that {@link FileAwareActivePlans.fileChanged} increments on every config
 * reload; both only grow, so the sum grows whenever either changes. A reader in another
 * thread or process builds its own instance from the same file plans (the store stamp is
 * shared through the database; file plans are posted to it with each config change).
 */
import type { TrackingPlanConfig } from './config.js'
import { fileConnections, toManagedPlan } from './file-plans.js'
import type { ActivePlan, ActivePlans } from './model.js'
import type { PlanStore } from './plan-store.js'

export interface FileAwareActivePlans extends ActivePlans {
  /** Call after the file plans changed (config reload); moves the stamp. */
  fileChanged(): void
}

export interface ActivePlansOptions {
  store: Pick<PlanStore, 'stamp' | 'active'>
  /** The file's plans, read at each call; null or empty when the file defines none. */
  filePlans: () => readonly TrackingPlanConfig[] | null
  /** When the file was loaded (epoch ms), for the managed plans' timestamps. */
  loadedAt: () => number
}

export function createActivePlans(options: ActivePlansOptions): FileAwareActivePlans {
  let generation = 0
  return {
    async stamp() {
      return (await options.store.stamp()) + generation
    },
    async active() {
      const file = options.filePlans() ?? []
      const stored = await options.store.active()
      if (file.length === 0) return stored
      const fileIds = new Set(file.map((p) => p.id))
      const byId = new Map(file.map((p) => [p.id, toManagedPlan(p, options.loadedAt())]))
      const fromFile: ActivePlan[] = fileConnections(file).flatMap((c) => {
        const plan = byId.get(c.planId)
        return plan ? [{ sourceId: c.sourceId, plan, enforcement: c.enforcement }] : []
      })
      const taken = new Set(fromFile.map((a) => a.sourceId))
      const kept = stored.filter((a) => !taken.has(a.sourceId) && !fileIds.has(a.plan.id))
      return [...fromFile, ...kept].sort((a, b) => a.sourceId.localeCompare(b.sourceId))
    },
    fileChanged() {
      generation += 1
    },
  }
}
