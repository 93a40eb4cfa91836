/**
 * Drafts a tracking plan from the observed schema: one TRACK rule per observed track event,
 * one IDENTIFY and one GROUP rule from the traits seen, one PAGE and one SCREEN rule (no key:
 * every page or screen) from the properties seen. A field's schema type is the union of the
 * JSON types observed (integer and number merge into number; null stays allowed when seen);
 * a field is `required` when it appears in at least 99% of its parent's occurrences (outside
 * arrays, where occurrences are per element). Pure; the result is a plan body the plans API
 * can create.
 */
import type { EventRow, FieldRow, TypeCounts } from './model.js'

export const REQUIRED_SHARE = 0.99

/**
 * A rule of the draft: the shape of `PlanRule` in plans/model.ts (the plans folder has no
 * index yet, so it is restated here; draft-plan.test.ts checks the two stay assignable).
 */
export type RuleType = 'COMMON' | 'TRACK' | 'IDENTIFY' | 'GROUP' | 'PAGE' | 'SCREEN'
export interface PlanRule {
  type: RuleType
  key?: string
  jsonSchema: Record<string, unknown>
}

export interface DraftPlan {
  name: string
  description: string
  rules: PlanRule[]
}

interface Node {
  types: TypeCounts
  /** Events holding the field (parents: the event's occurrences). */
  events: number
  inArray: boolean
  children: Map<string, Node>
}

const newNode = (events: number, inArray: boolean): Node => ({
  types: {},
  events,
  inArray,
  children: new Map(),
})

function addTypes(into: TypeCounts, from: TypeCounts): void {
  for (const [t, n] of Object.entries(from) as [keyof TypeCounts, number][]) {
    into[t] = (into[t] ?? 0) + n
  }
}

/** The JSON Schema of one node. */
function schemaOf(node: Node): Record<string, unknown> {
  const seen = new Set(Object.keys(node.types))
  if (seen.has('integer') && seen.has('number')) seen.delete('integer')
  const types = [...seen]
  const out: Record<string, unknown> = {}
  if (types.length === 1) out.type = types[0]
  else if (types.length > 1) out.type = types.sort()
  if (seen.has('object') && node.children.size > 0) {
    const properties: Record<string, unknown> = {}
    const required: string[] = []
    for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (key === '$') continue
      properties[key] = schemaOf(child)
      if (!child.inArray && node.events > 0 && child.events >= REQUIRED_SHARE * node.events) {
        required.push(key)
      }
    }
    out.properties = properties
    if (required.length > 0) out.required = required
  }
  const items = node.children.get('$')
  if (seen.has('array') && items) out.items = schemaOf(items)
  return out
}

/** A tree of the rows' paths under `section` (`properties` or `traits`). */
function treeOf(rows: readonly FieldRow[], section: string, occurrences: number): Node {
  const root = newNode(occurrences, false)
  root.types = { object: occurrences }
  for (const row of rows) {
    const parts = row.path.split('.')
    if (parts[0] !== section) continue
    let node = root
    let inArray = false
    for (const part of parts.slice(1)) {
      if (part === '$') inArray = true
      let child = node.children.get(part)
      if (!child) {
        child = newNode(0, inArray)
        node.children.set(part, child)
      }
      node = child
    }
    addTypes(node.types, row.types)
    node.events += row.events
  }
  return root
}

function rule(
  type: RuleType,
  key: string | undefined,
  section: string,
  rows: FieldRow[],
  occurrences: number,
): PlanRule {
  const sectionSchema = schemaOf(treeOf(rows, section, occurrences))
  const jsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { [section]: sectionSchema },
  }
  return key === undefined ? { type, jsonSchema } : { type, key, jsonSchema }
}

/**
 * The draft plan of a source. `events` and `fields` are the source's inventory rows. Rules come
 * in a stable order: IDENTIFY, GROUP, PAGE, SCREEN, then TRACK by event name.
 */
export function draftPlan(
  sourceName: string,
  events: readonly EventRow[],
  fields: readonly FieldRow[],
): DraftPlan {
  const rowsOf = (type: string, name?: string) =>
    fields.filter((f) => f.eventType === type && (name === undefined || f.eventName === name))
  const countOf = (type: string, name?: string) =>
    events
      .filter((e) => e.eventType === type && (name === undefined || e.eventName === name))
      .reduce((n, e) => n + e.count, 0)
  const rules: PlanRule[] = []
  const add = (type: RuleType, eventType: string, section: string) => {
    const n = countOf(eventType)
    if (n > 0) rules.push(rule(type, undefined, section, mergeByPath(rowsOf(eventType)), n))
  }
  add('IDENTIFY', 'identify', 'traits')
  add('GROUP', 'group', 'traits')
  add('PAGE', 'page', 'properties')
  add('SCREEN', 'screen', 'properties')
  const tracks = events
    .filter((e) => e.eventType === 'track')
    .sort((a, b) => (a.eventName < b.eventName ? -1 : 1))
  for (const e of tracks) {
    rules.push(rule('TRACK', e.eventName, 'properties', rowsOf('track', e.eventName), e.count))
  }
  return {
    name: `Draft plan for ${sourceName}`,
    description: `Drafted from ${events.reduce((n, e) => n + e.count, 0)} observed events.`,
    rules,
  }
}

/** Rows of several events (pages of every name) merged per path. */
function mergeByPath(rows: readonly FieldRow[]): FieldRow[] {
  const out = new Map<string, FieldRow>()
  for (const row of rows) {
    const prev = out.get(row.path)
    if (!prev) {
      out.set(row.path, { ...row, types: { ...row.types } })
      continue
    }
    prev.count += row.count
    prev.events += row.events
    addTypes(prev.types, row.types)
  }
  return [...out.values()]
}
