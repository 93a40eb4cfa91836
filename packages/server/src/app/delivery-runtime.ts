/**
 * Builds a running delivery engine on a store: the destination kinds, the HTTP client every
 * destination uses (egress options from the config) and the engine. Used in the delivery
 * worker (embedded) and in process (PostgreSQL).
 */
import {
  createDeliveryEngine,
  type DeliveryEngine,
  sumStats,
  type DeliveryCounts,
  type DeliveryQueue,
  type DestinationConfig,
  type LaneCommit,
} from '../destinations/index.js'
import {
  InMemoryPreferenceIndex,
  InMemoryRestrictedSubjects,
  type ConsentPolicy,
  type OptOutEntry,
  type RoutePolicy,
} from '../consent/index.js'
import { UndiciHttpClient } from '../infra/http/undici-http-client.js'
import { systemClock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import { createPiiRuntime, type PiiConfig } from '../privacy/index.js'
import { createDestinationKinds } from './destination-kinds.js'

export interface EgressOptions {
  hostOverrides: Record<string, string>
  blockPrivateAddresses: boolean
}

/** What one lane commit settled, as counts (sent to the main thread for metrics). */
export interface CommitSummary extends DeliveryCounts {
  destinationId: string
}

export function summarize(destinationId: string, commit: LaneCommit): CommitSummary {
  return { destinationId, ...sumStats(commit.stats) }
}

/**
 * The route policy of a delivery engine: the consent mode, the opt-out index (kept in memory,
 * replaced whole by `setOptOuts`) and the restricted subjects (in memory, replaced whole by
 * `setRestricted`; empty until a restriction store feeds it).
 */
export function deliveryRoutePolicy(
  consent: ConsentPolicy,
  optOuts: readonly OptOutEntry[],
  restricted: readonly RestrictedIdentifier[] = [],
): {
  policy: RoutePolicy
  preferences: InMemoryPreferenceIndex
  restricted: InMemoryRestrictedSubjects
} {
  const preferences = new InMemoryPreferenceIndex(optOuts)
  const subjects = new InMemoryRestrictedSubjects(restricted)
  return {
    policy: { consent, preferences, restricted: subjects },
    preferences,
    restricted: subjects,
  }
}

/** An identifier of a person whose processing is restricted (`user_id`, `email` lower-cased, …). */
export interface RestrictedIdentifier {
  type: string
  value: string
}

export interface DeliveryRuntime {
  engine: DeliveryEngine
  close(): Promise<void>
}

/** The PII config and salt the lanes' per-destination rules are built from. */
export interface DeliveryPrivacy {
  pii: PiiConfig
  salt: string
}

export async function startDeliveryRuntime(options: {
  queue: DeliveryQueue
  configs: DestinationConfig[]
  egress: EgressOptions
  privacy?: DeliveryPrivacy
  logger: Logger
  /** Consent mode and people indexes routing reads (see RoutePolicy). */
  policy: RoutePolicy
  onCommit: (summary: CommitSummary) => void
  onError: (destinationId: string, error: unknown) => void
}): Promise<DeliveryRuntime> {
  const http = new UndiciHttpClient({
    hostOverrides: options.egress.hostOverrides,
    blockPrivateAddresses: options.egress.blockPrivateAddresses,
    userAgent: 'Tessera',
  })
  const kinds = createDestinationKinds()
  const engine = createDeliveryEngine({
    queue: options.queue,
    kinds: kinds.resolve,
    driverDeps: { http, logger: options.logger, clock: systemClock },
    clock: systemClock,
    onCommit: (id, commit) => options.onCommit(summarize(id, commit)),
    onError: options.onError,
    ...(options.privacy
      ? { payloadScope: createPiiRuntime(options.privacy.pii, options.privacy.salt).delivery }
      : {}),
    policy: options.policy,
  })
  await engine.configure(options.configs)
  return {
    engine,
    async close() {
      await engine.stop()
      await http.close()
    },
  }
}
