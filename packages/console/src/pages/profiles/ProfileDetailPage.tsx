import type { ProfileDetail } from '../../api/identity-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { countsText, formatTime, profileUrl, traitText } from './format'
import { ErrorNote } from './parts'
import { profilesApi } from './profilesApi'
import { ProfileTabContent } from './ProfileTabContent'
import { profileLabel } from './ProfileTable'
import { TABS, tabLabel, toTab, type Tab } from './tabs'

function traitString(profile: ProfileDetail, key: string): string | null {
  const value = profile.traits[key]?.value
  return value === null || value === undefined ? null : traitText(value)
}

function ProfileHeader({ profile }: { profile: ProfileDetail }) {
  const name = traitString(profile, 'name')
  const email = traitString(profile, 'email')
  return (
    <div className="page-header">
      <h1 data-testid="profile-title">{profileLabel({ id: profile.id, name, email })}</h1>
      <p className="muted">
        <span className="badge">{profile.collection}</span> <code>{profile.id}</code>
        {name && email ? ` · ${email}` : ''}
      </p>
      <dl className="profile-facts">
        <div>
          <dt>First seen</dt>
          <dd>{formatTime(profile.firstSeen)}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>{formatTime(profile.lastSeen)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{countsText(profile.counts)}</dd>
        </div>
        <div>
          <dt>Identifiers</dt>
          <dd>{profile.identifiers.length}</dd>
        </div>
        <div>
          <dt>Merges</dt>
          <dd>{profile.merges}</dd>
        </div>
      </dl>
    </div>
  )
}

function TabNav({ profile, current }: { profile: ProfileDetail; current: Tab }) {
  return (
    <nav className="tabs" aria-label="Profile sections">
      {TABS.map((tab) => (
        <Link
          key={tab}
          to={profileUrl(profile.id, tab === 'traits' ? undefined : tab)}
          className={tab === current ? 'tab active' : 'tab'}
          aria-current={tab === current ? 'page' : undefined}
        >
          {tabLabel(tab, profile.collection)}
        </Link>
      ))}
    </nav>
  )
}

/** One profile: a summary, then its traits, identities, events, graph and tools by tab. */
export function ProfileDetailPage({ id, tab }: { id: string; tab: string }) {
  const api = useApi()
  const loaded = useLoad(() => profilesApi.get(api, id), [api, id])
  const profile = loaded.data
  const current = toTab(tab)
  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to="/profiles">← Profiles</Link>
      </p>
      <ErrorNote error={loaded.error} />
      {!profile && !loaded.error && <p className="muted">Loading…</p>}
      {profile && (
        <>
          <ProfileHeader profile={profile} />
          <TabNav profile={profile} current={current} />
          <div className="card tab-panel" data-testid={`tab-${current}`}>
            <ProfileTabContent tab={current} profile={profile} onChanged={loaded.reload} />
          </div>
        </>
      )}
    </section>
  )
}
