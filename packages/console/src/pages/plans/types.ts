/**
 * Shapes of the tracking-plan, quarantine and observed-schema JSON of the admin API (see
 * packages/server/src/api/tracking-plan-routes.ts, quarantine-routes.ts, privacy-routes.ts).
 */

export const RULE_TYPES = ['TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN', 'COMMON'] as const
export type RuleType = (typeof RULE_TYPES)[number]

/** One rule: a JSON Schema of the whole payload, identified by `type:key:version`. */
export interface PlanRule {
  type: RuleType
  key?: string
  version?: number
  jsonSchema: Record<string, unknown>
  labels?: Record<string, string>
}

export interface PlanSummary {
  id: string
  name: string
  description?: string
  revision: number
  managed: boolean
  createdAt: string
  updatedAt: string
  ruleCount: number
}

export interface TrackingPlan extends Omit<PlanSummary, 'ruleCount'> {
  rules: PlanRule[]
}

export interface PlanInput {
  name: string
  description?: string
  rules?: PlanRule[]
}

export interface RevisionDiff {
  added: string[]
  removed: string[]
  changed: string[]
}

export interface RevisionSummary {
  planId: string
  revision: number
  author: string
  at: string
  diff: RevisionDiff
  ruleCount: number
}

export interface PlanRevision extends Omit<RevisionSummary, 'ruleCount'> {
  rules: PlanRule[]
}

/** A source's enforcement settings, in Segment's terms (every omitted setting `allow`). */
export interface Enforcement {
  unplannedEvents: 'allow' | 'block'
  unplannedProperties: 'allow' | 'omit'
  unplannedIdentifyTraits: 'allow' | 'omit'
  unplannedGroupTraits: 'allow' | 'omit'
  trackViolations: 'allow' | 'block' | 'omit'
  identifyViolations: 'allow' | 'block' | 'omit'
  groupViolations: 'allow' | 'block' | 'omit'
  commonViolations: 'allow' | 'block' | 'omit'
  forwardViolationsTo?: string
}

/** A PATCH of enforcement: only the given settings change; `forwardViolationsTo: null` stops. */
export type EnforcementPatch = Partial<Omit<Enforcement, 'forwardViolationsTo'>> & {
  forwardViolationsTo?: string | null
}

export interface PlanConnection {
  sourceId: string
  planId: string
  enforcement: Enforcement
}

export const WINDOWS = ['1h', '24h', '7d'] as const
export type ViolationWindow = (typeof WINDOWS)[number]

export interface ViolationGroup {
  eventType: string
  eventName: string
  field: string
  violationType: string
  count: number
  firstSeen: string
  lastSeen: string
  lastMessageId: string
  lastDescription: string
}

export interface PlanStatsRow {
  minute: string
  eventType: string
  eventName: string
  checked: number
  passed: number
  violated: number
  blocked: number
  omitted: number
}

export interface Violation {
  type: string
  field: string
  description: string
}

export const QUARANTINE_STATUSES = ['quarantined', 'replayed', 'discarded'] as const
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number]

export interface QuarantinedEvent {
  id: string
  sourceId: string
  messageId: string
  receivedAt: string
  type: string
  name: string
  event: unknown
  violations: Violation[]
  step: string
  planId: string | null
  planRevision: number | null
  status: QuarantineStatus
  quarantinedAt: string
  updatedAt: string
}

export interface ReplayResult {
  replayed: number
  failed: Array<{ id: string; code: string; reason: string }>
}

export interface ObservedProperty {
  path: string
  types: Record<string, number>
  count: number
  /** Share of the event's occurrences holding the field, in percent. */
  frequency: number
  firstSeen: string
  lastSeen: string
}

export interface ObservedEvent {
  type: string
  name: string
  count: number
  firstSeen: string
  lastSeen: string
  fields: number
  droppedFields: number
  properties: ObservedProperty[]
  truncated: boolean
}

export const VIOLATION_TYPES = [
  'Required',
  'Invalid Type',
  'Invalid Value',
  'Unplanned Event',
  'Unplanned Property',
  'Unplanned Trait',
] as const
