export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './metrics.js'
