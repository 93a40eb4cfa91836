import { queryString, type ApiClient } from '../../api/client'
import type {
  AlertRule,
  AlertRuleInput,
  Incident,
  ObservedEvent,
  QualityMetric,
  QualitySummary,
  Series,
} from '../../api/governance-types'

const BASE = '/api/v1/quality'
const enc = encodeURIComponent

export interface SeriesQuery {
  metric: QualityMetric
  source?: string
  event?: string
  bucket: 'minute' | 'hour' | 'day'
  from: number
  to: number
}

/** The data-quality endpoints of the admin API, on the console's client. */
export const qualityApi = {
  summary(api: ApiClient, query: { source?: string; range: string }): Promise<QualitySummary> {
    return api.request('GET', `${BASE}/summary${queryString(query)}`)
  },
  series(api: ApiClient, query: SeriesQuery): Promise<Series> {
    return api.request('GET', `${BASE}/series${queryString({ ...query })}`)
  },
  rules(api: ApiClient): Promise<{ data: AlertRule[]; managed: boolean }> {
    return api.request('GET', `${BASE}/alerts`)
  },
  createRule(api: ApiClient, rule: AlertRuleInput): Promise<AlertRule> {
    return api.request('POST', `${BASE}/alerts`, rule)
  },
  replaceRule(api: ApiClient, id: string, rule: AlertRuleInput): Promise<AlertRule> {
    return api.request('PUT', `${BASE}/alerts/${enc(id)}`, rule)
  },
  deleteRule(api: ApiClient, id: string): Promise<void> {
    return api.request('DELETE', `${BASE}/alerts/${enc(id)}`)
  },
  incidents(api: ApiClient, status: 'open' | 'resolved' | ''): Promise<{ data: Incident[] }> {
    return api.request('GET', `${BASE}/incidents${queryString({ status })}`)
  },
  ack(api: ApiClient, id: string): Promise<Incident> {
    return api.request('POST', `${BASE}/incidents/${enc(id)}/ack`)
  },
  /** Event names a source has sent (its observed schema), most frequent first. */
  async events(api: ApiClient, sourceId: string): Promise<ObservedEvent[]> {
    const schema = await api.request<{ events: ObservedEvent[] }>(
      'GET',
      `/api/v1/sources/${enc(sourceId)}/schema`,
    )
    return [...schema.events].sort((a, b) => b.count - a.count)
  },
}
