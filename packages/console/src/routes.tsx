import type { ReactNode } from 'react'
import { DestinationsPage } from './pages/destinations/DestinationsPage'
import { LiveEventsPage } from './pages/live/LiveEventsPage'
import { OverviewPage } from './pages/overview/OverviewPage'
import { PlansPage } from './pages/plans/PlansPage'
import { ProfilesPage } from './pages/profiles/ProfilesPage'
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
]
