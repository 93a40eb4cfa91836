/**
 * A destination's filters (segment-compat.md §6.1), compiled once and applied to every event
 * on its way to that destination.
 */
import type { JsonObject, SegmentEvent } from '../../protocol/index.js'
import type { DeliveryEvent, DestinationFilter, FilterAction } from '../model.js'
import { allowKeys, dropKeys, editAt, fieldPath, type ObjectEdit } from './field-edits.js'
import { compileFql, compilePath } from './fql.js'
import { keepSample } from './sampling.js'

/** What the filters made of one event: kept (possibly edited) or dropped, with a reason. */
export type FilterOutcome = { kept: DeliveryEvent } | { dropped: string }

export interface CompiledFilters {
  /**
   * Problems found while compiling (FQL that does not parse, an invalid action), one line
   * each, for config validation. A filter with a problem drops every event it sees.
   */
  readonly problems: string[]
  /**
   * Runs the enabled filters in order; each whose condition matches applies its actions in
   * Segment's order: drop, sample, drop_properties, allow_properties. Later filters see the
   * event as earlier ones left it. Reasons are `filter:<id>:drop`, `filter:<id>:sample`,
   * `filter:<id>:invalid-fql`, `filter:<id>:invalid-action` and `filter:<id>:fql-error`
   * (the condition failed to evaluate). The input is never mutated: when properties change,
   * `kept` is a new object with a new `event` (only the edited objects copied) and
   * `json: null`; otherwise `kept` is the input itself.
   */
  apply(event: DeliveryEvent): FilterOutcome
}

export interface CompileFiltersOptions {
  /** The random source for sampling without a path, in [0, 1). Default `Math.random`. */
  random?: () => number
}

/** One compiled step: the event it leaves, or the reason it drops the event. */
type Step = (event: SegmentEvent) => SegmentEvent | string

type CompiledFilter =
  | { id: string; matches: (event: object) => boolean | null; steps: Step[] }
  | { id: string; broken: string }

const ACTION_ORDER: Record<FilterAction['type'], number> = {
  drop: 0,
  sample: 1,
  drop_properties: 2,
  allow_properties: 3,
}

/**
 * Compiles filters once (FQL included). Disabled filters are skipped but their problems are
 * still reported. With no enabled filter, `apply` returns its input at once.
 *
 * @example
 * const filters = compileFilters(destination.filters)
 * const outcome = filters.apply(deliveryEvent)
 * if ('dropped' in outcome) skip(outcome.dropped)
 */
export function compileFilters(
  filters: readonly DestinationFilter[],
  options: CompileFiltersOptions = {},
): CompiledFilters {
  const random = options.random ?? Math.random
  const problems: string[] = []
  const active: CompiledFilter[] = []
  for (const filter of filters) {
    const compiled = compileFilter(filter, random, problems)
    if (filter.enabled) active.push(compiled)
  }
  if (active.length === 0) return { problems, apply: (event) => ({ kept: event }) }
  return { problems, apply: (event) => applyAll(active, event) }
}

function applyAll(filters: readonly CompiledFilter[], input: DeliveryEvent): FilterOutcome {
  let event = input.event
  for (const filter of filters) {
    if ('broken' in filter) return { dropped: `filter:${filter.id}:${filter.broken}` }
    const matched = filter.matches(event)
    if (matched === null) return { dropped: `filter:${filter.id}:fql-error` }
    if (!matched) continue
    for (const step of filter.steps) {
      const result = step(event)
      if (typeof result === 'string') return { dropped: result }
      event = result
    }
  }
  return event === input.event ? { kept: input } : { kept: { ...input, event, json: null } }
}

function compileFilter(
  filter: DestinationFilter,
  random: () => number,
  problems: string[],
): CompiledFilter {
  const label = `filter '${filter.id}'${filter.enabled ? '' : ' (disabled)'}`
  const fql = compileFql(filter.if)
  if (!fql.ok) {
    problems.push(`${label}: invalid FQL: ${fql.error}`)
    return { id: filter.id, broken: 'invalid-fql' }
  }
  const ordered = [...filter.actions].sort((a, b) => ACTION_ORDER[a.type] - ACTION_ORDER[b.type])
  const steps: Step[] = []
  for (const action of ordered) {
    const step = compileAction(filter.id, action, random)
    if (typeof step === 'string') {
      problems.push(`${label}: ${step}`)
      return { id: filter.id, broken: 'invalid-action' }
    }
    steps.push(step)
  }
  return { id: filter.id, matches: fql.matches, steps }
}

/** A step for one action, or a problem. */
function compileAction(id: string, action: FilterAction, random: () => number): Step | string {
  switch (action.type) {
    case 'drop':
      return () => `filter:${id}:drop`
    case 'sample':
      return compileSample(id, action, random)
    case 'drop_properties':
      return compileFieldEdits(action.fields, dropKeys)
    case 'allow_properties':
      return compileFieldEdits(action.fields, allowKeys)
  }
}

function compileSample(
  id: string,
  action: Extract<FilterAction, { type: 'sample' }>,
  random: () => number,
): Step | string {
  const { percent, path } = action
  if (!(percent >= 0 && percent <= 1)) return `sample percent must be within 0..1, got ${percent}`
  const reason = `filter:${id}:sample`
  if (path === undefined || path === '') {
    return (event) => (keepSample(null, percent, random) ? event : reason)
  }
  const read = compilePath(fieldPath(path))
  return (event) => (keepSample(read(event), percent, random) ? event : reason)
}

function compileFieldEdits(
  fields: Record<string, string[]>,
  makeEdit: (keys: readonly string[]) => ObjectEdit,
): Step {
  const edits = Object.entries(fields).map(([path, keys]) => ({
    path: fieldPath(path),
    edit: makeEdit(keys),
  }))
  return (event) => {
    let result: JsonObject = event
    for (const { path, edit } of edits) result = editAt(result, path, edit)
    // Segment's filters may remove any field, `type` and `messageId` included; the engine
    // keeps its own copy of those in DeliveryEvent, and drivers read `event` as JSON.
    return result as SegmentEvent
  }
}
