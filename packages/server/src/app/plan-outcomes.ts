import type { ActivePlans, QuarantineStore } from '../plans/index.js'
import type { PlanOutcomes } from '../quality/index.js'

/**
 * The data-quality view of plan enforcement: `plan_stats` rows of the sources that have a
 * tracking plan now. `null` (pass share unknown, not 0) when the filter's source, or every
 * source when none is given, has no plan. Reads a snapshot; never waits for the store step.
 */
export function planOutcomesOf(plans: ActivePlans, quarantine: QuarantineStore): PlanOutcomes {
  return {
    async outcomes(filter) {
      const connected = new Set((await plans.active()).map((a) => a.sourceId))
      const sources =
        filter.sourceId === undefined
          ? [...connected]
          : connected.has(filter.sourceId)
            ? [filter.sourceId]
            : []
      if (sources.length === 0) return null
      const rows = []
      for (const sourceId of sources) {
        for (const row of await quarantine.planStats(sourceId, filter.since, filter.until)) {
          if (filter.eventName !== undefined && row.eventName !== filter.eventName) continue
          rows.push({ sourceId, ...row })
        }
      }
      return rows.sort((a, b) => a.minute - b.minute)
    },
  }
}
