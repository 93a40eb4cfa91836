import type { EngineDestinationStatus } from '../destinations/index.js'
import { Counter, Gauge, type Registry } from '../platform/metrics/index.js'
import type { CommitSummary } from './delivery-runtime.js'

/**
 * Prometheus metrics of delivery: outcomes per destination, lanes backing off, cursors, and
 * whether the engine runs at all (it runs only while a destination exists).
 */
export function createDeliveryMetrics(
  registry: Registry,
  engine: { status: () => EngineDestinationStatus[]; running: () => boolean },
): { onCommit: (summary: CommitSummary) => void } {
  const status = engine.status
  new Gauge({
    name: 'tessera_delivery_engine_running',
    help: '1 while the delivery engine runs; it starts with the first destination and stops when the last one is removed.',
    registers: [registry],
    collect() {
      this.set(engine.running() ? 1 : 0)
    },
  })
  const events = new Counter({
    name: 'tessera_delivery_events_total',
    help: 'Events settled per destination by outcome: delivered, retried (an attempt failed and will be retried), failed (permanent), filtered, dead_lettered.',
    labelNames: ['destination', 'outcome'],
    registers: [registry],
  })
  new Gauge({
    name: 'tessera_delivery_backoff',
    help: '1 while a destination fails as a whole and its lane backs off, else 0.',
    labelNames: ['destination'],
    registers: [registry],
    collect() {
      for (const s of status()) this.set({ destination: s.destinationId }, s.backoff ? 1 : 0)
    },
  })
  new Gauge({
    name: 'tessera_delivery_cursor_seq',
    help: 'Seq of the last event each destination has settled.',
    labelNames: ['destination'],
    registers: [registry],
    collect() {
      for (const s of status()) {
        if (s.cursor !== undefined) this.set({ destination: s.destinationId }, s.cursor)
      }
    },
  })
  return {
    onCommit(summary) {
      const d = summary.destinationId
      events.inc({ destination: d, outcome: 'delivered' }, summary.delivered)
      events.inc({ destination: d, outcome: 'retried' }, summary.retried)
      events.inc({ destination: d, outcome: 'failed' }, summary.failed)
      events.inc({ destination: d, outcome: 'filtered' }, summary.filtered)
      events.inc({ destination: d, outcome: 'dead_lettered' }, summary.deadLettered)
    },
  }
}
