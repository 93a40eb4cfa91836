import { queryString, type ApiClient } from '../../api/client'
import type { AuditEntry, AuditVerification } from '../../api/governance-types'
import type { Page } from '../../api/types'

/** Filters of the audit log; empty strings are left out. Times are ISO-8601. */
export interface AuditFilter {
  actor: string
  action: string
  targetType: string
  targetId: string
  outcome: string
  from: string
  to: string
}

export const EMPTY_FILTER: AuditFilter = {
  actor: '',
  action: '',
  targetType: '',
  targetId: '',
  outcome: '',
  from: '',
  to: '',
}

/** The audit log endpoints of the admin API. */
export const auditApi = {
  query(api: ApiClient, filter: AuditFilter, cursor?: string): Promise<Page<AuditEntry>> {
    return api.request('GET', `/api/v1/audit${queryString({ ...filter, limit: 50, cursor })}`)
  },
  verify(api: ApiClient): Promise<AuditVerification> {
    return api.request('GET', '/api/v1/audit/verify')
  },
  exportPath(filter: AuditFilter, format: 'jsonl' | 'csv'): string {
    return `/api/v1/audit/export${queryString({ ...filter, format })}`
  },
}
