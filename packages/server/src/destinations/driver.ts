/**
 * The contract between the delivery engine and a destination type (webhook, warehouse, NATS,
 * a catalog destination). The engine owns queues, retries, backoff, dead letters and metrics;
 * a driver only turns events into requests and says what happened to each event.
 */
import type { z } from 'zod'
import type { Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import type { HttpClient } from './http-client.js'
import type { DeliveryEvent, DestinationConfig } from './model.js'

/** What one request looked like, kept for error samples and the event tester. */
export interface ExchangeSample {
  request: { method: string; url: string; headers: Record<string, string>; body: string }
  response: { status: number; headers: Record<string, string>; body: string } | null
}

/** Why a delivery did not succeed. `code` is stable (e.g. `HTTP_500`, `ECONNREFUSED`, `TIMEOUT`). */
export interface DeliveryError {
  code: string
  message: string
  httpStatus?: number
  sample?: ExchangeSample
}

/**
 * What happened to one event:
 * - `delivered`: the destination accepted it;
 * - `retry`: try again later (after `afterMs` when the destination said so, e.g. `Retry-After`);
 * - `failed`: permanent failure, the event goes to the dead letters at once;
 * - `skipped`: the destination does not take this event (no matching subscription); counted
 *   as filtered, never retried.
 */
export type DeliveryOutcome =
  | { status: 'delivered'; sample?: ExchangeSample }
  | { status: 'retry'; afterMs?: number; error: DeliveryError }
  | { status: 'failed'; error: DeliveryError }
  | { status: 'skipped'; reason: string }

export interface DeliveryContext {
  /** 1 for the first attempt of these events. */
  attempt: number
  /** Aborted when the engine stops; drivers pass it to their requests. */
  signal: AbortSignal
  /** Per-request timeout from the destination's delivery options. */
  timeoutMs: number
}

/**
 * A data-subject deletion forwarded to a destination (regulations `SUPPRESS_WITH_DELETE`,
 * `DELETE_ONLY`): every identifier of the person's profile(s) at request time.
 */
export interface DeletionRequest {
  /** The regulation's id: the idempotency key of the request. */
  regulationId: string
  userIds: string[]
  anonymousIds: string[]
  /** Every identifier (including the user and anonymous ids), as identity knows them. */
  identifiers: Array<{ type: string; value: string }>
}

/** What a destination did with a deletion; `removed` counts rows where it can tell (warehouse). */
export type DeletionOutcome =
  | { status: 'deleted'; removed?: Record<string, number> }
  | { status: 'failed'; error: DeliveryError }

/** A running destination. Built once per config version, closed when it changes or stops. */
export interface DestinationDriver {
  /**
   * Delivers `events` (at most the destination's batch size, in seq order) and returns one
   * outcome per event, in the same order. Must not throw for delivery failures (a throw is
   * treated as `retry` for every event, with code `DRIVER_ERROR`). The `messageId` of each
   * event is its idempotency key: deliveries are at least once.
   */
  deliver(events: readonly DeliveryEvent[], ctx: DeliveryContext): Promise<DeliveryOutcome[]>
  /**
   * Optional: deletes a person's data at the destination (Segment forwards deletions to
   * destinations that support them). Idempotent for one `regulationId` (it may be retried
   * after a restart). Must not throw for the destination's refusal: return `failed`. Drivers
   * without it make the regulation report the destination `NOT_SUPPORTED`.
   */
  deleteSubject?(request: DeletionRequest, ctx: DeliveryContext): Promise<DeletionOutcome>
  /** Releases connections. Idempotent. */
  close(): Promise<void>
}

export interface DriverDeps {
  http: HttpClient
  logger: Logger
  clock: Clock
}

/** Settings of a destination type, described for validation, masking and the console's form. */
export interface SettingsSpec {
  /** Validates `settings`; errors carry a path and a message. */
  schema: z.ZodType
  /** JSON Schema of the settings (the console builds its form from it). */
  jsonSchema: Record<string, unknown>
  /** Setting keys that are secret: encrypted at rest and masked in answers and logs. */
  secrets: readonly string[]
}

/** A destination type: a built-in one or one of the catalog. */
export interface DestinationKind {
  type: string
  title: string
  description: string
  settings: SettingsSpec
  /** Largest batch the type takes in one call (1 = no batching). */
  maxBatchSize: number
  /** True when the type is configured with subscriptions and mappings (catalog destinations). */
  usesSubscriptions: boolean
  /** True when its drivers implement `deleteSubject` (deletions are forwarded to it). */
  supportsDeletion?: boolean
  /**
   * Checks a config beyond its settings schema (e.g. subscriptions against the actions).
   * Returns problems as `path: message` strings; empty when valid.
   */
  validate(config: DestinationConfig): Promise<string[]>
  create(config: DestinationConfig, deps: DriverDeps): Promise<DestinationDriver>
}
