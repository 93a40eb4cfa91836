import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  AuditErrors,
  verifyAuditChain,
  type AuditEntry,
  type AuditFilter,
  type AuditRecorder,
  type AuditStore,
} from '../audit/index.js'
import { parseOrThrow } from './admin-routes.js'

export interface AuditRouteDeps {
  store: AuditStore
  /** Flushed before each read, so a query sees every entry recorded before it. */
  recorder: AuditRecorder
}

/** An ISO-8601 date or epoch milliseconds, as epoch ms. */
const time = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 date or epoch milliseconds' })
    return z.NEVER
  }
  return ms
})

const filterFields = {
  from: time.optional(),
  to: time.optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(200).optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(500).optional(),
  outcome: z.enum(['ok', 'denied', 'failed']).optional(),
  access_token: z.string().optional(),
}

export const auditQuerySchema = z.strictObject({
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).optional(),
})

export const auditExportQuerySchema = z.strictObject({
  ...filterFields,
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
})

function toFilter(query: Omit<z.infer<typeof auditExportQuerySchema>, 'format'>): AuditFilter {
  const filter: AuditFilter = {}
  if (query.from !== undefined) filter.from = query.from
  if (query.to !== undefined) filter.to = query.to
  if (query.actor !== undefined) filter.actor = query.actor
  if (query.action !== undefined) filter.action = query.action
  if (query.targetType !== undefined) filter.targetType = query.targetType
  if (query.targetId !== undefined) filter.targetId = query.targetId
  if (query.outcome !== undefined) filter.outcome = query.outcome
  return filter
}

const encodeCursor = (id: number): string => Buffer.from(`a:${id}`).toString('base64url')

function decodeCursor(cursor: string): number {
  const match = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match?.[1]) throw AuditErrors.invalidCursor()
  return Number(match[1])
}

/** An entry as the API shows it: `at` as ISO-8601. */
export function auditEntryToJson(entry: AuditEntry): Record<string, unknown> {
  return { ...entry, at: new Date(entry.at).toISOString() }
}

const CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'requestId',
  'ip',
  'details',
] as const

function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function csvRow(entry: AuditEntry): string {
  return `${[
    entry.id,
    new Date(entry.at).toISOString(),
    entry.actor,
    entry.action,
    entry.target.type,
    entry.target.id,
    entry.outcome,
    entry.requestId,
    entry.ip,
    JSON.stringify(entry.details),
  ]
    .map(csvField)
    .join(',')}\r\n`
}

/** Pages through the log newest first; one page in memory at a time. */
async function* pages(store: AuditStore, filter: AuditFilter): AsyncGenerator<AuditEntry[]> {
  const PAGE = 500
  let beforeId: number | undefined
  for (;;) {
    const page = await store.query(filter, {
      limit: PAGE,
      ...(beforeId === undefined ? {} : { beforeId }),
    })
    if (page.length > 0) yield page
    if (page.length < PAGE) return
    beforeId = page[page.length - 1]?.id
  }
}

/**
 * `GET /api/v1/audit` (filters, cursor paging, newest first), `GET /api/v1/audit/export`
 * (JSON lines or CSV, streamed page by page, never built in memory) and `GET
 * /api/v1/audit/verify` (walks the hash chain). Each flushes the recorder first.
 */
export function registerAuditRoutes(app: FastifyInstance, deps: AuditRouteDeps): void {
  const { store, recorder } = deps

  app.get('/api/v1/audit', async (request) => {
    const query = parseOrThrow(auditQuerySchema, request.query)
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
    await recorder.flush()
    const entries = await store.query(toFilter(query), {
      limit: query.limit,
      ...(beforeId === undefined ? {} : { beforeId }),
    })
    const last = entries.at(-1)
    return {
      data: entries.map(auditEntryToJson),
      next: entries.length === query.limit && last !== undefined ? encodeCursor(last.id) : null,
    }
  })

  app.get('/api/v1/audit/export', async (request, reply) => {
    const query = parseOrThrow(auditExportQuerySchema, request.query)
    await recorder.flush()
    const filter = toFilter(query)
    const csv = query.format === 'csv'
    async function* lines(): AsyncGenerator<string> {
      if (csv) yield `${CSV_COLUMNS.join(',')}\r\n`
      for await (const page of pages(store, filter)) {
        yield page
          .map((entry) => (csv ? csvRow(entry) : `${JSON.stringify(auditEntryToJson(entry))}\n`))
          .join('')
      }
    }
    return reply
      .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .header(
        'content-disposition',
        `attachment; filename="tessera-audit.${csv ? 'csv' : 'jsonl'}"`,
      )
      .send(Readable.from(lines()))
  })

  app.get('/api/v1/audit/verify', async () => {
    await recorder.flush()
    return verifyAuditChain(store)
  })
}
