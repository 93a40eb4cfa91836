// A local HTTP endpoint for delivery tests: records every request it gets (with the answer it
// gave) and answers what the test says (a status, headers, a delay), possibly per request.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

type Json = Record<string, unknown>

export interface ReceivedRequest {
  /** Date.now() when the whole body had arrived. */
  at: number
  method: string
  /** Path and query. */
  path: string
  headers: IncomingHttpHeaders
  body: string
  /** The status the receiver answered. */
  status: number
}

export interface Answer {
  status: number
  headers?: Record<string, string>
  body?: string
}

export interface Receiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string
  /** `http://127.0.0.1:<port>` */
  origin: string
  requests: ReceivedRequest[]
  /** The status answered when `answer` is not set (default 200). */
  status: number
  /** Extra response headers with `status` (e.g. Retry-After). */
  headers: Record<string, string>
  /** Per-request answer; wins over `status` when set. */
  answer: ((request: ReceivedRequest) => Answer) | null
  /** Delay before answering, in ms. */
  delayMs: number
  /** The events of every request answered 2xx: the body, or each element of `{"batch":[…]}`. */
  events(): Json[]
  /** messageIds of {@link events}. */
  messageIds(): string[]
  close(): Promise<void>
}

function eventsOf(body: string): Json[] {
  const parsed = JSON.parse(body) as unknown
  if (Array.isArray(parsed)) return parsed as Json[]
  const object = parsed as Json
  return Array.isArray(object.batch) ? (object.batch as Json[]) : [object]
}

export async function startReceiver(status = 200): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    origin: '',
    requests: [],
    status,
    headers: {},
    answer: null,
    delayMs: 0,
    events: () =>
      receiver.requests
        .filter((r) => r.status >= 200 && r.status < 300)
        .flatMap((r) => eventsOf(r.body)),
    messageIds: () => receiver.events().map((e) => String(e.messageId)),
    close: () => Promise.resolve(),
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request: ReceivedRequest = {
        at: Date.now(),
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
      }
      const answer = receiver.answer?.(request) ?? {
        status: receiver.status,
        headers: receiver.headers,
      }
      const reply = (): void => {
        request.status = answer.status
        receiver.requests.push(request)
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        res.end(answer.body ?? JSON.stringify({ ok: answer.status < 300 }))
      }
      if (receiver.delayMs > 0) setTimeout(reply, receiver.delayMs)
      else reply()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  receiver.url = `${receiver.origin}/hook`
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return receiver
}
