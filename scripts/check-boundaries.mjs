// Import-DAG guard (docs/adr/0002-layout-and-boundaries.md). Fails when:
//  - a file imports another top-level folder of packages/server/src other than through its
//    index.ts (tests, contracts and the testing/ folder excepted),
//  - platform/ or protocol/ import any other domain,
//  - a domain imports infra/ (only app/, cli/ and infra/ itself may),
//  - a driver package is imported outside infra/<tech>/,
//  - the folders' import graph has a cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const SRC = resolve(new URL('..', import.meta.url).pathname, 'packages/server/src')
const DRIVERS = [/^pg$/, /^better-sqlite3$/, /^kysely$/, /^nats$/, /^@nats-io\//]
const LEAF = new Set(['platform', 'protocol'])
const COMPOSERS = new Set(['app', 'cli', 'infra', 'testing'])

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : []
  })
}

const isTest = (file) => /\.(test|contract)\.ts$/.test(file) || file.includes(`${sep}testing${sep}`)
const folderOf = (file) => relative(SRC, file).split(sep)[0]
const problems = []
const edges = new Map()

for (const file of walk(SRC)) {
  const from = folderOf(file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(
    /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    const spec = match[1] ?? match[2]
    const where = relative(SRC, file)
    if (!spec.startsWith('.')) {
      if (DRIVERS.some((re) => re.test(spec)) && from !== 'infra')
        problems.push(`${where}: driver '${spec}' outside infra/`)
      continue
    }
    const target = resolve(dirname(file), spec)
    if (!target.startsWith(SRC)) continue
    const to = folderOf(target)
    if (to === from) continue
    if (!isTest(file)) {
      if (!edges.has(from)) edges.set(from, new Set())
      edges.get(from).add(to)
    }
    if (isTest(file)) continue
    if (LEAF.has(from) && !LEAF.has(to)) problems.push(`${where}: ${from}/ may not import ${to}/`)
    if (from === 'protocol' && to !== 'platform')
      problems.push(`${where}: protocol/ may import platform/ only`)
    if (from === 'platform' && to !== 'platform')
      problems.push(`${where}: platform/ imports nothing else`)
    if (to === 'infra' && !COMPOSERS.has(from))
      problems.push(`${where}: only app/ and cli/ may import infra/`)
    const rest = relative(join(SRC, to), target).split(sep)
    const viaIndex = rest.length === 1 && rest[0] === 'index.js'
    const deepAllowed = COMPOSERS.has(from) || LEAF.has(to) || to === 'app' || to === 'cli'
    if (!viaIndex && !deepAllowed)
      problems.push(`${where}: import ${to}/ through its index.ts, not ${spec}`)
  }
}

// Cycle detection over folder edges (composition folders excluded: they sit on top).
const graph = [...edges].filter(([from]) => !COMPOSERS.has(from))
const adjacency = new Map(
  graph.map(([from, tos]) => [from, [...tos].filter((t) => !COMPOSERS.has(t))]),
)
const state = new Map()
function visit(node, stack) {
  if (state.get(node) === 'done') return
  if (state.get(node) === 'active') {
    problems.push(`import cycle: ${[...stack.slice(stack.indexOf(node)), node].join(' -> ')}`)
    return
  }
  state.set(node, 'active')
  for (const next of adjacency.get(node) ?? []) visit(next, [...stack, node])
  state.set(node, 'done')
}
for (const node of adjacency.keys()) visit(node, [])

if (problems.length > 0) {
  console.error(
    `Import boundary problems (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
  )
  process.exit(1)
}
console.log(`import boundaries ok (${edges.size} folders)`)
