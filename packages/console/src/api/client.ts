import type { ApiErrorBody, Page, Rejection, Source, StatsRow, StoredEvent } from './types'

/**
 * An admin API failure: the HTTP status plus the `{error:{code,message,details}}` body, when
 * any (`details` as the server sent it, e.g. `{issues:[{path,message}]}` of `PLANS_INVALID`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface CreateSourceInput {
  name: string
  allowedOrigins?: string[]
}

export type Query = Record<string, string | number | undefined>

/** `?a=1&b=x` from the defined, non-empty values of `query` (empty string when none). */
export function queryString(query: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ApiErrorBody
  try {
    body = (await response.json()) as ApiErrorBody
  } catch {
    body = {}
  }
  const code = body.error?.code ?? `HTTP_${response.status}`
  const message = body.error?.message ?? (response.statusText || 'Request failed')
  return new ApiError(response.status, code, message, body.error?.details)
}

/**
 * A thin client for the admin API. Every request carries the admin token; a 401 calls
 * `onUnauthorized` (the app returns to the login page) before the error is thrown.
 */
export class ApiClient {
  constructor(
    readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    if (response.status === 401) this.onUnauthorized()
    if (!response.ok) throw await toApiError(response)
    if (response.status === 204) return undefined as T
    return (await response.json()) as T
  }

  /** A GET whose answer is a file (CSV, JSON lines): the body as a Blob. */
  async blob(path: string): Promise<Blob> {
    const response = await fetch(path, { headers: { authorization: `Bearer ${this.token}` } })
    if (response.status === 401) this.onUnauthorized()
    if (!response.ok) throw await toApiError(response)
    return response.blob()
  }

  whoami(): Promise<{ role: string }> {
    return this.request('GET', '/api/v1/whoami')
  }

  async listSources(): Promise<Source[]> {
    const page = await this.request<{ data: Source[] }>('GET', '/api/v1/sources')
    return page.data
  }

  getSource(id: string): Promise<Source> {
    return this.request('GET', `/api/v1/sources/${encodeURIComponent(id)}`)
  }

  createSource(input: CreateSourceInput): Promise<Source> {
    return this.request('POST', '/api/v1/sources', input)
  }

  deleteSource(id: string): Promise<void> {
    return this.request('DELETE', `/api/v1/sources/${encodeURIComponent(id)}`)
  }

  rotateWriteKey(id: string, graceSeconds: number): Promise<Source> {
    const path = `/api/v1/sources/${encodeURIComponent(id)}/rotate-write-key`
    return this.request('POST', path, { graceSeconds })
  }

  events(query: Query = {}): Promise<Page<StoredEvent>> {
    return this.request('GET', `/api/v1/events${queryString(query)}`)
  }

  rejectedEvents(query: Query = {}): Promise<Page<Rejection>> {
    return this.request('GET', `/api/v1/rejected-events${queryString(query)}`)
  }

  async ingestStats(query: Query = {}): Promise<StatsRow[]> {
    const page = await this.request<{ data: StatsRow[] }>(
      'GET',
      `/api/v1/stats/ingest${queryString(query)}`,
    )
    return page.data
  }

  /** The SSE stream URL: EventSource cannot send headers, so the token goes in the query. */
  streamUrl(sourceId?: string): string {
    return `/api/v1/stream${queryString({ sourceId, access_token: this.token })}`
  }
}
