/**
 * Data quality: per-minute counters over stored events, metrics (pass share, completeness,
 * duplicate rate, identity match rate, volume), anomaly detection, alert rules, incidents and
 * alert events appended to the log. See README.md.
 */
export {
  QUALITY_METRICS,
  BUCKETS,
  NO_NAME,
  OTHER_NAME,
  type AlertRule,
  type Bucket,
  type CompletenessRow,
  type IdentityMatchRow,
  type Incident,
  type PlanOutcomeRow,
  type QualityMetric,
  type SeriesPoint,
  type Severity,
  type VolumeRow,
} from './model.js'
export {
  noPlanOutcomes,
  type CounterDelta,
  type CounterFilter,
  type CountedEvent,
  type IdentityMatch,
  type PlanOutcomes,
  type QualityAlertStore,
  type QualityCounters,
} from './quality-store.js'
export {
  alertRuleSchema,
  dataQualityConfigSchema,
  fromAlertRule,
  parseWindow,
  type AlertRuleConfig,
  type DataQualityConfig,
} from './config.js'
export { QualityErrors } from './errors.js'
export {
  detect,
  DEFAULT_DETECTOR,
  type AnomalyKind,
  type DetectorOptions,
  type Verdict,
} from './detector.js'
export { aggregate, EventNames, type RequiredProperties } from './counters.js'
export { startCountersConsumer, type CountersConsumer } from './counters-consumer.js'
export { QualityMetrics, MAX_POINTS, type SeriesQuery } from './metrics.js'
export { AlertRules } from './alert-rules.js'
export { AlertEvaluator, measureRule } from './alert-evaluator.js'
export {
  ALERT_RESOLVED,
  ALERT_TRIGGERED,
  alertMessageId,
  createLogAlertSink,
  type AlertSink,
} from './alert-events.js'
export { QualityService, type FlaggedPoint, type QualitySummary } from './quality-service.js'
export { startQualityRuntime, type QualityRuntime } from './quality-runtime.js'
