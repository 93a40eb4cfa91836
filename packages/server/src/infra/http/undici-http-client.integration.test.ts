import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpTransportError } from '../../destinations/http-client.js'
import { UndiciHttpClient } from './undici-http-client.js'

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void

interface TestServer {
  server: Server
  origin: string
  port: number
  seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[]
}

async function startServer(handler: Handler): Promise<TestServer> {
  const seen: TestServer['seen'] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handler(req, body, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, origin: `http://127.0.0.1:${port}`, port, seen }
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

async function transportError(promise: Promise<unknown>): Promise<HttpTransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(HttpTransportError)
  return error as HttpTransportError
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const { server, port } = await startServer(() => undefined)
  await stopServer(server)
  return port
}

describe('UndiciHttpClient', () => {
  let target: TestServer
  let client: UndiciHttpClient

  beforeEach(async () => {
    target = await startServer((req, body, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2_000)
        return
      }
      if (req.url === '/big') {
        res.end('x'.repeat(200_000))
        return
      }
      res.writeHead(201, { 'X-Answer': 'Yes', 'Retry-After': '3' })
      res.end(`echo:${body}`)
    })
    client = new UndiciHttpClient({ userAgent: 'Tessera/9.9.9' })
  })

  afterEach(async () => {
    await client.close()
    await stopServer(target.server)
  })

  it('returns status, lower-cased headers and body, and sends method, headers and body', async () => {
    const response = await client.send({
      method: 'PUT',
      url: `${target.origin}/hook?x=1`,
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
      timeoutMs: 2_000,
    })
    expect(response.status).toBe(201)
    expect(response.headers['x-answer']).toBe('Yes')
    expect(response.headers['retry-after']).toBe('3')
    expect(response.body).toBe('echo:{"a":1}')
    const seen = target.seen[0]
    expect(seen?.method).toBe('PUT')
    expect(seen?.url).toBe('/hook?x=1')
    expect(seen?.headers['content-type']).toBe('application/json')
    expect(seen?.headers['user-agent']).toBe('Tessera/9.9.9')
  })

  it('reuses the connection across requests (keep-alive)', async () => {
    const ports = new Set<number>()
    target.server.on('connection', (socket) => ports.add(socket.remotePort ?? 0))
    for (let i = 0; i < 10; i++) {
      await client.send({ method: 'POST', url: `${target.origin}/`, headers: {}, timeoutMs: 2_000 })
    }
    // undici may open a second connection while the first is being released; never ten.
    expect(ports.size).toBeLessThanOrEqual(2)
  })

  it('fails with TIMEOUT when the answer does not come in time', async () => {
    const started = Date.now()
    const error = await transportError(
      client.send({ method: 'GET', url: `${target.origin}/slow`, headers: {}, timeoutMs: 200 }),
    )
    expect(error.code).toBe('TIMEOUT')
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  it('fails with ABORTED when the caller aborts', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const error = await transportError(
      client.send({
        method: 'GET',
        url: `${target.origin}/slow`,
        headers: {},
        timeoutMs: 5_000,
        signal: controller.signal,
      }),
    )
    expect(error.code).toBe('ABORTED')
  })

  it('fails with ABORTED at once when the caller signal is already aborted', async () => {
    const error = await transportError(
      client.send({
        method: 'GET',
        url: `${target.origin}/`,
        headers: {},
        timeoutMs: 5_000,
        signal: AbortSignal.abort(),
      }),
    )
    expect(error.code).toBe('ABORTED')
    expect(target.seen).toHaveLength(0)
  })

  it('fails with ECONNREFUSED on a closed port', async () => {
    const port = await closedPort()
    const error = await transportError(
      client.send({
        method: 'GET',
        url: `http://127.0.0.1:${port}/`,
        headers: {},
        timeoutMs: 2_000,
      }),
    )
    expect(error.code).toBe('ECONNREFUSED')
  })

  it('fails with INVALID_URL on a malformed or non-http URL', async () => {
    for (const url of ['not a url', 'ftp://example.com/']) {
      const error = await transportError(
        client.send({ method: 'GET', url, headers: {}, timeoutMs: 1_000 }),
      )
      expect(error.code).toBe('INVALID_URL')
    }
  })

  it('truncates the body past maxResponseBytes', async () => {
    const small = new UndiciHttpClient({ maxResponseBytes: 1_000 })
    try {
      const response = await small.send({
        method: 'GET',
        url: `${target.origin}/big`,
        headers: {},
        timeoutMs: 2_000,
      })
      expect(response.status).toBe(200)
      expect(response.body).toBe('x'.repeat(1_000))
    } finally {
      await small.close()
    }
  })

  it('sends overridden hosts to their origin with x-forwarded-host', async () => {
    const overridden = new UndiciHttpClient({
      hostOverrides: { 'api.example.test': target.origin },
      blockPrivateAddresses: true,
    })
    try {
      const response = await overridden.send({
        method: 'POST',
        url: 'https://api.example.test/track?v=2',
        headers: {},
        body: 'hi',
        timeoutMs: 2_000,
      })
      expect(response.status).toBe(201)
      expect(target.seen[0]?.url).toBe('/track?v=2')
      expect(target.seen[0]?.headers['x-forwarded-host']).toBe('api.example.test')
    } finally {
      await overridden.close()
    }
  })

  it('refuses private addresses with EGRESS_BLOCKED when the guard is on', async () => {
    const guarded = new UndiciHttpClient({ blockPrivateAddresses: true })
    try {
      for (const host of [`127.0.0.1:${target.port}`, `localhost:${target.port}`]) {
        const error = await transportError(
          guarded.send({ method: 'GET', url: `http://${host}/`, headers: {}, timeoutMs: 2_000 }),
        )
        expect(error.code).toBe('EGRESS_BLOCKED')
      }
      expect(target.seen).toHaveLength(0)
    } finally {
      await guarded.close()
    }
  })

  it('close() is idempotent', async () => {
    await client.close()
    await client.close()
  })
})
