import type { ProfileDetail } from '../../api/identity-types'
import { ProfileTable } from './ProfileTable'

/** A user's accounts (by its group ids), or an account's users. */
export function LinksTab({ profile }: { profile: ProfileDetail }) {
  const other = profile.collection === 'users' ? 'accounts' : 'users'
  if (profile.links.length === 0) {
    return (
      <p className="muted">
        No linked {other}.{' '}
        {profile.collection === 'users'
          ? 'A group call with a groupId links a user to an account.'
          : 'Users join an account through group calls with its groupId.'}
      </p>
    )
  }
  return <ProfileTable profiles={profile.links} label={`Linked ${other}`} />
}
