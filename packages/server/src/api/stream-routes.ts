import type { FastifyInstance } from 'fastify'
import type { LogEntry, LogTailer } from '../events/index.js'
import type { LogRecord, RejectedRecord } from '../protocol/index.js'
import { parseOrThrow } from './admin-routes.js'
import { streamQuerySchema } from './query-schemas.js'

const HEARTBEAT_MS = 15_000

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text // truncated payloads are shown as text
  }
}

function eventMessage(offset: number, r: LogRecord) {
  return {
    offset,
    sourceId: r.sourceId,
    receivedAt: new Date(r.receivedAt).toISOString(),
    event: parseOrText(r.payload),
  }
}

function rejectionMessage(offset: number, r: RejectedRecord) {
  return {
    offset,
    sourceId: r.sourceId,
    receivedAt: new Date(r.receivedAt).toISOString(),
    code: r.code,
    reason: r.reason,
    messageId: r.messageId,
    payload: parseOrText(r.payload),
  }
}

/**
 * `GET /api/v1/stream?sourceId=` — Server-Sent Events for the live debugger. Sends `event`
 * messages (`{offset, sourceId, receivedAt, event}`) and `rejection` messages (`{offset,
 * sourceId, receivedAt, code, reason, messageId, payload}`) for everything appended to the log
 * after the connection opened, by any process, as soon as it is durable, in log order, best effort (a slow client's socket buffers; nothing is retried). A comment line every
 * 15 s keeps proxies from closing the connection.
 */
export function registerStreamRoutes(app: FastifyInstance, deps: { tailer: LogTailer }): void {
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
    const off = deps.tailer.subscribe((entries: LogEntry[]) => {
      for (const e of entries) {
        if (sourceId !== undefined && e.record.sourceId !== sourceId) continue
        if (e.kind === 'event') send('event', eventMessage(e.offset, e.record))
        else send('rejection', rejectionMessage(e.offset, e.record))
      }
    })
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
    const close = (): void => {
      clearInterval(heartbeat)
      off()
    }
    request.raw.on('close', close)
    res.on('error', close)
  })
}
