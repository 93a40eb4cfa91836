import type { ReactNode } from 'react'
import { AuditPage } from './pages/audit/AuditPage'
import { DestinationsPage } from './pages/destinations/DestinationsPage'
import { LiveEventsPage } from './pages/live/LiveEventsPage'
import { OverviewPage } from './pages/overview/OverviewPage'
import { PlansPage } from './pages/plans/PlansPage'
import { PrivacyPage } from './pages/privacy/PrivacyPage'
import { ProfilesPage } from './pages/profiles/ProfilesPage'
import { QualityPage } from './pages/quality/QualityPage'
import { RequestsPage } from './pages/requests/RequestsPage'
import { SourcesPage } from './pages/sources/SourcesPage'

export interface AppRoute {
  /** `/` matches only itself; any other path also matches its subpaths (`/sources/:id`). */
  path: string
  /** Shown in the left navigation. */
  label: string
  element: ReactNode
}

/** Every page of the console, in navigation order: a new page is one more line here. */
export const routes: AppRoute[] = [
  { path: '/', label: 'Overview', element: <OverviewPage /> },
  { path: '/sources', label: 'Sources', element: <SourcesPage /> },
  { path: '/live', label: 'Live events', element: <LiveEventsPage /> },
  { path: '/profiles', label: 'Profiles', element: <ProfilesPage /> },
  { path: '/destinations', label: 'Destinations', element: <DestinationsPage /> },
  { path: '/tracking-plans', label: 'Tracking plans', element: <PlansPage /> },
  { path: '/quality', label: 'Data quality', element: <QualityPage /> },
  { path: '/privacy', label: 'Privacy', element: <PrivacyPage /> },
  { path: '/requests', label: 'Requests', element: <RequestsPage /> },
  { path: '/audit', label: 'Audit log', element: <AuditPage /> },
]
