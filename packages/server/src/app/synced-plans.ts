import type { PlanService } from '../plans/index.js'

/**
 * The plan service as the admin API uses it: every change resolves only after `refresh` handed
 * the new plans to the store step, so an event acknowledged after the API's answer is enforced
 * with them (the store worker otherwise learns of changes at its next poll, up to 500 ms later).
 * Reads pass through. A failed change is not refreshed; a failed refresh fails the call (the
 * change is stored and reaches the store step at the next poll).
 */
export function syncedPlanService(plans: PlanService, refresh: () => Promise<void>): PlanService {
  async function after<R>(change: Promise<R>): Promise<R> {
    const result = await change
    await refresh()
    return result
  }
  return {
    ...plans,
    create: (input, author) => after(plans.create(input, author)),
    update: (id, input, author) => after(plans.update(id, input, author)),
    replaceRules: (id, rules, author) => after(plans.replaceRules(id, rules, author)),
    upsertRules: (id, rules, author) => after(plans.upsertRules(id, rules, author)),
    deleteRules: (id, refs, author) => after(plans.deleteRules(id, refs, author)),
    remove: (id) => after(plans.remove(id)),
    connect: (id, sourceId, enforcement) => after(plans.connect(id, sourceId, enforcement)),
    updateEnforcement: (id, sourceId, patch) => after(plans.updateEnforcement(id, sourceId, patch)),
    disconnect: (id, sourceId) => after(plans.disconnect(id, sourceId)),
  }
}
