/**
 * One batch of identity resolution (README.md, "Batches, late events and rebuilds"): in one
 * `IdentityStore.transact`, resolves the stored events after the consumer's offset and commits
 * the offset to the batch's last seq. The state written is the one that processing every event
 * in order-key order from an empty graph gives, whatever the arrival order.
 */
import type { Clock } from '../platform/clock.js'
import { toResolvable } from './engine-input.js'
import { planBatch, type BatchPlan } from './engine-plan.js'
import { appendWrite, rebuildComponents, type RebuildGroup } from './engine-rebuild.js'
import { eventKeys, IdentityEngine, type ResolvableEvent } from './engine.js'
import type { GraphWrite, IdentityStore, IdentityTx } from './identity-store.js'
import type { Collection, IdentifierKey, IdentitySourceEvent } from './model.js'
import type { IdentityRules } from './rules.js'

export interface ResolveBatchOptions {
  store: IdentityStore
  rules: IdentityRules
  /** Consumer name of the offset. */
  consumer: string
  /** Stored events, ascending by seq (as `IdentityStore.readEvents` returns them). */
  events: readonly IdentitySourceEvent[]
  clock: Clock
}

export interface ResolveBatchResult {
  /** The committed offset after the batch. */
  offset: number
  /** New events resolved (at or below the offset, or already recorded, are not). */
  events: number
  /** Events skipped as already applied (at or below the offset, or recorded: a replay). */
  skipped: number
  profilesCreated: number
  /** Profiles merged away. */
  merges: number
  /** Rebuilt groups of components (late events). */
  rebuilds: number
}

const COLLECTIONS: readonly Collection[] = ['users', 'accounts']

/**
 * Resolves `events` in one transaction: skips those at or below the committed offset; parses
 * and extracts the rest; loads the slice of the graph they touch (one `loadSlice` per
 * collection, plus one for overrides when a merge of stored profiles is possible); groups them
 * by the components they touch; resolves groups whose events all sort after the group's stored
 * `maxKey` on the loaded state (fast path) and rebuilds the others from their whole components
 * (`loadComponents`; reason `late-event`); writes everything at once and commits the offset.
 * Idempotent: a replayed event is either at or below the offset or, when recorded under another
 * consumer's offset, sorts at or before its component's `maxKey`, so its group is rebuilt, and
 * the rebuild finds it recorded and skips it. Rejects (and keeps nothing) when the store fails.
 */
export async function resolveBatch(options: ResolveBatchOptions): Promise<ResolveBatchResult> {
  const { store, consumer } = options
  return store.transact(async (tx) => {
    const committed = await tx.offset(consumer)
    const fresh = options.events.filter((e) => e.seq > committed)
    const result: ResolveBatchResult = {
      offset: committed,
      events: fresh.length,
      skipped: options.events.length - fresh.length,
      profilesCreated: 0,
      merges: 0,
      rebuilds: 0,
    }
    if (fresh.length === 0) return result
    const units: ResolvableEvent[] = []
    for (const event of fresh) {
      const unit = toResolvable(event, options.rules)
      if (unit !== null) units.push(unit)
    }
    await resolveUnits(tx, units, options, result)
    const last = fresh[fresh.length - 1] as IdentitySourceEvent
    await tx.commitOffset(consumer, last.seq)
    result.offset = last.seq
    return result
  })
}

async function resolveUnits(
  tx: IdentityTx,
  units: ResolvableEvent[],
  options: ResolveBatchOptions,
  result: ResolveBatchResult,
): Promise<void> {
  const now = options.clock.now()
  const engine = new IdentityEngine({ rules: options.rules, now })
  await loadSlices(tx, units, engine)
  const plan = planBatch(engine, units)
  if (plan.overrideKeys.users.length + plan.overrideKeys.accounts.length > 0) {
    for (const collection of COLLECTIONS) {
      const keys = plan.overrideKeys[collection]
      if (keys.length > 0) engine.addOverrides((await tx.loadSlice(collection, keys)).overrides)
    }
  }
  for (const { collection, unit } of plan.fast) engine.resolveIn(collection, unit)
  const write = engine.write()
  result.profilesCreated += engine.stats.profilesCreated
  result.merges += engine.stats.merges
  if (plan.rebuild.length > 0) await rebuild(tx, plan, { options, now, write, result })
  await tx.write(write)
}

async function rebuild(
  tx: IdentityTx,
  plan: BatchPlan,
  ctx: {
    options: ResolveBatchOptions
    now: number
    write: GraphWrite
    result: ResolveBatchResult
  },
): Promise<void> {
  const groups: RebuildGroup[] = plan.rebuild
  const load = await tx.loadComponents([...new Set(groups.flatMap((g) => g.componentIds))])
  const outcome = rebuildComponents({
    rules: ctx.options.rules,
    load,
    groups,
    reason: 'late-event',
    actor: null,
    now: ctx.now,
  })
  appendWrite(ctx.write, outcome.write)
  ctx.result.skipped += outcome.replayed
  ctx.result.events -= outcome.replayed
  ctx.result.profilesCreated += outcome.profilesCreated
  ctx.result.merges += outcome.profilesRemoved
  ctx.result.rebuilds += groups.length
  for (const record of outcome.records) await tx.recordRebuild(record)
}

/** One `loadSlice` per collection with the keys of the batch, seeded into the engine. */
async function loadSlices(
  tx: IdentityTx,
  units: readonly ResolvableEvent[],
  engine: IdentityEngine,
): Promise<void> {
  for (const collection of COLLECTIONS) {
    const keys = new Set<IdentifierKey>()
    for (const unit of units) {
      if ((collection === 'users' ? unit.users : unit.accounts).length === 0) continue
      for (const key of eventKeys(unit, collection)) keys.add(key)
    }
    if (keys.size === 0) continue
    engine.seed(collection, await tx.loadSlice(collection, [...keys]))
  }
}
