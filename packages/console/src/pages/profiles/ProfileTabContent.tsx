import type { ProfileDetail } from '../../api/identity-types'
import { ExplainTab } from './ExplainTab'
import { GraphTab } from './GraphTab'
import { HistoryTab } from './HistoryTab'
import { IdentitiesTab } from './IdentitiesTab'
import { LinksTab } from './LinksTab'
import { SplitTab } from './SplitTab'
import type { Tab } from './tabs'
import { TimelineTab } from './TimelineTab'
import { TraitsTab } from './TraitsTab'

interface TabContentProps {
  tab: Tab
  profile: ProfileDetail
  /** Called after a split changed the profile. */
  onChanged: () => void
}

export function ProfileTabContent({ tab, profile, onChanged }: TabContentProps) {
  switch (tab) {
    case 'traits':
      return <TraitsTab profile={profile} />
    case 'identities':
      return <IdentitiesTab profile={profile} />
    case 'links':
      return <LinksTab profile={profile} />
    case 'timeline':
      return <TimelineTab profileId={profile.id} />
    case 'graph':
      return <GraphTab profileId={profile.id} />
    case 'history':
      return <HistoryTab profileId={profile.id} />
    case 'explain':
      return <ExplainTab profile={profile} />
    case 'split':
      return <SplitTab profile={profile} onChanged={onChanged} />
  }
}
