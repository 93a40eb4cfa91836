import type { FastifyInstance } from 'fastify'
import type { LogEntry, LogTailer } from '../events/index.js'
import type { Feed } from '../platform/feed.js'
import type { RejectedRecord } from '../protocol/index.js'
import { parseOrThrow } from './admin-routes.js'
import { streamQuerySchema } from './query-schemas.js'

const HEARTBEAT_MS = 15_000

/**
 * `GET /api/v1/stream?sourceId=` — Server-Sent Events for the live debugger. Sends `event`
 * messages (`{offset, sourceId, receivedAt, event}`) for every event appended to the log after
 * the connection opened, and `rejection` messages for events refused in this process, in log
 * order, best effort (a slow client's socket buffers; nothing is retried). A comment line every
 * 15 s keeps proxies from closing the connection.
 */
export function registerStreamRoutes(
  app: FastifyInstance,
  deps: { tailer: LogTailer; rejections: Feed<RejectedRecord> },
): void {
  app.get('/api/v1/stream', (request, reply) => {
    const { sourceId } = parseOrThrow(streamQuerySchema, request.query)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.write(': connected\n\n')
    const send = (kind: string, data: unknown): void => {
      res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`)
    }
    const offEvents = deps.tailer.subscribe((entries: LogEntry[]) => {
      for (const e of entries) {
        if (sourceId !== undefined && e.sourceId !== sourceId) continue
        send('event', {
          offset: e.offset,
          sourceId: e.sourceId,
          receivedAt: new Date(e.receivedAt).toISOString(),
          event: JSON.parse(e.payload) as unknown,
        })
      }
    })
    const offRejections = deps.rejections.subscribe((items) => {
      for (const r of items) {
        if (sourceId !== undefined && r.sourceId !== sourceId) continue
        let payload: unknown = r.payload
        try {
          payload = JSON.parse(r.payload)
        } catch {
          // truncated or non-JSON payloads are shown as text
        }
        send('rejection', {
          sourceId: r.sourceId,
          receivedAt: new Date(r.receivedAt).toISOString(),
          code: r.code,
          reason: r.reason,
          messageId: r.messageId,
          payload,
        })
      }
    })
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
    const close = (): void => {
      clearInterval(heartbeat)
      offEvents()
      offRejections()
    }
    request.raw.on('close', close)
    res.on('error', close)
  })
}
