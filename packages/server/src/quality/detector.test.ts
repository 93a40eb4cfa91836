import { describe, expect, it } from 'vitest'
import { detect, median, optionsForBucket } from './detector.js'

/** A deterministic pseudo-random generator (mulberry32), so noisy series are reproducible. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Poisson-like noisy counts around `mean` (normal approximation, rounded, ≥ 0). */
function noisy(mean: number, n: number, seed = 1): number[] {
  const next = random(seed)
  return Array.from({ length: n }, () => {
    const u = Math.max(1e-9, next())
    const v = next()
    const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return Math.max(0, Math.round(mean + gauss * Math.sqrt(mean)))
  })
}

/** Hourly series with a daily cycle: busy days, quiet nights. */
function daily(days: number, seed = 2): number[] {
  const next = random(seed)
  const out: number[] = []
  for (let d = 0; d < days; d++) {
    for (let h = 0; h < 24; h++) {
      const mean = 20 + 180 * Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI))
      out.push(Math.round(mean * (0.95 + 0.1 * next())))
    }
  }
  return out
}

const hourly = optionsForBucket(3_600_000, true)

describe('anomaly detector', () => {
  it('computes medians of odd and even lengths', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
  })

  it('raises no alarm on a noisy steady series', () => {
    const series = noisy(100, 24 * 10)
    const flagged = detect(series, hourly).filter((v) => v.anomaly !== null)
    expect(flagged).toEqual([])
  })

  it('raises no alarm on a low-volume noisy series (Poisson floor)', () => {
    const series = noisy(3, 24 * 10, 7)
    expect(
      detect(series, { ...hourly, counts: true }).filter(
        (v) => v.anomaly === 'drop' || v.anomaly === 'spike',
      ),
    ).toEqual([])
  })

  it('flags a drop, with its expected value and severity', () => {
    const series = noisy(100, 24 * 8)
    series[series.length - 1] = 10
    const last = detect(series, hourly).at(-1)
    expect(last?.anomaly).toBe('drop')
    expect(last?.severity).toBe('critical')
    expect(last?.expected).toBeGreaterThan(85)
    expect(last?.expected).toBeLessThan(115)
  })

  it('flags a moderate drop as a warning', () => {
    const series = noisy(100, 24 * 8, 3)
    series[series.length - 1] = 45
    const last = detect(series, hourly).at(-1)
    expect(last?.anomaly).toBe('drop')
    expect(last?.severity).toBe('warning')
  })

  it('flags a spike', () => {
    const series = noisy(100, 24 * 8, 4)
    series[series.length - 1] = 400
    expect(detect(series, hourly).at(-1)?.anomaly).toBe('spike')
  })

  it('follows a daily cycle: the nightly low is no drop, a daytime low is', () => {
    const series = daily(8)
    const verdicts = detect(series, hourly)
    expect(verdicts.filter((v) => v.anomaly !== null)).toEqual([])
    // Midday of the last day falls to the night level: a drop against the same hour before.
    const midday = 24 * 7 + 12
    const changed = [...series]
    changed[midday] = 25
    expect(detect(changed, hourly)[midday]?.anomaly).toBe('drop')
    // Without seasonality a trailing window would call that level normal at night.
    expect(detect(series, { ...hourly, period: 0 }).some((v) => v.anomaly !== null)).toBe(true)
  })

  it('flags silence after k times the usual gap, not before', () => {
    // One event every 3 hours for 3 days, then nothing.
    const series: number[] = []
    for (let i = 0; i < 72; i++) series.push(i % 3 === 0 ? 1 : 0)
    const quiet = [...series, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    const verdicts = detect(quiet, { ...hourly, silenceFactor: 4 })
    // Last arrival at 69; gap 3 → silent once the gap exceeds 12 buckets (index 82).
    expect(verdicts[81]?.anomaly).toBeNull()
    expect(verdicts[82]?.anomaly).toBe('silence')
    expect(verdicts[82]?.severity).toBe('critical')
    // The regular gaps themselves are never silence.
    expect(verdicts.slice(0, 72).some((v) => v.anomaly !== null)).toBe(false)
  })

  it('stays quiet during warm-up', () => {
    const series = [100, 100, 100, 0]
    expect(detect(series, { ...hourly, period: 0 }).every((v) => v.anomaly === null)).toBe(true)
    expect(detect(series, hourly).every((v) => v.anomaly === null && v.expected === null)).toBe(
      true,
    )
    const longer = [...noisy(100, 8, 5), 0]
    expect(detect(longer, { ...hourly, period: 0 }).at(-1)?.anomaly).toBe('drop')
    // Seasonal: two past days are not enough, three are.
    const twoDays = [...noisy(100, 48, 5), 0]
    expect(detect(twoDays, hourly).at(-1)?.anomaly).toBeNull()
    const threeDays = [...noisy(100, 72, 5), 0]
    expect(detect(threeDays, hourly).at(-1)?.anomaly).toBe('drop')
  })

  it('does not flap: an open drop stays open until the value is well back', () => {
    const base = noisy(100, 48, 6)
    // Falls to 40, then hovers at 60 (between the open and close bands), then recovers.
    const series = [...base, 40, 60, 60, 100]
    const verdicts = detect(series, { ...hourly, period: 0 })
    expect(verdicts.slice(48).map((v) => v.anomaly)).toEqual(['drop', 'drop', 'drop', null])
    // The same 60 without a drop before it opens nothing.
    const calm = detect([...base, 60], { ...hourly, period: 0 })
    expect(calm.at(-1)?.anomaly).toBeNull()
  })

  it('treats shares without the Poisson floor', () => {
    const shares = Array.from({ length: 48 }, (_, i) => 0.98 + (i % 3) * 0.005)
    const verdicts = detect([...shares, 0.6], { period: 0, counts: false })
    expect(verdicts.slice(0, 48).some((v) => v.anomaly !== null)).toBe(false)
    expect(verdicts.at(-1)?.anomaly).toBe('drop')
  })

  it('skips points that were not measured', () => {
    const verdicts = detect([1, null, 2], hourly)
    expect(verdicts[1]).toMatchObject({ anomaly: null, expected: null })
  })
})
