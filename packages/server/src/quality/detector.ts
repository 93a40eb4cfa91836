import type { Severity } from './model.js'

/**
 * Anomaly detection of one series against its own history (README.md, "Anomaly detection").
 *
 * Baseline of point i: the values at the same phase of the previous `seasons` seasons
 * (i − period, i − 2·period, …) when at least `minSeasonal` of them exist, otherwise the
 * `trailing` points before i. Expected value = median of the baseline; spread = 1.4826 × MAD
 * (the normal-consistent median absolute deviation), floored by `minScale` and, for count
 * series, by √expected (the Poisson noise of a count), so a quiet steady series never alarms
 * on ordinary noise (1 + √expected: the Poisson standard deviation, plus one so that counts of a
 * few events need a real change). Score z = (value − expected) / spread.
 *
 * A point opens a drop (spike) when z ≤ −openZ (z ≥ openZ) and the value is also at least
 * `minRelativeChange` below (above) the expected value; an open anomaly stays while |z| ≥
 * closeZ in the same direction (hysteresis: no flapping around the threshold). Severity is
 * critical from |z| ≥ criticalZ, else warning. Silence (count series): the series has been 0
 * for more than `silenceFactor` × its usual gap between non-zero points (median gap), after
 * at least `minArrivals` arrivals. Warm-up: a seasonal series needs `minSeasonal` past seasons
 * at the point's phase, a non-seasonal one `minHistory` past points; before that no verdict.
 */
export interface DetectorOptions {
  /** Points per season (24 for hourly points with a daily season); 0 for none. */
  period: number
  seasons: number
  minSeasonal: number
  trailing: number
  minHistory: number
  openZ: number
  closeZ: number
  criticalZ: number
  minRelativeChange: number
  /** Count series (volume): Poisson floor on the spread and silence detection. */
  counts: boolean
  minScale: number
  silenceFactor: number
  minArrivals: number
}

export const DEFAULT_DETECTOR: Readonly<DetectorOptions> = Object.freeze({
  period: 24,
  seasons: 7,
  minSeasonal: 3,
  trailing: 24,
  minHistory: 6,
  openZ: 4,
  closeZ: 2,
  criticalZ: 6,
  minRelativeChange: 0.3,
  counts: true,
  minScale: 0.01,
  silenceFactor: 4,
  minArrivals: 5,
})

export type AnomalyKind = 'drop' | 'spike' | 'silence'

export interface Verdict {
  /** Expected value (baseline median); null during warm-up or without a value. */
  expected: number | null
  /** Band of normal values (expected ± openZ × spread). */
  lower: number | null
  upper: number | null
  score: number | null
  anomaly: AnomalyKind | null
  severity: Severity | null
}

const NONE: Verdict = {
  expected: null,
  lower: null,
  upper: null,
  score: null,
  anomaly: null,
  severity: null,
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function baselineOf(values: readonly (number | null)[], i: number, o: DetectorOptions): number[] {
  if (o.period > 0) {
    const seasonal: number[] = []
    for (let k = 1; k <= o.seasons; k++) {
      const v = values[i - k * o.period]
      if (v !== undefined && v !== null) seasonal.push(v)
    }
    // A seasonal series is judged against its seasons only: a trailing window would mix
    // the phases of the cycle (warm-up lasts `minSeasonal` seasons).
    return seasonal.length >= o.minSeasonal ? seasonal : []
  }
  const trailing: number[] = []
  for (let j = Math.max(0, i - o.trailing); j < i; j++) {
    const v = values[j]
    if (v !== undefined && v !== null) trailing.push(v)
  }
  return trailing
}

/** Zero run ending at i, and whether it exceeds the usual gap (silence). */
function isSilent(values: readonly (number | null)[], i: number, o: DetectorOptions): boolean {
  let run = 0
  let j = i
  while (j >= 0 && values[j] === 0) {
    run += 1
    j -= 1
  }
  if (run === 0) return false
  const arrivals: number[] = []
  for (let k = 0; k <= j; k++) if ((values[k] ?? 0) > 0) arrivals.push(k)
  if (arrivals.length < o.minArrivals) return false
  const gaps: number[] = []
  for (let k = 1; k < arrivals.length; k++) gaps.push((arrivals[k] ?? 0) - (arrivals[k - 1] ?? 0))
  const usual = Math.max(1, median(gaps))
  // The gap now, from the last arrival to i, is `run` buckets.
  return run > o.silenceFactor * usual
}

/** The verdict of value `x` against `baseline`, given the anomaly open at the point before. */
function judge(
  x: number,
  baseline: readonly number[],
  open: AnomalyKind | null,
  o: DetectorOptions,
): Verdict {
  const expected = median(baseline)
  const mad = median(baseline.map((v) => Math.abs(v - expected)))
  const floor = o.counts ? Math.max(o.minScale, 1 + Math.sqrt(Math.max(expected, 0))) : o.minScale
  const spread = Math.max(1.4826 * mad, floor)
  const z = (x - expected) / spread
  const falling = open === 'drop' || open === 'silence'
  let anomaly: AnomalyKind | null = null
  if (falling ? z <= -o.closeZ : z <= -o.openZ) {
    if (falling || x < expected * (1 - o.minRelativeChange)) anomaly = 'drop'
  } else if (open === 'spike' ? z >= o.closeZ : z >= o.openZ) {
    if (open === 'spike' || x > expected * (1 + o.minRelativeChange)) anomaly = 'spike'
  }
  const severity: Severity | null =
    anomaly === null ? null : Math.abs(z) >= o.criticalZ ? 'critical' : 'warning'
  return {
    expected,
    lower: expected - o.openZ * spread,
    upper: expected + o.openZ * spread,
    score: z,
    anomaly,
    severity,
  }
}

/** Verdicts for every point of `values` (null = not measured), in order. Pure. */
export function detect(
  values: readonly (number | null)[],
  options: Partial<DetectorOptions> = {},
): Verdict[] {
  const o: DetectorOptions = { ...DEFAULT_DETECTOR, ...options }
  const out: Verdict[] = []
  let open: AnomalyKind | null = null
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    if (x === undefined || x === null) {
      out.push(NONE)
      continue
    }
    if (o.counts && isSilent(values, i, o)) {
      open = 'silence'
      out.push({ ...NONE, anomaly: 'silence', severity: 'critical' })
      continue
    }
    const baseline = baselineOf(values, i, o)
    if (baseline.length < Math.min(o.minHistory, o.period > 0 ? o.minSeasonal : o.minHistory)) {
      out.push(NONE)
      open = null
      continue
    }
    const verdict = judge(x, baseline, open, o)
    open = verdict.anomaly
    out.push(verdict)
  }
  return out
}

/** Detector options for a series of `bucketMs` buckets: a daily season below a day, else weekly. */
export function optionsForBucket(bucketMs: number, counts: boolean): Partial<DetectorOptions> {
  const day = 86_400_000
  const period = bucketMs < day && day % bucketMs === 0 ? day / bucketMs : bucketMs === day ? 7 : 0
  return { period, seasons: bucketMs >= day ? 4 : 7, counts }
}
