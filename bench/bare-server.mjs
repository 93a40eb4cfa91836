// Baseline (a): the ceiling for any Node HTTP server on this machine. It reads the whole body
// and answers 200 with the tracking API's success body, and does nothing else.
import { createServer } from 'node:http'

const port = Number(process.argv[2] ?? 0)
const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    Buffer.concat(chunks)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"success":true}')
  })
})
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
