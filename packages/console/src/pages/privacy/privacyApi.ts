import { queryString, type ApiClient } from '../../api/client'
import type { DestinationList } from '../../api/destination-types'
import type { Classification, InventoryRow, Matcher, PiiRuleView } from '../../api/governance-types'
import type { Page } from '../../api/types'

export interface InventoryQuery {
  /** `pii` (any class), a class, `none` or `all`. */
  class: string
  source?: string
}

const inventoryPath = (query: InventoryQuery, extra: Record<string, string | number> = {}) =>
  `/api/v1/privacy/inventory${queryString({ class: query.class, source: query.source, ...extra })}`

/** The privacy endpoints of the admin API (and the destinations' consent mapping). */
export const privacyApi = {
  inventory(api: ApiClient, query: InventoryQuery, cursor?: string): Promise<Page<InventoryRow>> {
    return api.request('GET', inventoryPath(query, { limit: 50, ...(cursor ? { cursor } : {}) }))
  },
  /** The CSV export of the same filter (up to 100,000 rows). */
  inventoryCsvPath(query: InventoryQuery): string {
    return inventoryPath(query, { format: 'csv' })
  },
  rules(api: ApiClient): Promise<{ data: PiiRuleView[] }> {
    return api.request('GET', '/api/v1/privacy/rules')
  },
  matchers(api: ApiClient): Promise<{ data: Matcher[] }> {
    return api.request('GET', '/api/v1/privacy/matchers')
  },
  classify(api: ApiClient, payload: Record<string, unknown>): Promise<{ data: Classification[] }> {
    return api.request('POST', '/api/v1/privacy/classify', { payload })
  },
  destinations(api: ApiClient): Promise<DestinationList> {
    return api.request('GET', '/api/v1/destinations')
  },
}
