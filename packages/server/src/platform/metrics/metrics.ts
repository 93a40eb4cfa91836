import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The Prometheus registry of one running platform (not the global one, so several instances
 * can live in one process during tests). Names follow `tessera_<domain>_<thing>_<unit>`.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'tessera_process_' })
  return registry
}

export { Counter, Gauge, Histogram, Registry }
