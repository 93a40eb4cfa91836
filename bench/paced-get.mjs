// The paced Profile API load of `npm run bench:identity`, in a process of its own so that the
// benchmark's heap (what seeding left) adds no collection pauses to the latencies it measures.
// Usage: node bench/paced-get.mjs <url>, with `{"authorization": "...", "paths": [...]}` on
// stdin; prints `{requests, p50Ms, p99Ms, generatorLateP99Ms, non2xx, errors}` as JSON.
import http from 'node:http'
import { quantile } from './process.mjs'

/** GETs `paths` in order, one every 2 ms; latencies from each request's due time. */
async function paced(url, authorization, paths) {
  const { hostname, port } = new URL(url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 })
  const latencies = []
  // How late the generator sent each request (its own timer and scheduling): part of every
  // latency above, reported beside it so a tail can be told apart from the server's.
  const lateness = []
  let non2xx = 0
  let errors = 0
  const inflight = new Set()
  const started = performance.now()
  const total = paths.length
  for (let sent = 0; sent < total;) {
    const elapsed = performance.now() - started
    for (; sent < total && sent * 2 <= elapsed; sent++) {
      const due = started + sent * 2
      lateness.push(performance.now() - due)
      const done = new Promise((resolve) => {
        const req = http.get(
          { host: hostname, port, agent, path: paths[sent], headers: { authorization } },
          (res) => {
            res.resume()
            res.on('end', () => {
              latencies.push(performance.now() - due)
              if (res.statusCode < 200 || res.statusCode > 299) non2xx++
              resolve()
            })
          },
        )
        req.on('error', () => {
          errors++
          resolve()
        })
      })
      inflight.add(done)
      void done.then(() => inflight.delete(done))
    }
    await new Promise((r) => setTimeout(r, 1))
  }
  await Promise.all(inflight)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  lateness.sort((a, b) => a - b)
  const q = (sorted, f) => Math.round(quantile(sorted, f) * 10) / 10
  return {
    requests: latencies.length,
    p50Ms: q(latencies, 0.5),
    p99Ms: q(latencies, 0.99),
    generatorLateP99Ms: q(lateness, 0.99),
    non2xx,
    errors,
  }
}

const input = await new Promise((resolve) => {
  let text = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk) => (text += chunk))
  process.stdin.on('end', () => resolve(JSON.parse(text)))
})
const result = await paced(process.argv[2], input.authorization, input.paths)
process.stdout.write(JSON.stringify(result))
