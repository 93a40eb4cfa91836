import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  AlertEvaluator,
  AlertRules,
  alertRuleSchema,
  noPlanOutcomes,
  QualityMetrics,
  type AlertSink,
  type Incident,
  type VolumeRow,
} from '../../quality/index.js'
import { openSqliteStorage, type SqliteStorage } from '../sqlite/open-sqlite-storage.js'

// The alert evaluator on a real embedded store: anomaly and threshold rules over real
// counters, incidents stored with their history, alert events sent once per transition and
// retried after a failed send.
const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const opened: Array<{ dir: string; storage: SqliteStorage }> = []

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.storage.close()
    rmSync(o.dir, { recursive: true, force: true })
  }
})

/** Records what it is asked to send; fails while `failing` is set. */
class RecordingSink implements AlertSink {
  sent: Array<{ id: string; transition: string; sourceId: string }> = []
  failing = false
  append(incident: Incident, transition: 'opened' | 'resolved', sourceId: string): Promise<void> {
    if (this.failing) return Promise.reject(new Error('log unavailable'))
    this.sent.push({ id: incident.id, transition, sourceId })
    return Promise.resolve()
  }
}

function setup(rules: unknown[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-quality-alerts-'))
  const storage = openSqliteStorage({ dataDir: dir })
  opened.push({ dir, storage })
  let now = T0
  const sink = new RecordingSink()
  const metrics = new QualityMetrics({
    counters: storage.qualityCounters,
    plans: noPlanOutcomes,
    identity: storage.identityMatch,
  })
  const alertRules = new AlertRules(
    storage.qualityAlerts,
    rules.map((r) => alertRuleSchema.parse(r)),
    () => now,
  )
  const evaluator = new AlertEvaluator({
    rules: alertRules,
    store: storage.qualityAlerts,
    metrics,
    sink,
    now: () => now,
  })
  let position = 0
  const addVolume = async (rows: VolumeRow[]) => {
    await storage.qualityCounters.apply(position, position + 1, {
      volume: rows,
      completeness: [],
      newNames: [],
    })
    position += 1
  }
  const errors: unknown[] = []
  return {
    storage,
    sink,
    addVolume,
    errors,
    setNow: (t: number) => {
      now = t
    },
    evaluate: () => evaluator.evaluate((e) => errors.push(e)),
  }
}

const hourRow = (t: number, count: number): VolumeRow => ({
  sourceId: 'web',
  minute: t,
  eventType: 'track',
  eventName: 'Order Completed',
  count,
})

describe('alert evaluator', () => {
  it('opens an anomaly incident on a drop against the same hours before, and resolves it', async () => {
    const s = setup([
      {
        id: 'orders',
        name: 'Orders',
        metric: 'volume',
        source: 'web',
        event: 'Order Completed',
        condition: 'anomaly',
        window: '1h',
        notify: { sourceId: 'alerts' },
      },
    ])
    // Eight days at ~100 orders an hour, then an hour with 10.
    const rows: VolumeRow[] = []
    for (let t = T0; t < T0 + 8 * DAY; t += HOUR) rows.push(hourRow(t, 95 + ((t / HOUR) % 11)))
    await s.addVolume(rows)
    const lastHour = T0 + 8 * DAY
    await s.addVolume([hourRow(lastHour, 10)])
    s.setNow(lastHour + HOUR + 5 * 60_000)
    await s.evaluate()
    const [incident] = await s.storage.qualityAlerts.incidents({ limit: 10 })
    expect(incident).toMatchObject({
      ruleId: 'orders',
      status: 'open',
      condition: 'drop',
      observed: 10,
      notifySourceId: 'alerts',
    })
    expect(incident?.expected).toBeGreaterThan(94)
    expect(s.sink.sent).toEqual([{ id: incident?.id, transition: 'opened', sourceId: 'alerts' }])

    // Evaluating again changes nothing and sends nothing.
    await s.evaluate()
    expect(await s.storage.qualityAlerts.incidents({ limit: 10 })).toHaveLength(1)
    expect(s.sink.sent).toHaveLength(1)

    // The next hour is back to normal: resolved, and the resolution sent.
    await s.addVolume([hourRow(lastHour + HOUR, 100)])
    s.setNow(lastHour + 2 * HOUR + 60_000)
    await s.evaluate()
    const resolved = await s.storage.qualityAlerts.incident(incident?.id ?? '')
    expect(resolved).toMatchObject({ status: 'resolved', resolvedObserved: 100 })
    expect(s.sink.sent.map((x) => x.transition)).toEqual(['opened', 'resolved'])
    expect(s.errors).toEqual([])
  })

  it('stays quiet during warm-up and when the metric is unknown', async () => {
    const s = setup([
      { id: 'new', name: 'New', metric: 'volume', condition: 'anomaly', window: '1h' },
      { id: 'plan', name: 'Plan', metric: 'pass_share', condition: 'below', threshold: 0.9 },
    ])
    await s.addVolume([hourRow(T0, 100), hourRow(T0 + HOUR, 100), hourRow(T0 + 2 * HOUR, 0)])
    s.setNow(T0 + 3 * HOUR)
    await s.evaluate()
    expect(await s.storage.qualityAlerts.incidents({ limit: 10 })).toEqual([])
  })

  it('retries a failed send at the next evaluation, once per transition', async () => {
    const s = setup([
      {
        id: 'few',
        name: 'Few',
        metric: 'volume',
        condition: 'below',
        threshold: 5,
        window: '10m',
        notify: { sourceId: 'alerts' },
      },
    ])
    s.sink.failing = true
    s.setNow(T0)
    await s.evaluate()
    const [incident] = await s.storage.qualityAlerts.incidents({ limit: 10 })
    expect(incident).toMatchObject({ status: 'open', observed: 0, openNotifiedAt: null })
    expect(s.errors).toHaveLength(1)
    s.sink.failing = false
    await s.evaluate()
    await s.evaluate()
    expect(s.sink.sent).toEqual([{ id: incident?.id, transition: 'opened', sourceId: 'alerts' }])
    expect((await s.storage.qualityAlerts.incident(incident?.id ?? ''))?.openNotifiedAt).toBe(T0)
  })
})
