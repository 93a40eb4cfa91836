// Writes packages/server/src/destinations/catalog/catalog-manifest.json: the list of Segment's
// action destinations (from the pinned @segment/action-destinations) with what the console and
// the registry need, so the server never loads the whole catalog (1.5–2 s, ~100 MiB) to list it.
// Run after changing the catalog's version: `node scripts/gen-catalog-manifest.mjs`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import * as prettier from 'prettier'

const ROOT = resolve(new URL('..', import.meta.url).pathname)
const require = createRequire(join(ROOT, 'packages/server/package.json'))
const OUT = join(ROOT, 'packages/server/src/destinations/catalog/catalog-manifest.json')
const TEXT_MAX = 160
/** Defaults longer than this (as JSON) are left out and flagged; the definition has them. */
const DEFAULT_MAX = 300
/** Longer lists of choices (one field has 10,000 numbers) are left out and flagged. */
const CHOICES_MAX = 60

const pkg = require('@segment/action-destinations/package.json')
const { manifest } = require('@segment/action-destinations')
const DIST = dirname(require.resolve('@segment/action-destinations/dist/destinations/index.js'))

const short = (text) =>
  typeof text !== 'string' || text === ''
    ? undefined
    : text.length > TEXT_MAX
      ? `${text.slice(0, TEXT_MAX - 1)}…`
      : text

/**
 * A field; `withText` keeps its description (settings only: action fields are many). Object
 * fields list their properties one level deep (some nest thousands of entries).
 */
function field(def, withText = false, depth = 0) {
  const out = { label: def.label, type: def.type }
  const description = withText ? short(def.description) : undefined
  if (description) out.description = description
  if (def.required === true) out.required = true
  if (def.multiple === true) out.multiple = true
  if (def.default !== undefined) {
    if (JSON.stringify(def.default).length <= DEFAULT_MAX) out.default = def.default
    else out.defaultOmitted = true
  }
  if (Array.isArray(def.choices)) {
    if (def.choices.length <= CHOICES_MAX) {
      out.choices = def.choices.map((c) => (typeof c === 'object' ? c.value : c))
    } else out.choicesOmitted = true
  }
  if (def.properties && typeof def.properties === 'object' && depth === 0) {
    out.properties = Object.fromEntries(
      Object.entries(def.properties).map(([key, sub]) => [key, field(sub, false, 1)]),
    )
  }
  return out
}

const fields = (record, withText = false) =>
  Object.fromEntries(Object.entries(record ?? {}).map(([key, def]) => [key, field(def, withText)]))

function sourceOf(dir) {
  const walk = (d) =>
    readdirSync(d).flatMap((name) => {
      const p = join(d, name)
      if (statSync(p).isDirectory()) return name === '__tests__' ? [] : walk(p)
      return p.endsWith('.js') ? [readFileSync(p, 'utf8')] : []
    })
  return walk(join(DIST, dir)).join('\n')
}

/** What a destination needs beyond HTTP + settings, read from its compiled source. */
function needsOf(dir, scheme) {
  const src = sourceOf(dir)
  const needs = []
  if (scheme === 'oauth2' || scheme === 'oauth-managed') needs.push('oauth')
  if (/require\("(@aws-sdk\/[^"]+|kafkajs|ssh2|ssh2-sftp-client)"\)/.test(src))
    needs.push('non-http-client')
  if (/features\s*\??\.?\[|features\s*&&|\bfeatures\?\./.test(src)) needs.push('features')
  if (/stateContext/.test(src)) needs.push('state-context')
  if (/engageDestinationCache|transactionContext/.test(src)) needs.push('segment-internals')
  if (/process\.env\./.test(src)) needs.push('segment-env')
  if (/personas|audienceMembership|syncMode/.test(src)) needs.push('engage-audiences')
  return needs
}

const entries = Object.entries(manifest)
  .map(([id, { definition: d, directory }]) => {
    const scheme = d.authentication?.scheme ?? 'none'
    const entry = {
      id,
      dir: directory,
      name: d.name,
      slug: d.slug ?? `actions-${directory}`,
      mode: d.mode,
      scheme,
      needs: needsOf(directory, scheme),
      settings: fields(d.authentication?.fields, true),
      actions: Object.fromEntries(
        Object.entries(d.actions ?? {}).map(([key, a]) => {
          const action = { title: a.title, batch: typeof a.performBatch === 'function' }
          const description = short(a.description)
          if (description) action.description = description
          if (a.defaultSubscription) action.defaultSubscription = a.defaultSubscription
          action.fields = fields(a.fields)
          return [key, action]
        }),
      ),
      presets: (d.presets ?? [])
        .filter((p) => typeof p.partnerAction === 'string' && p.subscribe)
        .map((p) => ({
          name: p.name,
          partnerAction: p.partnerAction,
          subscribe: p.subscribe,
          type: p.type,
        })),
    }
    const description = short(d.description)
    if (description) entry.description = description
    return entry
  })
  .filter((e) => e.mode === 'cloud')
  .sort((a, b) => a.slug.localeCompare(b.slug))

// Written as the repository's formatter would (so a format check passes on it).
const options = { ...(await prettier.resolveConfig(OUT)), parser: 'json' }
const json = await prettier.format(
  JSON.stringify({ version: pkg.version, destinations: entries }),
  options,
)
writeFileSync(OUT, json)
console.log(`${entries.length} destinations, ${(json.length / 1024).toFixed(0)} KiB → ${OUT}`)
