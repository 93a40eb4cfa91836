import { describe, expect, it } from 'vitest'
import { createYieldSignal } from '../pipeline/index.js'
import { createMetricsRegistry } from '../platform/metrics/index.js'
import {
  registerPressureMetrics,
  startIngestPressure,
  type IngestPressureSettings,
} from './ingest-pressure.js'

const SETTINGS: IngestPressureSettings = {
  enabled: true,
  minEventsPerSecond: 5000,
  utilization: 0.5,
  maxPauseMs: 1000,
}

/** A monitor driven by hand: each `tick` is one 100 ms sample with the given load. */
function monitor(settings: () => IngestPressureSettings = () => SETTINGS) {
  const signal = createYieldSignal(1000)
  let accepted = 0
  let busy = 0
  const changes: boolean[] = []
  const pressure = startIngestPressure({
    signal,
    settings,
    accepted: () => accepted,
    utilization: () => busy,
    sampleMs: 100,
    onChange: (raised) => changes.push(raised),
  })
  const tick = (events: number, utilization: number): boolean => {
    accepted += events
    busy = utilization
    pressure.sample()
    return signal.raised()
  }
  return { signal, pressure, tick, changes }
}

describe('startIngestPressure', () => {
  it('raises the signal only when both the rate and the utilization reach their thresholds', () => {
    const { tick, pressure } = monitor()
    try {
      expect(tick(400, 0.9)).toBe(false) // 4,000 events/s: busy, but not ingest
      expect(tick(2000, 0.3)).toBe(false) // 20,000 events/s with the loop mostly idle
      expect(tick(500, 0.5)).toBe(true) // 5,000 events/s at 50%
    } finally {
      pressure.stop()
    }
  })

  it('lowers it only below half of either threshold', () => {
    const { tick, pressure, changes } = monitor()
    try {
      expect(tick(1000, 0.8)).toBe(true)
      expect(tick(300, 0.3)).toBe(true) // 3,000/s and 30%: above both halves
      expect(tick(200, 0.8)).toBe(false) // 2,000/s: below half of the rate
      expect(tick(1000, 0.8)).toBe(true)
      expect(tick(1000, 0.2)).toBe(false) // 20%: below half of the utilization
      expect(changes).toEqual([true, false, true, false])
    } finally {
      pressure.stop()
    }
  })

  it('counts the time raised, never raises while disabled, and lowers at stop', () => {
    let settings = SETTINGS
    const { tick, pressure, signal } = monitor(() => settings)
    tick(1000, 0.9)
    tick(1000, 0.9)
    tick(1000, 0.9)
    expect(pressure.raisedSeconds()).toBeCloseTo(0.3)
    settings = { ...SETTINGS, enabled: false }
    expect(tick(1000, 0.9)).toBe(false)
    settings = SETTINGS
    expect(tick(1000, 0.9)).toBe(true)
    pressure.stop()
    expect(signal.raised()).toBe(false)
  })

  it('copies maxPauseMs into the signal, so a reload reaches every thread', () => {
    let settings = SETTINGS
    const { tick, pressure, signal } = monitor(() => settings)
    try {
      tick(0, 0)
      expect(signal.maxPauseMs()).toBe(1000)
      settings = { ...SETTINGS, maxPauseMs: 250 }
      tick(0, 0)
      expect(signal.maxPauseMs()).toBe(250)
    } finally {
      pressure.stop()
    }
  })

  it('exposes the state and the time raised as metrics', async () => {
    const registry = createMetricsRegistry()
    const { tick, pressure, signal } = monitor()
    registerPressureMetrics(registry, pressure, signal)
    try {
      tick(1000, 0.9)
      tick(1000, 0.9)
      const text = await registry.metrics()
      expect(text).toMatch(/^tessera_pipeline_yielding 1$/m)
      expect(text).toMatch(/^tessera_pipeline_yield_seconds_total 0\.2$/m)
      tick(0, 0)
      expect(await registry.metrics()).toMatch(/^tessera_pipeline_yielding 0$/m)
    } finally {
      pressure.stop()
    }
  })
})
