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
