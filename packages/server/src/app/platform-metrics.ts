import type { CommitObserver, EventLog } from '../events/index.js'
import type { PipelineRunner } from '../pipeline/index.js'
import type { IngestMetrics } from '../ingest/index.js'
import { Counter, Gauge, Histogram, type Registry } from '../platform/metrics/index.js'

/** Prometheus implementation of the ingest and commit observers. */
export function createPlatformMetrics(registry: Registry): {
  ingest: IngestMetrics
  commits: CommitObserver
  onApplied: (info: {
    stored: number
    duplicates: number
    rejected: number
    quarantined?: number
  }) => void
  onIdentity: (info: { events: number; rebuilds: number }) => void
  watchLog: (
    log: EventLog,
    pipeline: PipelineRunner,
    identity: { position(): number },
    pending: () => number,
    /** Followers of the store (field inventory, data-quality counters); null when off. */
    followers?: Record<string, { position(): number } | null>,
  ) => void
} {
  const requests = new Counter({
    name: 'tessera_ingest_requests_total',
    help: 'Tracking API requests by route and outcome (accepted or an error code).',
    labelNames: ['route', 'outcome'],
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'tessera_ingest_request_duration_seconds',
    help: 'Tracking API request latency, including the durable commit.',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const events = new Counter({
    name: 'tessera_ingest_events_total',
    help: 'Events written to the log by outcome: accepted or rejected (invalid, kept with a reason).',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const applied = new Counter({
    name: 'tessera_store_events_total',
    help: 'Log entries applied to the event store: stored, duplicate (messageId already stored, dropped), rejected, or quarantined (blocked by a tracking plan).',
    labelNames: ['outcome'],
    registers: [registry],
  })
  const storeFailures = new Counter({
    name: 'tessera_ingest_store_failures_total',
    help: 'Commits that failed; their requests were answered 503 and nothing was stored.',
    registers: [registry],
  })
  const resolved = new Counter({
    name: 'tessera_identity_events_total',
    help: 'Stored events resolved into profiles by identity resolution.',
    registers: [registry],
  })
  const rebuilds = new Counter({
    name: 'tessera_identity_rebuilds_total',
    help: 'Groups of identity components re-resolved because an event arrived late.',
    registers: [registry],
  })
  const flushSize = new Histogram({
    name: 'tessera_log_flush_size_events',
    help: 'Events and rejections written per group commit.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  })
  const flushDuration = new Histogram({
    name: 'tessera_log_flush_duration_seconds',
    help: 'Duration of one group commit, including the sync to disk.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  })
  return {
    ingest: {
      request(route, outcome, seconds) {
        requests.inc({ route, outcome })
        latency.observe({ route }, seconds)
      },
      committed(_sourceId, counts) {
        events.inc({ outcome: 'accepted' }, counts.accepted)
        events.inc({ outcome: 'rejected' }, counts.rejected)
      },
      storeFailed: () => storeFailures.inc(),
    },
    commits: {
      onFlush(info) {
        flushSize.observe(info.count)
        flushDuration.observe(info.durationMs / 1000)
      },
    },
    onIdentity(info) {
      resolved.inc(info.events)
      rebuilds.inc(info.rebuilds)
    },
    onApplied(info) {
      applied.inc({ outcome: 'stored' }, info.stored)
      applied.inc({ outcome: 'duplicate' }, info.duplicates)
      applied.inc({ outcome: 'rejected' }, info.rejected)
      applied.inc({ outcome: 'quarantined' }, info.quarantined ?? 0)
    },
    watchLog(log, pipeline, identity, pending, followers = {}) {
      new Gauge({
        name: 'tessera_log_head_offset',
        help: 'Offset of the newest event in the log.',
        registers: [registry],
        async collect() {
          this.set(await log.head())
        },
      })
      new Gauge({
        name: 'tessera_log_consumer_lag_events',
        help: 'Events appended to the log but not yet read by a consumer.',
        labelNames: ['consumer'],
        registers: [registry],
        async collect() {
          const head = await log.head()
          this.set({ consumer: 'store' }, Math.max(0, head - Math.max(0, pipeline.position())))
          this.set({ consumer: 'identity' }, Math.max(0, head - Math.max(0, identity.position())))
          for (const [consumer, progress] of Object.entries(followers)) {
            if (progress) {
              this.set({ consumer }, Math.max(0, head - Math.max(0, progress.position())))
            }
          }
        },
      })
      new Gauge({
        name: 'tessera_log_pending_commit_events',
        help: 'Events waiting for the next group commit.',
        registers: [registry],
        collect() {
          this.set(pending())
        },
      })
    },
  }
}
