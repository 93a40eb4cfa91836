/** Segment-compatible tracking API. See README.md. */
export { IngestErrors } from './errors.js'
export { noopIngestMetrics, type IngestMetrics } from './ingest-metrics.js'
export {
  IngestService,
  MAX_BATCH_EVENTS,
  type IngestAccepted,
  type IngestRequest,
  type IngestRoute,
  type RejectionReport,
  type SuppressionFilter,
} from './ingest-service.js'
export { RateLimiter, type RateDecision } from './rate-limiter.js'
export { registerTrackingPreflight } from './tracking-routes.js'
export {
  createRawTrackingHandler,
  isTrackingRequest,
  MAX_BATCH_BYTES,
  TRACKING_ROUTES,
  type RawTrackingDeps,
} from './raw-tracking-handler.js'
export { buildCdnSettings } from './cdn-settings.js'
export { writeKeyFromAuthorization } from './write-key.js'
export { registerBrowserBundleRoutes } from './browser-bundle-routes.js'
