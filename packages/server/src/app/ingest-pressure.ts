import { performance } from 'node:perf_hooks'
import { Counter, Gauge, type Registry } from '../platform/metrics/index.js'
import type { YieldSignal } from '../pipeline/index.js'
import type { TesseraConfig } from './config.js'

/** When the request path counts as under pressure (config `pipeline.yieldToIngest`, described there). */
export type IngestPressureSettings = TesseraConfig['pipeline']['yieldToIngest']

/** A running monitor (see {@link startIngestPressure}). */
export interface IngestPressure {
  /** Takes one sample now (the monitor's timer calls it every `sampleMs`). */
  sample(): void
  /** Seconds the signal has been raised since the start, counted in whole samples. */
  raisedSeconds(): number
  /** Stops sampling and lowers the signal, so nothing waits on a stopped request path. */
  stop(): void
}

/** Sampling period of the monitor. */
const PRESSURE_SAMPLE_MS = 100

/** The main thread's event-loop utilization since the previous call (0 to 1). */
function eventLoopUtilizationSampler(): () => number {
  let previous = performance.eventLoopUtilization()
  return () => {
    const current = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(current, previous)
    previous = current
    return utilization
  }
}

/**
 * Raises `signal` while the request path is under pressure, so the pipeline's consumers (on
 * their worker threads, or in process) hold their next batch and leave the cores to it; the
 * durable log holds what they have not read yet. Every `sampleMs` it compares the events
 * accepted since the previous sample (`accepted()` is a running count) and the main thread's
 * utilization with the settings: both at or above their threshold raise the signal; it is
 * lowered once either falls below half of its threshold (hysteresis, so a short dip does not
 * flap it). Lowered while disabled, and at `stop()`. `maxPauseMs` is copied into the signal at
 * every sample, so a reload reaches the consumers on every thread. `onChange` sees every
 * transition.
 */
export function startIngestPressure(options: {
  signal: YieldSignal
  settings: () => IngestPressureSettings
  accepted: () => number
  utilization?: () => number
  sampleMs?: number
  onChange?: (raised: boolean) => void
}): IngestPressure {
  const sampleMs = options.sampleMs ?? PRESSURE_SAMPLE_MS
  const utilization = options.utilization ?? eventLoopUtilizationSampler()
  let lastAccepted = options.accepted()
  let raisedSamples = 0
  const set = (raised: boolean): void => {
    if (options.signal.raised() === raised) return
    options.signal.set(raised)
    options.onChange?.(raised)
  }
  const sample = (): void => {
    const settings = options.settings()
    const accepted = options.accepted()
    const rate = ((accepted - lastAccepted) * 1000) / sampleMs
    lastAccepted = accepted
    const busy = utilization()
    if (options.signal.maxPauseMs() !== settings.maxPauseMs) {
      options.signal.setMaxPauseMs(settings.maxPauseMs)
    }
    if (!settings.enabled) set(false)
    else if (rate >= settings.minEventsPerSecond && busy >= settings.utilization) set(true)
    else if (rate < settings.minEventsPerSecond / 2 || busy < settings.utilization / 2) set(false)
    if (options.signal.raised()) raisedSamples += 1
  }
  const timer = setInterval(sample, sampleMs)
  timer.unref()
  return {
    sample,
    raisedSeconds: () => (raisedSamples * sampleMs) / 1000,
    stop() {
      clearInterval(timer)
      set(false)
    },
  }
}

/**
 * `tessera_pipeline_yielding` (1 while the signal is raised) and
 * `tessera_pipeline_yield_seconds_total` (how long it has been raised), read at scrape time.
 */
export function registerPressureMetrics(
  registry: Registry,
  pressure: Pick<IngestPressure, 'raisedSeconds'>,
  signal: Pick<YieldSignal, 'raised'>,
): void {
  new Gauge({
    name: 'tessera_pipeline_yielding',
    help: '1 while the tracking API is under pressure and the pipeline holds its batches (at most pipeline.yieldToIngest.maxPauseMs each).',
    registers: [registry],
    collect() {
      this.set(signal.raised() ? 1 : 0)
    },
  })
  let counted = 0
  new Counter({
    name: 'tessera_pipeline_yield_seconds_total',
    help: 'Seconds the pipeline has been asked to yield to the tracking API since the start (whole 100 ms samples).',
    registers: [registry],
    collect() {
      const seconds = pressure.raisedSeconds()
      if (seconds > counted) this.inc(seconds - counted)
      counted = seconds
    },
  })
}
