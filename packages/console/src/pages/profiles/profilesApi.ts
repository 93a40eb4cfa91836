import { queryString, type ApiClient, type Query } from '../../api/client'
import type {
  Collection,
  Explanation,
  HistoryEdge,
  IdentityGraph,
  ProfileDetail,
  ProfileEvent,
  ProfileSummary,
  SplitRequest,
  SplitResult,
} from '../../api/identity-types'
import type { Page } from '../../api/types'

const profilePath = (id: string): string => `/api/v1/profiles/${encodeURIComponent(id)}`

/** The identity endpoints of the admin API, on the console's client. */
export const profilesApi = {
  search(
    api: ApiClient,
    query: { q: string; collection: Collection; limit?: number; cursor?: string },
  ): Promise<Page<ProfileSummary>> {
    return api.request('GET', `/api/v1/profiles${queryString(query)}`)
  },

  get(api: ApiClient, id: string): Promise<ProfileDetail> {
    return api.request('GET', profilePath(id))
  },

  events(api: ApiClient, id: string, query: Query = {}): Promise<Page<ProfileEvent>> {
    return api.request('GET', `${profilePath(id)}/events${queryString(query)}`)
  },

  history(api: ApiClient, id: string, query: Query = {}): Promise<Page<HistoryEdge>> {
    return api.request('GET', `${profilePath(id)}/history${queryString(query)}`)
  },

  graph(api: ApiClient, id: string): Promise<IdentityGraph> {
    return api.request('GET', `${profilePath(id)}/graph`)
  },

  explain(api: ApiClient, collection: Collection, a: string, b: string): Promise<Explanation> {
    return api.request('GET', `/api/v1/identity/explain${queryString({ collection, a, b })}`)
  },

  split(api: ApiClient, id: string, request: SplitRequest): Promise<SplitResult> {
    return api.request('POST', `${profilePath(id)}/split`, request)
  },
}
