import type { HistoryEdge } from '../../api/identity-types'
import { useApi } from '../../auth'
import { Link } from '../../router'
import { EdgeKindBadge } from './EdgeKindBadge'
import { formatTime, profileUrl, shorten } from './format'
import { ErrorNote, IdChip, LoadMore } from './parts'
import { profilesApi } from './profilesApi'
import { usePaged } from './usePaged'
import { useSourceNames } from './useSourceNames'

const PAGE_SIZE = 100

function HistoryRow({ edge, sourceName }: { edge: HistoryEdge; sourceName: string }) {
  return (
    <tr data-testid="history-row">
      <td className="muted small nowrap">{formatTime(edge.timestamp)}</td>
      <td>
        <EdgeKindBadge kind={edge.kind} />
      </td>
      <td>
        {edge.from ? <IdChip id={edge.from} /> : <span className="muted">—</span>}
        <span className="arrow" aria-label="to">
          →
        </span>
        <IdChip id={edge.to} />
        {edge.mergedProfileId && (
          <div className="muted small">
            absorbed <Link to={profileUrl(edge.mergedProfileId)}>{edge.mergedProfileId}</Link>
          </div>
        )}
      </td>
      <td className="nowrap">
        <code>{edge.rule}</code>
      </td>
      <td>
        <code title={edge.messageId}>{shorten(edge.messageId, 12)}</code>
        <div className="muted small nowrap" title={edge.sourceId}>
          {sourceName} · seq {edge.seq}
        </div>
      </td>
    </tr>
  )
}

/** Every edge of the profile in the order resolution made them, with its event and rule. */
export function HistoryTab({ profileId }: { profileId: string }) {
  const api = useApi()
  const sourceName = useSourceNames()
  const history = usePaged(
    (cursor) => profilesApi.history(api, profileId, { limit: PAGE_SIZE, cursor }),
    [api, profileId],
  )
  return (
    <>
      <p className="help tab-intro">
        Oldest first. Each row is one effect of one event: a profile created, an identifier
        attached, a profile merged in, or an identifier dropped by a rule.
      </p>
      <ErrorNote error={history.error} />
      {history.items.length > 0 && (
        <table className="table" aria-label="Merge history">
          <thead>
            <tr>
              <th>Event time</th>
              <th>Kind</th>
              <th>Identifiers</th>
              <th>Rule</th>
              <th>Event</th>
            </tr>
          </thead>
          <tbody>
            {history.items.map((edge) => (
              <HistoryRow key={edge.id} edge={edge} sourceName={sourceName(edge.sourceId)} />
            ))}
          </tbody>
        </table>
      )}
      {!history.loading && !history.error && history.items.length === 0 && (
        <p className="muted">No history.</p>
      )}
      <LoadMore hasMore={history.hasMore} loading={history.loading} onClick={history.loadMore} />
    </>
  )
}
