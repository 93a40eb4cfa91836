import { compilePlan, type CompiledPlan } from './enforce-compile.js'
import type { SourceEnforcement } from './enforce.js'
import { OPEN_GATE, type Gate, type GateStep } from './gate.js'
import type { ActivePlan, ActivePlans } from './model.js'
import { createPlanStep } from './plan-step.js'

/** Gives the store step the gate to use for its next batch. */
export interface GateProvider {
  /**
   * The gate for the next batch: rebuilt only when {@link ActivePlans.stamp} changed since the
   * last call (one cheap read per batch otherwise). Rejects when the plans cannot be read; the
   * batch then fails and is retried, so no event is ever checked against a plan it was not
   * meant for, nor let through unchecked.
   */
  current(): Promise<Gate>
}

/**
 * Builds the gate from the active plans: one `plan` step over every source with a plan, or
 * the open gate when none has one. Plans are compiled once per `(id, revision)` and the
 * compiled form is reused across stamps. `onProblem` hears about rules that did not compile.
 */
export function createPlanGateProvider(
  plans: ActivePlans,
  options: { onProblem?: (message: string) => void } = {},
): GateProvider {
  let stamp: number | null = null
  let gate: Gate = OPEN_GATE
  let compiled = new Map<string, CompiledPlan>()
  return {
    async current() {
      const next = await plans.stamp()
      if (next === stamp) return gate
      const active = await plans.active()
      const kept = new Map<string, CompiledPlan>()
      const bySource = new Map<string, SourceEnforcement>()
      for (const { sourceId, plan, enforcement } of active) {
        const key = `${plan.id}\u0000${plan.revision}`
        let entry = kept.get(key) ?? compiled.get(key)
        if (!entry) {
          entry = compilePlan(plan)
          for (const problem of entry.problems) options.onProblem?.(`plan ${plan.id}: ${problem}`)
        }
        kept.set(key, entry)
        bySource.set(sourceId, { sourceId, compiled: entry, enforcement })
      }
      compiled = kept
      gate = bySource.size === 0 ? OPEN_GATE : { steps: [createPlanStep(bySource)] }
      stamp = next
      return gate
    },
  }
}

/**
 * A provider whose gate is `base`'s steps followed by the step `after()` gives, if any: the
 * `pii` step runs after the `plan` step (plans check what the client sent, PII rules then
 * rewrite what is stored). `after` is read once per batch, so a new step applies from the next
 * batch on; the combined gate is rebuilt only when the base gate or the step changed (by
 * identity). With no step it is `base`'s gate itself (no cost). Rejects when `base` does.
 */
export function appendGateStep(base: GateProvider, after: () => GateStep | null): GateProvider {
  let lastBase: Gate | null = null
  let lastStep: GateStep | null = null
  let gate: Gate = OPEN_GATE
  return {
    async current() {
      const first = await base.current()
      const step = after()
      if (first === lastBase && step === lastStep) return gate
      gate = step === null ? first : { steps: [...first.steps, step] }
      lastBase = first
      lastStep = step
      return gate
    },
  }
}

/**
 * An {@link ActivePlans} held in memory: the null object when nothing provides plans, the
 * copy a worker thread keeps of what the main thread sends, and a test double. `set` replaces
 * the plans and moves the stamp (to `stamp` when given, else by one).
 */
export class MemoryActivePlans implements ActivePlans {
  private current: ActivePlan[]
  private counter: number

  constructor(plans: ActivePlan[] = [], stamp = 0) {
    this.current = plans
    this.counter = stamp
  }

  set(plans: ActivePlan[], stamp?: number): void {
    this.current = plans
    this.counter = stamp ?? this.counter + 1
  }

  stamp(): Promise<number> {
    return Promise.resolve(this.counter)
  }

  active(): Promise<ActivePlan[]> {
    return Promise.resolve(this.current)
  }
}
