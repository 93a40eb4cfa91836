import { useState } from 'react'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { AlertRules } from './AlertRules'
import { RANGES, type QualityRange } from './format'
import { Incidents } from './Incidents'
import { MetricCards } from './MetricCards'
import { qualityApi } from './qualityApi'
import { VolumeSection } from './VolumeSection'
import './quality.css'

/**
 * `/quality`: the metrics of a source (or all) over a range, its volume with the detector's
 * anomalies, the alert rules and their incidents.
 */
export function QualityPage() {
  const api = useApi()
  const [source, setSource] = useState('')
  const [range, setRange] = useState<QualityRange>(RANGES[1])
  const [generation, setGeneration] = useState(0)
  const sources = useLoad(() => api.listSources(), [api])
  const summary = useLoad(
    () => qualityApi.summary(api, { range: range.id, ...(source ? { source } : {}) }),
    [api, source, range, generation],
  )
  return (
    <section className="page">
      <div className="page-header">
        <h1>Data quality</h1>
        <p className="muted">
          How good the data each source sends is: validation, completeness, duplicates and identity
          matches, volume against its own history, and alerts.
        </p>
      </div>
      <form
        className="toolbar card"
        aria-label="Quality scope"
        onSubmit={(e) => e.preventDefault()}
      >
        <div>
          <label htmlFor="quality-source">Source</label>
          <select id="quality-source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">All sources</option>
            {(sources.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="quality-range">Range</label>
          <select
            id="quality-range"
            value={range.id}
            onChange={(e) => setRange(RANGES.find((r) => r.id === e.target.value) ?? RANGES[1])}
          >
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorNote error={summary.error ?? sources.error} />
      {summary.data && <MetricCards summary={summary.data} />}
      <VolumeSection key={source} source={source} range={range} />
      <AlertRules sources={sources.data ?? []} onChange={() => setGeneration((g) => g + 1)} />
      <Incidents generation={generation} />
    </section>
  )
}
