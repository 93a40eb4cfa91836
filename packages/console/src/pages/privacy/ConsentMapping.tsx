import type { DestinationRecord } from '../../api/destination-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { privacyApi } from './privacyApi'

function Row({ record }: { record: DestinationRecord }) {
  const { config } = record
  const categories = config.consentCategories
  return (
    <tr data-testid={`consent-${config.id}`}>
      <td>
        <Link to={`/destinations/${encodeURIComponent(config.id)}`}>{config.name}</Link>
        <div className="muted small">
          <code>{config.id}</code> · {config.type}
        </div>
      </td>
      <td>
        {categories.length === 0 ? (
          <span className="muted">none: not gated by consent</span>
        ) : (
          categories.map((c) => (
            <code key={c} className="privacy-chip">
              {c}
            </code>
          ))
        )}
      </td>
      <td>{config.marketing ? <span className="badge warn">marketing</span> : '—'}</td>
      <td className="small">
        {[config.channel, config.contentType].filter((v) => v !== null).join(' · ') || '—'}
      </td>
    </tr>
  )
}

/** Destinations with the consent categories an event must grant to reach them. */
export function ConsentMapping() {
  const api = useApi()
  const list = useLoad(() => privacyApi.destinations(api), [api])
  const records = list.data?.data ?? []
  return (
    <div className="card">
      <h2>Consent mapping</h2>
      <p className="help">
        An event reaches a destination only when its consent (context.consent.categoryPreferences)
        grants every category mapped to it. Events without consent data follow
        consent.missingConsent in the config file: Segment’s rule (no enforcement) by default, or
        strict (only unmapped destinations). Restricted people never reach marketing destinations;
        channel opt-outs apply to destinations with a channel.
      </p>
      <ErrorNote error={list.error} />
      {list.data && records.length === 0 && <p className="muted">No destinations yet.</p>}
      {records.length > 0 && (
        <table className="table" aria-label="Consent mapping">
          <thead>
            <tr>
              <th>Destination</th>
              <th>Consent categories</th>
              <th>Marketing</th>
              <th>Channel · content</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <Row key={r.config.id} record={r} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
