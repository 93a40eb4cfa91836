/**
 * Tracking plans (Segment Protocols): the shapes shared by the plan store, the API, the CLI
 * and the enforcement step. A plan is a set of JSON Schema rules; a source has at most one plan.
 */

/** Which payloads a rule applies to. `COMMON` applies to every payload, before nothing else. */
export type RuleType = 'COMMON' | 'TRACK' | 'IDENTIFY' | 'GROUP' | 'PAGE' | 'SCREEN'

/** One rule: a whole-payload JSON Schema (draft-07 or 2019-09/2020-12), as in Segment. */
export interface PlanRule {
  type: RuleType
  /** The event name for TRACK, the page or screen name for PAGE/SCREEN; absent otherwise. */
  key?: string
  /**
   * The event version this rule is for (`context.protocols.event_version`); absent means 1.
   * An event without a valid version is checked against the oldest version of its rule.
   */
  version?: number
  /** The schema of the whole payload (`{properties: {properties: …, traits: …, context: …}}`). */
  jsonSchema: Record<string, unknown>
  /** Free labels (`key:value`), informative only. */
  labels?: Record<string, string>
}

/** What to do with one kind of finding. */
export type Verdict = 'allow' | 'block' | 'omit'

/**
 * A source's schema configuration, in Segment's terms. Defaults: everything `allow`.
 * `omit` on unplanned properties/traits drops them; `omit` on violations drops the offending
 * field; `block` sends the event to quarantine.
 */
export interface Enforcement {
  /** Track events with no TRACK rule. `omit` is not allowed here. */
  unplannedEvents: 'allow' | 'block'
  /** Track properties not in the event's rule. `block` is not allowed here. */
  unplannedProperties: 'allow' | 'omit'
  /** Identify traits not in the IDENTIFY rule. */
  unplannedIdentifyTraits: 'allow' | 'omit'
  /** Group traits not in the GROUP rule. */
  unplannedGroupTraits: 'allow' | 'omit'
  /** Violations of the TRACK rule. */
  trackViolations: Verdict
  /** Violations of the IDENTIFY rule. */
  identifyViolations: Verdict
  /** Violations of the GROUP rule. */
  groupViolations: Verdict
  /** Violations of the COMMON rule, applied after the standard controls. */
  commonViolations: Verdict
  /** A source id that receives `Violation Generated` track events; absent = not forwarded. */
  forwardViolationsTo?: string
}

/** A plan as stored: its current version's rules, with identity and audit fields. */
export interface TrackingPlan {
  /** `tp_` + 24 base-62 characters, or the id from the config file. */
  id: string
  name: string
  description?: string
  rules: PlanRule[]
  /** Increments on every change, starting at 1. */
  revision: number
  /** True when the config file defines it (read-only in the API). */
  managed: boolean
  createdAt: string
  updatedAt: string
}

/** A kept revision of a plan: who changed it, when, and what changed. */
export interface PlanRevision {
  planId: string
  revision: number
  author: string
  at: string
  rules: PlanRule[]
  /** Rules added, removed and changed against the previous revision, by `type:key:version`. */
  diff: { added: string[]; removed: string[]; changed: string[] }
}

/** A plan attached to a source, with that source's enforcement. */
export interface SourcePlan {
  sourceId: string
  planId: string
  enforcement: Enforcement
}

/** One violation of one event, as Segment reports it in `context.protocols.violations`. */
export interface Violation {
  /** `Required`, `Invalid Type`, `Invalid Value`, `Unplanned Event`, `Unplanned Property`, … */
  type: string
  /** Dotted path in the payload, e.g. `properties.total`. */
  field: string
  description: string
}

/** A source's plan as the enforcement step needs it. */
export interface ActivePlan {
  sourceId: string
  plan: TrackingPlan
  enforcement: Enforcement
}

/**
 * What the enforcement step reads (port; the plan store implements it on every adapter).
 * A reader in another thread or process calls {@link ActivePlans.stamp} before each batch and
 * reloads with {@link ActivePlans.active} only when the stamp changed.
 */
export interface ActivePlans {
  /** A number that grows whenever any plan, rule or source connection changes. */
  stamp(): Promise<number>
  /** Every connected source with its plan (current rules) and enforcement. */
  active(): Promise<ActivePlan[]>
}
