import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { navigate, usePath } from '../../router'
import { CreateSourceForm } from './CreateSourceForm'
import { SourceDetail } from './SourceDetail'
import { SourceList } from './SourceList'

/** `/sources` lists and creates sources; `/sources/:id` shows one. */
export function SourcesPage() {
  const path = usePath()
  const id = path.startsWith('/sources/') ? decodeURIComponent(path.slice('/sources/'.length)) : ''
  if (id) return <SourceDetail key={id} id={id} />
  return <SourceIndex />
}

function SourceIndex() {
  const api = useApi()
  const sources = useLoad(() => api.listSources(), [api])
  return (
    <section className="page">
      <div className="page-header">
        <h1>Sources</h1>
        <p className="muted">
          A source is an app or site that sends events. Its write key authenticates the tracking
          calls.
        </p>
      </div>
      {sources.error && (
        <p className="error" role="alert">
          {sources.error}
        </p>
      )}
      <div className="card">
        <h2>All sources</h2>
        {sources.data ? <SourceList sources={sources.data} /> : <p className="muted">Loading…</p>}
      </div>
      <div className="card">
        <h2>New source</h2>
        <CreateSourceForm
          onCreated={(source) => navigate(`/sources/${encodeURIComponent(source.id)}`)}
        />
      </div>
    </section>
  )
}
