import type { GroupCommitter } from '../events/index.js'
import { AlertEvaluator } from './alert-evaluator.js'
import { createLogAlertSink } from './alert-events.js'
import { AlertRules } from './alert-rules.js'
import type { DataQualityConfig } from './config.js'
import type { CountersConsumer } from './counters-consumer.js'
import { QualityMetrics } from './metrics.js'
import type {
  IdentityMatch,
  PlanOutcomes,
  QualityAlertStore,
  QualityCounters,
} from './quality-store.js'
import { QualityService } from './quality-service.js'

/** How long an API read waits for the counters to reach the store's position. */
const CATCH_UP_MS = 15_000

export interface QualityRuntimeDeps {
  counters: QualityCounters
  /**
   * The running counters consumer's progress (it runs beside the store step, see
   * app/followers.ts): reads wait for it to reach the store's position.
   */
  consumer: Pick<CountersConsumer, 'position' | 'waitFor'>
  alerts: QualityAlertStore
  identity: IdentityMatch
  plans: PlanOutcomes
  committer: GroupCommitter
  config: DataQualityConfig
  /** Base URL for console links when `consoleUrl` is not configured. */
  serverUrl: () => string
  now: () => number
  /** The store consumer's position (events stored up to it). */
  storePosition: () => number
  /** Resolves once the store consumer applied what was acknowledged before the call (bounded). */
  storeCaughtUp?: () => Promise<void>
  onError: (error: unknown) => void
}

/** The running data-quality part: evaluation schedule and API service over the counters. */
export interface QualityRuntime {
  service: QualityService
  applyConfig(config: DataQualityConfig): void
  stop(): Promise<void>
}

/**
 * Evaluates the alert rules every `evaluateEveryMs` (first after one interval) over the
 * counters that `deps.consumer` keeps. Stop ends the schedule and waits for an evaluation in
 * progress; alert events not yet sent are sent by the next evaluation (after a restart too).
 */
export function startQualityRuntime(deps: QualityRuntimeDeps): QualityRuntime {
  let config = deps.config
  const { consumer } = deps
  const catchUp = async (): Promise<void> => {
    await deps.storeCaughtUp?.()
    await consumer.waitFor(deps.storePosition(), CATCH_UP_MS)
  }
  const metrics = new QualityMetrics({
    counters: deps.counters,
    plans: deps.plans,
    identity: deps.identity,
  })
  const rules = new AlertRules(deps.alerts, config.alerts, deps.now)
  const evaluator = new AlertEvaluator({
    rules,
    store: deps.alerts,
    metrics,
    sink: createLogAlertSink({
      committer: deps.committer,
      consoleUrl: () => config.consoleUrl ?? deps.serverUrl(),
      now: deps.now,
    }),
    now: deps.now,
    catchUp,
  })
  const service = new QualityService({
    metrics,
    rules,
    store: deps.alerts,
    evaluator,
    now: deps.now,
    catchUp,
  })
  let timer = setInterval(() => void evaluator.evaluate(deps.onError), config.evaluateEveryMs)
  timer.unref()
  return {
    service,
    applyConfig(next) {
      const every = next.evaluateEveryMs !== config.evaluateEveryMs
      config = next
      rules.setFileRules(next.alerts)
      if (every) {
        clearInterval(timer)
        timer = setInterval(() => void evaluator.evaluate(deps.onError), next.evaluateEveryMs)
        timer.unref()
      }
    },
    async stop() {
      clearInterval(timer)
      // No new evaluation: its alert events would reach the log after the pipeline stopped.
      await evaluator.settled()
    },
  }
}
