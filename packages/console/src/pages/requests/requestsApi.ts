import { queryString, type ApiClient } from '../../api/client'
import type {
  Regulation,
  RegulationReport,
  RegulationSummary,
  RegulationType,
} from '../../api/governance-types'
import type { CursorPage } from '../../components/useCursorPages'

const BASE = '/api/v1/regulations'
const one = (id: string): string => `${BASE}/${encodeURIComponent(id)}`

export interface CreateRegulation {
  regulationType: RegulationType
  subjectType: string
  subjectIds: string[]
}

/** The regulations (data-subject requests) and subject-access endpoints of the admin API. */
export const requestsApi = {
  async list(
    api: ApiClient,
    query: { status?: string; cursor?: string | undefined },
  ): Promise<CursorPage<RegulationSummary>> {
    const answer = await api.request<{
      data: { regulations: RegulationSummary[]; pagination: { next: string | null } }
    }>('GET', `${BASE}${queryString({ limit: 20, ...query })}`)
    return { data: answer.data.regulations, next: answer.data.pagination.next }
  },
  async get(api: ApiClient, id: string): Promise<Regulation> {
    return (await api.request<{ data: { regulation: Regulation } }>('GET', one(id))).data.regulation
  },
  async report(api: ApiClient, id: string): Promise<RegulationReport> {
    return (await api.request<{ data: RegulationReport }>('GET', `${one(id)}/report`)).data
  },
  async create(api: ApiClient, body: CreateRegulation): Promise<string> {
    return (await api.request<{ data: { regulateId: string } }>('POST', BASE, body)).data.regulateId
  },
  /** What Tessera holds about the subject, as one JSON document (the export is audited). */
  async subjectAccess(
    api: ApiClient,
    body: { subjectType: string; subjectIds: string[] },
  ): Promise<unknown> {
    return (await api.request<{ data: unknown }>('POST', '/api/v1/subject-access', body)).data
  },
}
