import { usePath } from '../../router'
import { CatalogBrowser } from './CatalogBrowser'
import { DestinationDetail } from './DestinationDetail'
import { DestinationIndex } from './DestinationIndex'
import { CreateDestination, EditDestination } from './DestinationEditor'
import './destinations.css'
import './destination-detail.css'

/**
 * `/destinations` lists; `/destinations/new` browses the catalog and `/destinations/new/:type`
 * configures one; `/destinations/:id[/:tab]` shows one and `/destinations/:id/edit` edits it.
 * (`new` is the one id the console cannot open; the API still serves it.)
 */
export function DestinationsPage() {
  const path = usePath()
  const rest = path.startsWith('/destinations/') ? path.slice('/destinations/'.length) : ''
  const [first = '', second = ''] = rest.split('/').map(decodeURIComponent)
  if (first === 'new') {
    return second ? <CreateDestination key={second} type={second} /> : <CatalogBrowser />
  }
  if (first && second === 'edit') return <EditDestination key={first} id={first} />
  if (first) return <DestinationDetail key={first} id={first} tab={second} />
  return <DestinationIndex />
}
