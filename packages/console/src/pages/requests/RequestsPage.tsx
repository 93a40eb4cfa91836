import { usePath } from '../../router'
import { CreateRequestForm } from './CreateRequestForm'
import { RequestDetail } from './RequestDetail'
import { RequestList } from './RequestList'
import { SubjectAccessExport } from './SubjectAccessExport'
import './requests.css'

/** `/requests` lists and creates data-subject requests; `/requests/:id` shows one. */
export function RequestsPage() {
  const path = usePath()
  const rest = path.startsWith('/requests/') ? path.slice('/requests/'.length) : ''
  const id = decodeURIComponent(rest.split('/')[0] ?? '')
  if (id) return <RequestDetail key={id} id={id} />
  return (
    <section className="page">
      <div className="page-header">
        <h1>Requests</h1>
        <p className="muted">
          Data-subject requests (GDPR, CCPA): suppress and delete a person’s data in every store and
          destination, with a report per request, and export what is held about them.
        </p>
      </div>
      <CreateRequestForm />
      <RequestList />
      <SubjectAccessExport />
    </section>
  )
}
