/**
 * Shapes of the destinations admin API's JSON (see packages/server/src/api/destination-routes.ts
 * and packages/server/src/destinations/{model,delivery-store,driver}.ts).
 */

/** A setting value the API masks: sending it back unchanged keeps the stored secret. */
export const SECRET_MASK = '••••••••'

export const FILTER_ACTION_TYPES = [
  'drop',
  'sample',
  'drop_properties',
  'allow_properties',
] as const
export type FilterActionType = (typeof FILTER_ACTION_TYPES)[number]

export type FilterAction =
  | { type: 'drop' }
  | { type: 'sample'; percent: number; path?: string }
  | { type: 'drop_properties'; fields: Record<string, string[]> }
  | { type: 'allow_properties'; fields: Record<string, string[]> }

export interface DestinationFilter {
  id?: string
  title: string
  enabled: boolean
  /** FQL condition; `all` matches every event. */
  if: string
  actions: FilterAction[]
}

export interface Subscription {
  name: string
  partnerAction: string
  /** FQL trigger. */
  subscribe: string
  mapping: Record<string, unknown>
  enabled: boolean
}

export interface DeliveryOptions {
  batchSize: number
  batchBytes: number
  batchWaitMs: number
  concurrency: number
  rateLimitPerSecond: number | null
  retryHorizonMs: number
  timeoutMs: number
  orderByUser: boolean
}

export interface DestinationConfig {
  id: string
  name: string
  type: string
  enabled: boolean
  /** null = every source. */
  sourceIds: string[] | null
  /** Secret values come back as {@link SECRET_MASK}. */
  settings: Record<string, unknown>
  filters: DestinationFilter[]
  subscriptions: Subscription[]
  consentCategories: string[]
  /** Restricted people never reach a marketing destination. */
  marketing: boolean
  /** Channel (`email`, `sms`, …) and content type whose opt-outs routing honours. */
  channel: string | null
  contentType: string | null
  delivery: DeliveryOptions
}

/** What the API accepts: a config with defaults left out. */
export type DestinationInput = Partial<DestinationConfig> & Pick<DestinationConfig, 'id' | 'type'>

export interface AttemptRecord {
  at: number
  durationMs: number
  code: string | null
  httpStatus: number | null
  message: string | null
}

export interface ExchangeSample {
  request: { method: string; url: string; headers: Record<string, string>; body: string }
  response: { status: number; headers: Record<string, string>; body: string } | null
}

export interface DeliveryError {
  code: string
  message: string
  httpStatus?: number
  sample?: ExchangeSample
}

export interface LaneBackoff {
  attempts: number
  firstFailureAt: number
  nextAt: number
  lastError: DeliveryError
}

export type DestinationState = 'starting' | 'running' | 'disabled' | 'error'

export interface DestinationStatus {
  state: DestinationState
  /** Why it does not run (unknown type, invalid config, …). */
  problem: string | null
  cursor: number | null
  /** Stored events not handled yet. */
  lag: number | null
  /** Set while every request fails and the destination waits before trying again. */
  backoff: LaneBackoff | null
}

export interface DestinationRecord {
  config: DestinationConfig
  createdAt: number | null
  updatedAt: number | null
  managed: boolean
  status: DestinationStatus
}

export interface DestinationList {
  /** True when the config file manages destinations: the API is read-only. */
  managed: boolean
  data: DestinationRecord[]
}

export interface CatalogItem {
  type: string
  name: string
  description: string
  builtin: boolean
}

export interface ActionField {
  label: string
  type: string
  description?: string
  required?: boolean
  multiple?: boolean
  default?: unknown
}

export interface CatalogAction {
  title: string
  description?: string
  batch: boolean
  defaultSubscription?: string
  fields: Record<string, ActionField>
}

export interface CatalogPreset {
  name: string
  partnerAction: string
  subscribe: string
  /** `automatic` presets form the default setup. */
  type?: string
}

/** A JSON Schema object, as loosely as the console reads it. */
export type JsonSchema = Record<string, unknown>

export interface CatalogDetail extends CatalogItem {
  settingsSchema: JsonSchema
  secrets: string[]
  maxBatchSize: number
  usesSubscriptions: boolean
  /** An empty array for built-in types. */
  actions: Record<string, CatalogAction> | []
  presets: CatalogPreset[]
}

export interface MetricCounts {
  delivered: number
  retried: number
  failed: number
  filtered: number
  /** Of `filtered`: by end user consent, preference opt-outs, restricted processing. */
  filteredConsent: number
  filteredPreference: number
  filteredRestriction: number
  deadLettered: number
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  latencyP99Ms: number | null
}

export interface MetricMinute extends MetricCounts {
  /** Epoch ms at the minute's start. */
  minute: number
}

export interface Metrics {
  since: number
  until: number
  totals: MetricCounts
  minutes: MetricMinute[]
}

export interface ErrorSample {
  id: number
  at: number
  messageId: string | null
  error: DeliveryError
}

export interface DeadLetter {
  id: number
  seq: number
  messageId: string
  sourceId: string
  eventType: string
  eventName: string | null
  receivedAt: number
  payload: string
  error: DeliveryError
  attempts: AttemptRecord[]
  firstAttemptAt: number
  failedAt: number
  replayedAt: number | null
}

/** Which dead letters a bulk action takes: ids, or everything matching. */
export type DeadLetterSelector =
  { ids: number[] } | { from?: number; to?: number; errorCode?: string }

export interface Backfill {
  id: string
  from: number
  to: number
  startSeq: number
  endSeq: number
  position: number
  status: 'running' | 'done' | 'cancelled'
  events: number
  createdAt: number
  finishedAt: number | null
}

export type DeliveryOutcome =
  | { status: 'delivered' }
  | { status: 'retry'; afterMs?: number; error: DeliveryError }
  | { status: 'failed'; error: DeliveryError }
  | { status: 'skipped'; reason: string }

export interface TestResult {
  outcome: DeliveryOutcome
  routing: { kept: true } | { kept: false; reason: string }
  exchanges: ExchangeSample[]
  durationMs: number
}

export interface FilterPreview {
  kept: boolean
  reason?: string
  event?: Record<string, unknown>
  problems: string[]
}

export type TraceStatus =
  'delivered' | 'pending' | 'retrying' | 'dead-lettered' | 'filtered' | 'disabled' | 'not-sent'

export interface TraceEntry {
  destinationId: string
  name: string
  type: string
  status: TraceStatus
  reason?: string
  error?: DeliveryError
  attempts?: number | AttemptRecord[]
  nextAttemptAt?: number
}

export interface DeliveryTrace {
  messageId: string
  seq: number
  sourceId: string
  destinations: TraceEntry[]
}
