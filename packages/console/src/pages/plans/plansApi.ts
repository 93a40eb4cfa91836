import { queryString, type ApiClient, type Query } from '../../api/client'
import type { Page } from '../../api/types'
import type {
  EnforcementPatch,
  ObservedEvent,
  PlanConnection,
  PlanInput,
  PlanRevision,
  PlanRule,
  PlanStatsRow,
  PlanSummary,
  QuarantinedEvent,
  ReplayResult,
  RevisionSummary,
  TrackingPlan,
  ViolationGroup,
  ViolationWindow,
} from './types'

const BASE = '/api/v1/tracking-plans'
const plan = (id: string): string => `${BASE}/${encodeURIComponent(id)}`
const source = (id: string): string => `/api/v1/sources/${encodeURIComponent(id)}`
const quarantined = (id: string): string => `/api/v1/quarantine/${encodeURIComponent(id)}`

/** Rules as the rules routes answer them. */
export interface RulesBody {
  planId: string
  revision: number
  data: PlanRule[]
}

/** A rule's identity, as the DELETE rules body names it. */
export interface RuleRef {
  type: string
  key?: string
  version?: number
}

/** The tracking-plan, quarantine and observed-schema endpoints, on the console's client. */
export const plansApi = {
  async list(api: ApiClient): Promise<PlanSummary[]> {
    return (await api.request<{ data: PlanSummary[] }>('GET', BASE)).data
  },
  get(api: ApiClient, id: string): Promise<TrackingPlan> {
    return api.request('GET', plan(id))
  },
  create(api: ApiClient, input: PlanInput): Promise<TrackingPlan> {
    return api.request('POST', BASE, input)
  },
  update(api: ApiClient, id: string, input: Partial<PlanInput>): Promise<TrackingPlan> {
    return api.request('PATCH', plan(id), input)
  },
  remove(api: ApiClient, id: string): Promise<void> {
    return api.request('DELETE', plan(id))
  },
  /** Replaces every rule in one change (one revision); the server validates the whole list. */
  replaceRules(api: ApiClient, id: string, rules: PlanRule[]): Promise<RulesBody> {
    return api.request('PUT', `${plan(id)}/rules`, rules)
  },
  /** Adds the rules, replacing those with the same `type:key:version`. */
  upsertRules(api: ApiClient, id: string, rules: PlanRule[]): Promise<RulesBody> {
    return api.request('POST', `${plan(id)}/rules`, rules)
  },
  deleteRules(api: ApiClient, id: string, rules: RuleRef[]): Promise<RulesBody> {
    return api.request('DELETE', `${plan(id)}/rules`, { rules })
  },

  async revisions(api: ApiClient, id: string): Promise<RevisionSummary[]> {
    return (await api.request<{ data: RevisionSummary[] }>('GET', `${plan(id)}/revisions`)).data
  },
  revision(api: ApiClient, id: string, revision: number): Promise<PlanRevision> {
    return api.request('GET', `${plan(id)}/revisions/${revision}`)
  },

  async connections(api: ApiClient, id: string): Promise<PlanConnection[]> {
    return (await api.request<{ data: PlanConnection[] }>('GET', `${plan(id)}/sources`)).data
  },
  connect(
    api: ApiClient,
    id: string,
    body: { sourceId: string; enforcement: EnforcementPatch },
  ): Promise<PlanConnection> {
    return api.request('POST', `${plan(id)}/sources`, body)
  },
  updateEnforcement(
    api: ApiClient,
    id: string,
    sourceId: string,
    patch: EnforcementPatch,
  ): Promise<PlanConnection> {
    return api.request('PATCH', `${plan(id)}/sources/${encodeURIComponent(sourceId)}`, patch)
  },
  disconnect(api: ApiClient, id: string, sourceId: string): Promise<void> {
    return api.request('DELETE', `${plan(id)}/sources/${encodeURIComponent(sourceId)}`)
  },

  violations(
    api: ApiClient,
    sourceId: string,
    window: ViolationWindow,
  ): Promise<{ window: string; since: string; data: ViolationGroup[] }> {
    return api.request('GET', `${source(sourceId)}/violations${queryString({ window })}`)
  },
  async planStats(api: ApiClient, sourceId: string): Promise<PlanStatsRow[]> {
    return (await api.request<{ data: PlanStatsRow[] }>('GET', `${source(sourceId)}/plan-stats`))
      .data
  },

  quarantine(api: ApiClient, query: Query): Promise<Page<QuarantinedEvent>> {
    return api.request('GET', `/api/v1/quarantine${queryString(query)}`)
  },
  /** Replaces the event's payload (validated by the server; the messageId is kept). */
  editQuarantined(api: ApiClient, id: string, event: unknown): Promise<QuarantinedEvent> {
    return api.request('PATCH', quarantined(id), { event })
  },
  replay(api: ApiClient, ids: string[]): Promise<ReplayResult> {
    return api.request('POST', '/api/v1/quarantine/replay', { ids: ids.map(Number) })
  },
  discard(api: ApiClient, id: string): Promise<void> {
    return api.request('DELETE', quarantined(id))
  },

  async observedSchema(api: ApiClient, sourceId: string): Promise<ObservedEvent[]> {
    return (await api.request<{ events: ObservedEvent[] }>('GET', `${source(sourceId)}/schema`))
      .events
  },
  /** A plan body drafted from the observed schema; not saved. */
  draftPlan(api: ApiClient, sourceId: string): Promise<Required<PlanInput>> {
    return api.request('POST', `${source(sourceId)}/schema/draft-plan`)
  },
}
