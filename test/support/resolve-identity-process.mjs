// A separate identity worker process for the PostgreSQL concurrency test: resolves every stored
// event of the schema in batches of random size, as the identity consumer does, and prints
// {"resolved": n} on exit. Runs the compiled platform (npm test builds first).
// Usage: node resolve-identity-process.mjs <database url> <schema> <identity config JSON> <seed>
//   <start at, epoch ms: both processes begin at that moment>
import pg from 'pg'
import {
  compileIdentityRules,
  identityConfigSchema,
  resolveBatch,
} from '../../packages/server/dist/identity/index.js'
import { PostgresIdentityStore } from '../../packages/server/dist/infra/postgres/postgres-identity-store.js'
import { systemClock } from '../../packages/server/dist/platform/clock.js'

const [url, schema, configJson, seedText, startAtText] = process.argv.slice(2)
const rules = compileIdentityRules(identityConfigSchema.parse(JSON.parse(configJson)))
const types = new pg.TypeOverrides()
types.setTypeParser(20, Number)
const pool = new pg.Pool({
  connectionString: url,
  options: `-c search_path=${schema}`,
  types,
  max: 2,
})
let seed = Number(seedText) >>> 0
const batchSize = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return 1 + (seed % 120)
}
const store = new PostgresIdentityStore(pool)
await pool.query('SELECT 1')
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())))
let offset = await store.transact((tx) => tx.offset('identity'))
let resolved = 0
for (;;) {
  const events = await store.readEvents(offset, batchSize())
  if (events.length === 0) break
  const result = await resolveBatch({
    store,
    rules,
    consumer: 'identity',
    events,
    clock: systemClock,
  })
  offset = result.offset
  resolved += result.events
}
await pool.end()
console.log(JSON.stringify({ resolved }))
