import { usePath } from '../../router'
import { ProfileDetailPage } from './ProfileDetailPage'
import { ProfileSearch } from './ProfileSearch'
import './profiles.css'

/** `/profiles` searches; `/profiles/:id` and `/profiles/:id/:tab` show one profile. */
export function ProfilesPage() {
  const path = usePath()
  const rest = path.startsWith('/profiles/') ? path.slice('/profiles/'.length) : ''
  const [rawId = '', tab = ''] = rest.split('/')
  const id = decodeURIComponent(rawId)
  if (id) return <ProfileDetailPage key={id} id={id} tab={tab} />
  return <ProfileSearch />
}
