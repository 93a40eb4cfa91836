/**
 * The driver of one configured catalog destination: one actions-core `Destination`, created
 * once, run with the config's subscriptions (or the catalog's default setup).
 *
 * - Ordering: events are handled in the order given. Subscriptions whose action has
 *   `performBatch` get the events in one `onBatch` call per chunk (at most the smallest batch
 *   size of those subscriptions); the others get one `onEvent` per event, one after another.
 * - Outcomes: one per event. A batch's per-event multistatus gives per-event outcomes; a thrown
 *   batch gives the same outcome to every event of the chunk. See `outcomes.ts`.
 * - HTTP: every request goes through `deps.http` (the bridge), with `ctx.timeoutMs` and
 *   `ctx.signal`; actions-core's own 10 s timer is off because a signal is passed.
 * - Memory: `destination.responses` is cleared after every call (actions-core never does).
 * - Secrets: error messages and samples are masked (`mask.ts`).
 * - Deletion: `deleteSubject` exists when the definition has `onDelete` (`deletion.ts`).
 */
import type { DeliveryContext, DeliveryOutcome, DestinationDriver, DriverDeps } from '../driver.js'
import { forwardDeletion } from './deletion.js'
import type { DeliveryEvent, DestinationConfig } from '../model.js'
import { createBridgeContext, installBridge, runWithHttp } from './bridge.js'
import {
  loadRuntime,
  type CoreDestination,
  type CoreResult,
  type CoreSubscription,
  type DestinationDefinition,
} from './core.js'
import { createMasker, type Masker } from './mask.js'
import {
  combineOutcomes,
  createOutcomeContext,
  outcomeOfEntry,
  outcomeOfError,
  outcomeOfResults,
  type OutcomeContext,
} from './outcomes.js'
import { effectiveSubscriptions, planBatches } from './subscriptions.js'

export interface CatalogDriverOptions {
  definition: DestinationDefinition
  config: DestinationConfig
  /** Settings after the kind's schema (defaults applied). */
  settings: Record<string, unknown>
  /** Setting keys whose values are masked. */
  secrets: readonly string[]
  deps: DriverDeps
}

type CallResult =
  | { ok: true; results: CoreResult[]; oc: OutcomeContext }
  | { ok: false; error: unknown; oc: OutcomeContext }

interface Runner {
  /** One event through `onEvent` with `subs`. */
  single(
    event: DeliveryEvent,
    subs: CoreSubscription[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome>
  /** Events through one `onBatch` with `subs` (all batch-capable); one outcome per event. */
  batch(
    events: readonly DeliveryEvent[],
    subs: CoreSubscription[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]>
}

function createRunner(
  destination: CoreDestination,
  settings: Record<string, unknown>,
  mask: Masker,
  deps: DriverDeps,
): Runner {
  const runtime = loadRuntime()
  /** Runs one actions-core call inside its own bridge context; never throws. */
  async function call(fn: () => Promise<CoreResult[]>, ctx: DeliveryContext): Promise<CallResult> {
    const bridge = createBridgeContext(deps.http, ctx.timeoutMs)
    const oc = () =>
      createOutcomeContext({ runtime, now: deps.clock.now(), mask, exchange: bridge.last })
    try {
      const results = await runWithHttp(bridge, fn)
      return { ok: true, results, oc: oc() }
    } catch (error) {
      return { ok: false, error, oc: oc() }
    } finally {
      destination.responses.length = 0
    }
  }
  return {
    async single(event, subs, ctx) {
      const run = () =>
        destination.onEvent(
          event.event,
          { ...settings, subscriptions: subs },
          { signal: ctx.signal },
        )
      const r = await call(run, ctx)
      return r.ok ? outcomeOfResults(r.results, r.oc) : outcomeOfError(r.error, r.oc)
    },
    async batch(events, subs, ctx) {
      const all = events.map((e) => e.event)
      const run = () =>
        destination.onBatch(all, { ...settings, subscriptions: subs }, { signal: ctx.signal })
      const r = await call(run, ctx)
      if (!r.ok) {
        const shared = outcomeOfError(r.error, r.oc)
        return events.map(() => shared)
      }
      return events.map((_, i) =>
        combineOutcomes(
          r.results.flatMap((result) => {
            const entry = result.multistatus?.[i]
            const part = entry ? outcomeOfEntry(entry, r.oc) : null
            return part ? [part] : []
          }),
        ),
      )
    },
  }
}

/** Builds the driver. Sends nothing; a settings problem fails every delivery (`INVALID_SETTINGS`). */
export function createCatalogDriver(options: CatalogDriverOptions): DestinationDriver {
  const { definition, config, settings, deps } = options
  const runtime = loadRuntime()
  installBridge()
  const destination = new runtime.core.Destination(definition)
  const subscriptions = effectiveSubscriptions(runtime, definition, config)
  const plan = planBatches(definition, subscriptions)
  const mask = createMasker(settings, options.secrets)
  const settingsError = checkSettings(() => destination.validateSettings(settings))
  const runner = createRunner(destination, settings, mask, deps)
  let closed = false

  async function deliverAll(
    events: readonly DeliveryEvent[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]> {
    const useBatch = events.length > 1 && plan.batched.length > 0
    const singles = useBatch ? plan.single : subscriptions
    const parts: DeliveryOutcome[][] = events.map(() => [])
    if (useBatch) {
      for (let start = 0; start < events.length; start += plan.maxBatchSize) {
        const chunk = events.slice(start, start + plan.maxBatchSize)
        const outcomes = await runner.batch(chunk, plan.batched, ctx)
        outcomes.forEach((o, i) => parts[start + i]!.push(o))
      }
    }
    if (singles.length > 0) {
      for (const [i, event] of events.entries()) {
        parts[i]!.push(await runner.single(event, singles, ctx))
      }
    }
    return parts.map((p) => combineOutcomes(p))
  }

  return {
    async deliver(events, ctx) {
      if (closed) throw new Error(`catalog destination '${config.id}' is closed`)
      if (settingsError !== null) {
        const error = { code: 'INVALID_SETTINGS', message: mask(settingsError) }
        return events.map((): DeliveryOutcome => ({ status: 'failed', error }))
      }
      if (subscriptions.length === 0) {
        const reason = 'no enabled subscription'
        return events.map((): DeliveryOutcome => ({ status: 'skipped', reason }))
      }
      return deliverAll(events, ctx)
    },
    ...(destination.onDelete === undefined
      ? {}
      : {
          deleteSubject: (request, ctx) => {
            if (settingsError !== null) {
              const error = { code: 'INVALID_SETTINGS', message: mask(settingsError) }
              return Promise.resolve({ status: 'failed' as const, error })
            }
            return forwardDeletion({
              destination,
              runtime,
              settings,
              mask,
              deps,
              request,
              ctx,
            })
          },
        }),
    close() {
      closed = true
      return Promise.resolve()
    },
  }
}

function checkSettings(validate: () => void): string | null {
  try {
    validate()
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
