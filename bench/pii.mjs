// npm run bench:pii — the PII classifier: precision and recall on the labelled corpus, its
// throughput (fields/s), and the cost per event of the `fields` consumer and of the PII
// transform on realistic demo events (the shop traffic of `tessera demo`); then the consumer
// end to end on the embedded store (read, aggregate, write), which must keep up with ~20,000
// events/s. BENCH_PII_EVENTS (default 20,000) sets the demo events; BENCH_PII_SECONDS (default
// 2) the duration of each throughput loop.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateTraffic } from '../packages/server/dist/demo/index.js'
import { openSqliteStorage } from '../packages/server/dist/infra/sqlite/open-sqlite-storage.js'
import {
  createClassifier,
  createPiiTransform,
  FieldAggregator,
  MAX_EVENTS_PER_SOURCE,
  startFieldsConsumer,
} from '../packages/server/dist/privacy/index.js'
import { PII_CORPUS } from '../packages/server/dist/privacy/pii/corpus/index.js'
import { evaluate, formatEvaluation } from '../packages/server/dist/privacy/pii/corpus/evaluate.js'

const EVENTS = Number(process.env.BENCH_PII_EVENTS ?? 20_000)
const SECONDS = Number(process.env.BENCH_PII_SECONDS ?? 2)
const classifier = createClassifier()

function loop(fn) {
  const end = performance.now() + SECONDS * 1000
  let n = 0
  const start = performance.now()
  while (performance.now() < end) n += fn()
  return n / ((performance.now() - start) / 1000)
}

// 1. Precision and recall.
const result = evaluate(classifier, PII_CORPUS)
console.log(`PII corpus: ${PII_CORPUS.length} labelled fields\n${formatEvaluation(result)}`)

// 2. Classifier throughput on the corpus (key and value, no memo beyond key tokens).
const fields = PII_CORPUS.map(([path, value]) => [path.split('.'), value])
const fieldsPerSec = loop(() => {
  for (const [path, value] of fields) classifier.classify(path, value)
  return fields.length
})
console.log(`classifier: ${Math.round(fieldsPerSec).toLocaleString('en')} fields/s (key + value)`)

// 3. Demo events as stored payloads.
const calls = generateTraffic({
  seed: 'bench-pii',
  users: 500,
  events: EVENTS,
  endTime: Date.UTC(2026, 0, 1),
})
const payloads = calls.map((call, i) => ({
  type: call.type,
  messageId: `bench-${i}`,
  ...call.params,
  context: {
    library: { name: '@segment/analytics-node', version: '3.1.0' },
    ...(call.params.context ?? {}),
  },
}))
const inputs = payloads.map((p, i) => ({
  seq: i + 1,
  sourceId: 'bench',
  type: p.type,
  name: p.type === 'track' ? p.event : (p.name ?? null),
  receivedAt: Date.parse(p.timestamp ?? '2026-01-01T00:00:00Z'),
  payload: JSON.stringify(p),
}))
let walked = 0
for (const p of payloads)
  for (const s of ['properties', 'traits', 'context'])
    walked += JSON.stringify(p[s] ?? {}).split(':').length - 1
console.log(
  `demo events: ${inputs.length.toLocaleString('en')}, ~${(walked / inputs.length).toFixed(1)} fields per event`,
)

// 3a. The consumer's CPU per event (parse, walk, classify, count), without the store.
const aggregator = new FieldAggregator(
  {
    classifier,
    valueSamplesPerHour: 20,
    maxFieldsPerEvent: 1000,
    maxEventsPerSource: MAX_EVENTS_PER_SOURCE,
  },
  { paths: async () => [], events: async () => [] },
)
// The first pass classifies sampled values (the first 20 per field per hour); the second is the
// steady state, where every field's samples for the hour are taken and only keys are looked up.
for (const pass of ['first pass (values sampled)', 'steady state']) {
  const start = performance.now()
  for (let i = 0; i < inputs.length; i += 500) await aggregator.aggregate(inputs.slice(i, i + 500))
  const perSec = inputs.length / ((performance.now() - start) / 1000)
  console.log(
    `fields consumer, aggregation only, ${pass}: ${Math.round(perSec).toLocaleString('en')} events/s (${(1e6 / perSec).toFixed(1)} µs/event)`,
  )
}

// 3b. The PII transform per event (global rules: block restricted, hash sensitive, mask personal).
const transform = createPiiTransform(
  [
    { class: 'restricted', action: 'block' },
    { class: 'sensitive', action: 'hash' },
    { class: 'personal', action: 'mask' },
  ],
  classifier,
  { salt: 'bench-salt-0123456789' },
)
{
  let i = 0
  const perSec = loop(() => {
    transform(payloads[i++ % payloads.length], { sourceId: 'bench' })
    return 1
  })
  console.log(
    `PII transform (every class ruled): ${Math.round(perSec).toLocaleString('en')} events/s (${(1e6 / perSec).toFixed(1)} µs/event)`,
  )
}

// 4. The consumer end to end on the embedded store.
const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-pii-'))
const storage = openSqliteStorage({ dataDir: dir })
try {
  const entries = inputs.map((input, i) => ({
    kind: 'event',
    offset: i + 1,
    record: {
      messageId: `bench-${i}`,
      sourceId: 'bench',
      type: input.type,
      name: input.name,
      userId: payloads[i].userId ?? null,
      anonymousId: payloads[i].anonymousId ?? null,
      receivedAt: input.receivedAt,
      timestamp: input.receivedAt,
      payload: input.payload,
    },
  }))
  for (let i = 0; i < entries.length; i += 2000)
    await storage.eventStore.apply('store', entries.slice(i, i + 2000))
  const start = performance.now()
  const consumer = await startFieldsConsumer({
    store: storage.fieldInventory,
    classifier: () => classifier,
    batchSize: 500,
    valueSamplesPerHour: 20,
    maxFieldsPerEvent: 1000,
    idleMs: 10,
    onError: (error) => console.error(error),
  })
  while (consumer.position() < entries.length) await new Promise((r) => setTimeout(r, 5))
  const seconds = (performance.now() - start) / 1000
  await consumer.stop()
  const rows = await storage.fieldInventory.fields({ limit: 100_000 })
  console.log(
    `fields consumer on SQLite (batches of 500): ${Math.round(entries.length / seconds).toLocaleString('en')} events/s; ` +
      `${rows.length} field paths, ${rows.filter((r) => r.piiClass !== null).length} with PII`,
  )
} finally {
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
}
