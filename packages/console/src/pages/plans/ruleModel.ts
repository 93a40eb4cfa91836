import { ApiError } from '../../api/client'
import { errorMessage } from '../../components/useLoad'
import type { PlanRule, RuleType } from './types'

/** A rule's identity as the server names it in diffs: `TRACK:Order Completed:2`. */
export function ruleId(rule: Pick<PlanRule, 'type' | 'key' | 'version'>): string {
  return `${rule.type}:${rule.key ?? ''}:${rule.version ?? 1}`
}

/** Types whose rules are named (TRACK must be, PAGE and SCREEN may be). */
export function takesKey(type: RuleType): boolean {
  return type === 'TRACK' || type === 'PAGE' || type === 'SCREEN'
}

/** One problem the server found, at a dotted path (`rules.0.jsonSchema.type`). */
export interface Issue {
  path: string
  message: string
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.path === 'string' && typeof v.message === 'string'
}

/** The `details.issues` of a `PLANS_INVALID` answer; empty for any other failure. */
export function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError) || typeof error.details !== 'object' || !error.details) {
    return []
  }
  const issues = (error.details as { issues?: unknown }).issues
  return Array.isArray(issues) ? issues.filter(isIssue) : []
}

/** The message of a failure, with the reason a managed plan cannot change. */
export function planErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'PLANS_MANAGED') {
    return `${error.message} (${error.code}: edit the trackingPlans: section of the config file instead.)`
  }
  if (error instanceof ApiError) return `${error.code}: ${error.message}`
  return errorMessage(error)
}

/** A starting schema for a new rule of `type`: where Segment puts the payload's fields. */
export function schemaTemplate(type: RuleType): Record<string, unknown> {
  const field = type === 'IDENTIFY' || type === 'GROUP' ? 'traits' : 'properties'
  if (type === 'COMMON') return { type: 'object', properties: {} }
  return {
    type: 'object',
    properties: { [field]: { type: 'object', properties: {}, required: [] } },
  }
}

/** The text of a rule being edited: the fields the form holds. */
export interface RuleDraft {
  type: RuleType
  key: string
  version: string
  schemaText: string
}

export function toDraft(rule: PlanRule): RuleDraft {
  return {
    type: rule.type,
    key: rule.key ?? '',
    version: rule.version === undefined ? '' : String(rule.version),
    schemaText: JSON.stringify(rule.jsonSchema, null, 2),
  }
}

export function emptyDraft(): RuleDraft {
  return {
    type: 'TRACK',
    key: '',
    version: '',
    schemaText: JSON.stringify(schemaTemplate('TRACK'), null, 2),
  }
}

/**
 * The rule a draft describes, or the local problem that stops it from being sent (JSON that
 * does not parse, a version that is not a positive integer). Everything else is the server's
 * to check. `labels` of the original rule are kept.
 */
export function fromDraft(
  draft: RuleDraft,
  original?: PlanRule,
): { ok: true; rule: PlanRule } | { ok: false; issue: Issue } {
  let jsonSchema: unknown
  try {
    jsonSchema = JSON.parse(draft.schemaText)
  } catch (err) {
    return { ok: false, issue: { path: 'jsonSchema', message: `not JSON: ${errorMessage(err)}` } }
  }
  if (typeof jsonSchema !== 'object' || jsonSchema === null || Array.isArray(jsonSchema)) {
    return { ok: false, issue: { path: 'jsonSchema', message: 'expected a JSON object' } }
  }
  const rule: PlanRule = { type: draft.type, jsonSchema: jsonSchema as Record<string, unknown> }
  if (draft.key.trim() !== '') rule.key = draft.key.trim()
  if (draft.version.trim() !== '') {
    const version = Number(draft.version)
    if (!Number.isInteger(version) || version < 1) {
      return { ok: false, issue: { path: 'version', message: 'a positive integer' } }
    }
    rule.version = version
  }
  if (original?.labels) rule.labels = original.labels
  return { ok: true, rule }
}

/** Issues of the rule at `index` of a rules body, with the `rules.N.` prefix removed. */
export function issuesForRule(issues: Issue[], index: number): Issue[] {
  const prefix = `rules.${index}.`
  return issues.map((i) =>
    i.path.startsWith(prefix) ? { ...i, path: i.path.slice(prefix.length) } : i,
  )
}
