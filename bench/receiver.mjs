// A destination's receiving end for `npm run bench:delivery`, run as a child process so it does
// not share the load generator's event loop. Argument: `ok` (answers 200 and records every
// event) or `fail` (answers 500 to everything). Prints `listening <port>`; answers IPC
// messages `{type:'stats'}` with counts and ingest-to-delivery latencies, `{type:'reset'}`.
import http from 'node:http'

const mode = process.argv[2] ?? 'ok'
let events = 0
let requests = 0
let firstAt = 0
let lastAt = 0
let latencies = []

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    requests++
    if (mode === 'fail') {
      res.writeHead(500).end('failing on purpose')
      return
    }
    const now = Date.now()
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    const batch = Array.isArray(body.batch) ? body.batch : [body]
    for (const event of batch) latencies.push(now - Date.parse(event.receivedAt))
    events += batch.length
    if (firstAt === 0) firstAt = now
    lastAt = now
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
})

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))

process.on('message', (m) => {
  if (m.type === 'reset') {
    events = requests = firstAt = lastAt = 0
    latencies = []
    process.send({ type: 'reset' })
  }
  if (m.type === 'stats') {
    const sorted = Float64Array.from(latencies).sort()
    const q = (f) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] : null
    process.send({
      type: 'stats',
      events,
      requests,
      firstAt,
      lastAt,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: q(1),
    })
  }
})
process.on('disconnect', () => process.exit(0))
