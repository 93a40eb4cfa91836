import { queryString, type ApiClient, type Query } from '../../api/client'
import type {
  Backfill,
  CatalogDetail,
  CatalogItem,
  DeadLetter,
  DeadLetterSelector,
  DeliveryTrace,
  DestinationFilter,
  DestinationInput,
  DestinationList,
  DestinationRecord,
  ErrorSample,
  FilterPreview,
  Metrics,
  TestResult,
} from '../../api/destination-types'
import type { Page } from '../../api/types'

const BASE = '/api/v1/destinations'
const one = (id: string): string => `${BASE}/${encodeURIComponent(id)}`
type Event = Record<string, unknown>

/** The destinations endpoints of the admin API, on the console's client. */
export const destinationsApi = {
  list(api: ApiClient): Promise<DestinationList> {
    return api.request('GET', BASE)
  },
  get(api: ApiClient, id: string): Promise<DestinationRecord> {
    return api.request('GET', one(id))
  },
  create(api: ApiClient, input: DestinationInput): Promise<DestinationRecord> {
    return api.request('POST', BASE, input)
  },
  replace(api: ApiClient, id: string, input: DestinationInput): Promise<DestinationRecord> {
    return api.request('PUT', one(id), input)
  },
  remove(api: ApiClient, id: string): Promise<void> {
    return api.request('DELETE', one(id))
  },
  validate(api: ApiClient, input: DestinationInput): Promise<{ problems: string[] }> {
    return api.request('POST', `${BASE}/validate`, input)
  },

  catalog(api: ApiClient, q: string): Promise<{ data: CatalogItem[]; total: number }> {
    return api.request('GET', `/api/v1/catalog${queryString({ q })}`)
  },
  catalogType(api: ApiClient, type: string): Promise<CatalogDetail> {
    return api.request('GET', `/api/v1/catalog/${encodeURIComponent(type)}`)
  },

  metrics(api: ApiClient, id: string, query: { since?: number; until?: number }): Promise<Metrics> {
    return api.request('GET', `${one(id)}/metrics${queryString(query)}`)
  },
  errors(api: ApiClient, id: string): Promise<{ data: ErrorSample[] }> {
    return api.request('GET', `${one(id)}/errors`)
  },
  deadLetters(api: ApiClient, id: string, query: Query): Promise<Page<DeadLetter>> {
    return api.request('GET', `${one(id)}/dead-letters${queryString(query)}`)
  },
  replay(api: ApiClient, id: string, selector: DeadLetterSelector): Promise<{ replayed: number }> {
    return api.request('POST', `${one(id)}/dead-letters/replay`, selector)
  },
  deleteDeadLetters(
    api: ApiClient,
    id: string,
    selector: DeadLetterSelector,
  ): Promise<{ deleted: number }> {
    return api.request('POST', `${one(id)}/dead-letters/delete`, selector)
  },
  backfills(api: ApiClient, id: string): Promise<{ data: Backfill[] }> {
    return api.request('GET', `${one(id)}/backfills`)
  },
  startBackfill(
    api: ApiClient,
    id: string,
    range: { from: number; to: number },
  ): Promise<Backfill> {
    return api.request('POST', `${one(id)}/backfills`, range)
  },
  test(api: ApiClient, id: string, event: Event): Promise<TestResult> {
    return api.request('POST', `${one(id)}/test`, { event })
  },
  previewFilters(
    api: ApiClient,
    filters: DestinationFilter[],
    event: Event,
  ): Promise<FilterPreview> {
    return api.request('POST', `${BASE}/filters/preview`, { filters, event })
  },
  trace(api: ApiClient, messageId: string): Promise<DeliveryTrace> {
    return api.request('GET', `/api/v1/events/${encodeURIComponent(messageId)}/deliveries`)
  },
}
