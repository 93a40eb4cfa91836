import { useState } from 'react'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import type { QualityRange } from './format'
import { qualityApi } from './qualityApi'
import { VolumeChart } from './VolumeChart'

/** Volume over the range for the source (all its events, or the one picked), flagged. */
export function VolumeSection({ source, range }: { source: string; range: QualityRange }) {
  const api = useApi()
  const [event, setEvent] = useState('')
  const events = useLoad(
    () => (source ? qualityApi.events(api, source) : Promise.resolve([])),
    [api, source],
  )
  const series = useLoad(() => {
    const to = Date.now()
    return qualityApi.series(api, {
      metric: 'volume',
      bucket: range.bucket,
      from: to - range.ms,
      to,
      ...(source ? { source } : {}),
      ...(event ? { event } : {}),
    })
  }, [api, source, event, range])
  const names = [...new Set((events.data ?? []).map((e) => e.name))]
  const title = `Volume per ${range.bucket}${event ? ` of ${event}` : ''}`
  return (
    <div className="card">
      <div className="quality-section-head">
        <h2>Volume</h2>
        <div>
          <label htmlFor="quality-event">Event</label>
          <select
            id="quality-event"
            value={event}
            disabled={!source}
            title={source ? undefined : 'Pick a source to choose one of its events'}
            onChange={(e) => setEvent(e.target.value)}
          >
            <option value="">All events</option>
            {names.map((name) => (
              <option key={name} value={name}>
                {name || '(no name: identify, group, alias)'}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={series.error ?? events.error} />
      {series.data && <VolumeChart points={series.data.data} bucket={range.bucket} title={title} />}
      <p className="help">
        Each bucket is judged against its own history; markers show drops, spikes and silences the
        detector found (it needs a few past days or points before it judges).
      </p>
    </div>
  )
}
