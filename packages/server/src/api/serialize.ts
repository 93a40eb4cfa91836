import type { IngestStatsRow, StoredEvent, StoredRejection } from '../events/index.js'
import type { Source } from '../sources/index.js'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** A source as the admin API shows it. Admins see write keys: they paste them into apps. */
export function sourceToJson(source: Source) {
  const current = source.writeKeys.find((wk) => wk.expiresAt === null) ?? source.writeKeys[0]
  return {
    id: source.id,
    name: source.name,
    writeKey: current?.key ?? null,
    writeKeys: source.writeKeys.map((wk) => ({ key: wk.key, expiresAt: iso(wk.expiresAt) })),
    allowedOrigins: source.allowedOrigins,
    rateLimit: source.rateLimit,
    managed: source.managed,
    createdAt: iso(source.createdAt),
    updatedAt: iso(source.updatedAt),
  }
}

export function storedEventToJson(e: StoredEvent) {
  return { offset: e.offset, sourceId: e.sourceId, receivedAt: iso(e.receivedAt), event: e.event }
}

export function rejectionToJson(r: StoredRejection) {
  return {
    id: r.id,
    sourceId: r.sourceId,
    receivedAt: iso(r.receivedAt),
    code: r.code,
    reason: r.reason,
    messageId: r.messageId,
    payload: r.payload,
  }
}

export function statsRowToJson(row: IngestStatsRow) {
  return { ...row, minute: iso(row.minute) }
}
