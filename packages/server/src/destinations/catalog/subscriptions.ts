/**
 * Which subscriptions a catalog destination runs, whether they are valid, and how they batch.
 *
 * - A config with subscriptions runs its enabled ones; a mapping takes the action's defaults
 *   for the fields it leaves out (as Segment's UI pre-fills them).
 * - A config with none runs the catalog's "default setup": the presets of type `automatic`
 *   whose action exists (Amplitude's device-mode `sessionId` preset, for one, does not).
 * - Subscriptions whose action has `performBatch` (and whose mapping does not set
 *   `enable_batching: false`) go through `onBatch`; the others through `onEvent`.
 */
import type { DestinationConfig } from '../model.js'
import type { CoreSubscription, DestinationDefinition, Runtime } from './core.js'

/** Largest batch given to one `performBatch`; and the size when the mapping names none. */
export const MAX_CATALOG_BATCH = 1000
export const DEFAULT_CATALOG_BATCH = 100

/** Keys actions-core reads from mappings besides the action's fields. */
const INTERNAL_KEY = /^__segment_internal_/

function withDefaults(
  runtime: Runtime,
  definition: DestinationDefinition,
  action: string,
  mapping: Record<string, unknown>,
): Record<string, unknown> {
  const fields = definition.actions[action]?.fields ?? {}
  return { ...runtime.core.defaultValues(fields), ...mapping }
}

/** The catalog's default setup: automatic presets whose action exists. */
export function defaultSubscriptions(
  runtime: Runtime,
  definition: DestinationDefinition,
): CoreSubscription[] {
  return (definition.presets ?? []).flatMap((preset) => {
    const action = preset.partnerAction
    if (preset.type !== 'automatic' || !action || !preset.subscribe) return []
    if (!(action in definition.actions)) return []
    const mapping = withDefaults(runtime, definition, action, preset.mapping ?? {})
    return [{ name: preset.name, partnerAction: action, subscribe: preset.subscribe, mapping }]
  })
}

/** What the driver runs for `config` (unknown actions left out: `validate` reports them). */
export function effectiveSubscriptions(
  runtime: Runtime,
  definition: DestinationDefinition,
  config: DestinationConfig,
): CoreSubscription[] {
  if (config.subscriptions.length === 0) return defaultSubscriptions(runtime, definition)
  return config.subscriptions
    .filter((s) => s.enabled && s.partnerAction in definition.actions)
    .map((s) => ({
      name: s.name,
      partnerAction: s.partnerAction,
      subscribe: s.subscribe,
      mapping: withDefaults(runtime, definition, s.partnerAction, s.mapping),
    }))
}

/** The message of a mapping-kit error without the stack it embeds in it. */
function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '))
    .map((line) => line.replace(/^\w*Error: /, ''))
    .join('; ')
}

function missing(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

function checkMapping(
  runtime: Runtime,
  definition: DestinationDefinition,
  sub: CoreSubscription,
  path: string,
): string[] {
  const fields = definition.actions[sub.partnerAction]?.fields ?? {}
  const problems: string[] = []
  for (const [key, field] of Object.entries(fields)) {
    if (field.required === true && missing(sub.mapping[key])) {
      problems.push(`${path}.mapping.${key}: required by action '${sub.partnerAction}'`)
    }
  }
  for (const key of Object.keys(sub.mapping)) {
    if (!(key in fields) && !INTERNAL_KEY.test(key)) {
      problems.push(`${path}.mapping.${key}: not a field of action '${sub.partnerAction}'`)
    }
  }
  try {
    runtime.core.transform(sub.mapping, {})
  } catch (error) {
    problems.push(`${path}.mapping: ${firstLines(error)}`)
  }
  return problems
}

/** Problems of `config`'s subscriptions against `definition`, as `path: message` strings. */
export function validateSubscriptions(
  runtime: Runtime,
  definition: DestinationDefinition,
  config: DestinationConfig,
): string[] {
  if (config.subscriptions.length === 0) {
    return defaultSubscriptions(runtime, definition).length > 0
      ? []
      : ['subscriptions: required (this destination has no default setup)']
  }
  const known = Object.keys(definition.actions)
  return config.subscriptions.flatMap((s, i) => {
    const path = `subscriptions[${i}]`
    if (!(s.partnerAction in definition.actions)) {
      return [`${path}.partnerAction: unknown action '${s.partnerAction}' (${known.join(', ')})`]
    }
    const problems: string[] = []
    const parsed = runtime.parseFql(s.subscribe)
    if (parsed.error) {
      problems.push(
        `${path}.subscribe: invalid FQL ${JSON.stringify(s.subscribe)} (${parsed.error.message})`,
      )
    }
    const mapping = withDefaults(runtime, definition, s.partnerAction, s.mapping)
    return [...problems, ...checkMapping(runtime, definition, { ...s, mapping }, path)]
  })
}

/** The subscriptions split by how they run, and the batch size to ask the engine for. */
export interface BatchPlan {
  batched: CoreSubscription[]
  single: CoreSubscription[]
  /** 1 when nothing batches; else the smallest batch size of the batched subscriptions. */
  maxBatchSize: number
}

function batchSizeOf(definition: DestinationDefinition, sub: CoreSubscription): number {
  const declared = definition.actions[sub.partnerAction]?.fields.batch_size?.default
  const size = [sub.mapping.batch_size, declared].find((v) => typeof v === 'number' && v >= 1)
  return Math.min(
    MAX_CATALOG_BATCH,
    Math.floor((size as number | undefined) ?? DEFAULT_CATALOG_BATCH),
  )
}

export function planBatches(
  definition: DestinationDefinition,
  subscriptions: readonly CoreSubscription[],
): BatchPlan {
  const batched: CoreSubscription[] = []
  const single: CoreSubscription[] = []
  for (const sub of subscriptions) {
    const action = definition.actions[sub.partnerAction]
    const batches =
      typeof action?.performBatch === 'function' && sub.mapping.enable_batching !== false
    ;(batches ? batched : single).push(sub)
  }
  const sizes = batched.map((sub) => batchSizeOf(definition, sub))
  return { batched, single, maxBatchSize: sizes.length > 0 ? Math.min(...sizes) : 1 }
}
