import type { ProfileDetail, SplitResult } from '../../api/identity-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { countsText, idKey, profileUrl, traitText } from './format'
import { IdChip } from './parts'
import { profilesApi } from './profilesApi'

/** Each profile id with its detail, or null when it no longer exists. */
async function loadProfiles(load: (id: string) => Promise<ProfileDetail>, ids: string[]) {
  const settled = await Promise.allSettled(ids.map(load))
  return ids.map((id, i) => {
    const result = settled[i]
    return { id, profile: result?.status === 'fulfilled' ? result.value : null }
  })
}

function IdChips({ profile }: { profile: ProfileDetail }) {
  return (
    <div className="id-chips">
      {profile.identifiers.map((identifier) => (
        <IdChip key={idKey(identifier)} id={identifier} />
      ))}
    </div>
  )
}

const nameOf = (profile: ProfileDetail): string | null =>
  profile.traits.name ? traitText(profile.traits.name.value) : null

/** The profiles before the split, as this page showed them (they have changed since). */
function BeforeList({ ids, snapshot }: { ids: string[]; snapshot: ProfileDetail }) {
  return (
    <ul className="split-profiles" data-testid="split-before">
      {ids.map((id) => (
        <li key={id}>
          <code>{id}</code>
          {id === snapshot.id && nameOf(snapshot) && <span> · {nameOf(snapshot)}</span>}
          {id === snapshot.id && (
            <span className="muted small"> · {countsText(snapshot.counts)}</span>
          )}
          {id === snapshot.id && <IdChips profile={snapshot} />}
        </li>
      ))}
    </ul>
  )
}

/** The profiles the split made, as they are now. */
function AfterList({ ids }: { ids: string[] }) {
  const api = useApi()
  const loaded = useLoad(() => loadProfiles((id) => profilesApi.get(api, id), ids), [api, ids])
  const rows = loaded.data ?? ids.map((id) => ({ id, profile: null }))
  return (
    <ul className="split-profiles" data-testid="split-after">
      {rows.map(({ id, profile }) => (
        <li key={id}>
          {profile ? <Link to={profileUrl(id)}>{id}</Link> : <code>{id}</code>}
          {profile && nameOf(profile) && <span> · {nameOf(profile)}</span>}
          {profile && <span className="muted small"> · {countsText(profile.counts)}</span>}
          {loaded.data && !profile && <span className="muted"> · no longer exists</span>}
          {profile && <IdChips profile={profile} />}
        </li>
      ))}
    </ul>
  )
}

/** The profiles the split's rebuild found before and made after. */
export function SplitOutcome({ result, before }: { result: SplitResult; before: ProfileDetail }) {
  const { rebuild } = result
  return (
    <div className="split-outcome" data-testid="split-outcome" role="status">
      <p>
        <span className="badge ok">Split done</span> {rebuild.events} events resolved again:{' '}
        {rebuild.profilesBefore.length}{' '}
        {rebuild.profilesBefore.length === 1 ? 'profile' : 'profiles'} before,{' '}
        {rebuild.profilesAfter.length} after.
      </p>
      <div className="split-columns">
        <div>
          <h3>Before</h3>
          <BeforeList ids={rebuild.profilesBefore} snapshot={before} />
        </div>
        <div>
          <h3>After</h3>
          <AfterList ids={rebuild.profilesAfter} />
        </div>
      </div>
    </div>
  )
}
