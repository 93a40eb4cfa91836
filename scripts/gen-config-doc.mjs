// Writes docs/config.md from the config schema, through the BUILT generator
// (packages/server/src/app/config-doc.ts). Run as `npm run docs:config`, which builds first.
// packages/server/src/app/config-doc.test.ts fails while the file is stale.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('..', import.meta.url)
const generator = new URL('packages/server/dist/app/config-doc.js', root)
const { renderConfigDoc } = await import(generator.href)
const target = new URL('docs/config.md', root)
writeFileSync(target, renderConfigDoc())
console.log(`wrote ${fileURLToPath(target)}`)
