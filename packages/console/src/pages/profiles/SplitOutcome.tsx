import type { ProfileDetail, SplitResult } from '../../api/identity-types'
import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'
import { Link } from '../../router'
import { idKey, profileUrl, traitText } from './format'
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

function ProfileList({ ids, testId }: { ids: string[]; testId: string }) {
  const api = useApi()
  const loaded = useLoad(() => loadProfiles((id) => profilesApi.get(api, id), ids), [api, ids])
  const rows = loaded.data ?? ids.map((id) => ({ id, profile: null }))
  return (
    <ul className="split-profiles" data-testid={testId}>
      {rows.map(({ id, profile }) => (
        <li key={id}>
          {profile ? <Link to={profileUrl(id)}>{id}</Link> : <code>{id}</code>}
          {profile?.traits.name && <span> · {traitText(profile.traits.name.value)}</span>}
          {loaded.data && !profile && <span className="muted"> · no longer exists</span>}
          {profile && (
            <div className="id-chips">
              {profile.identifiers.map((identifier) => (
                <IdChip key={idKey(identifier)} id={identifier} />
              ))}
            </div>
          )}
        </li>
      ))}
    </ul>
  )
}

/** The profiles the split's rebuild found before and made after. */
export function SplitOutcome({ result }: { result: SplitResult }) {
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
          <ProfileList ids={rebuild.profilesBefore} testId="split-before" />
        </div>
        <div>
          <h3>After</h3>
          <ProfileList ids={rebuild.profilesAfter} testId="split-after" />
        </div>
      </div>
    </div>
  )
}
