/**
 * docs/errors.md is the catalogue of every error code (house style §8.4, after Fastify's
 * `test/internals/errors.test.js`). This test keeps it true: every code declared with
 * `defineError` is documented with its status and default message, and nothing documented is
 * undeclared. It finds the declaring modules itself, so a new domain's `errors.ts` is covered
 * without editing this file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { declaredErrorCodes, type ErrorFactory } from './index.js'

const SRC = fileURLToPath(new URL('../../', import.meta.url))
const DOC = fileURLToPath(new URL('../../../../../docs/errors.md', import.meta.url))
/** A code: SCREAMING_SNAKE with at least one underscore, so plain words never match. */
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : []
  })
}

/** Every module under src/ that declares codes: the domains' errors.ts, config-error.ts, …. */
function declaringModules(): string[] {
  return sourceFiles(SRC).filter((file) => readFileSync(file, 'utf8').includes("defineError('"))
}

function isFactory(value: unknown): value is ErrorFactory {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<ErrorFactory>).code === 'string' &&
    typeof (value as Partial<ErrorFactory>).httpStatus === 'number'
  )
}

/** Codes the page catalogues: headings that are a code, and table cells that are a code. */
function documentedCodes(doc: string): Set<string> {
  const codes = new Set<string>()
  for (const line of doc.split('\n')) {
    const heading = /^#{1,6}\s+`?([^`\s]+)`?\s*$/.exec(line)
    if (heading?.[1] && CODE.test(heading[1])) codes.add(heading[1])
    if (!line.startsWith('|')) continue
    for (const cell of line.split('|')) {
      const text = cell.trim().replace(/^`(.*)`$/, '$1')
      if (CODE.test(text)) codes.add(text)
    }
  }
  return codes
}

/** The first line under the heading `### \`CODE\``, e.g. `**HTTP 429.** Too many requests…`. */
function summaryLine(doc: string, code: string): string | undefined {
  const lines = doc.split('\n')
  const at = lines.findIndex((line) => line.trim() === `### \`${code}\``)
  if (at === -1) return undefined
  return lines.slice(at + 1).find((line) => line.trim() !== '')
}

/** `| \`CODE\` | 429 | …` rows of the index table, as code → status. */
function indexStatuses(doc: string): Map<string, number> {
  const statuses = new Map<string, number>()
  for (const match of doc.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    if (match[1] && match[2]) statuses.set(match[1], Number(match[2]))
  }
  return statuses
}

describe('docs/errors.md', () => {
  const doc = readFileSync(DOC, 'utf8')
  const factories: ErrorFactory[] = []

  beforeAll(async () => {
    for (const file of declaringModules()) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
      for (const exported of Object.values(module)) {
        if (typeof exported !== 'object' || exported === null) continue
        factories.push(...Object.values(exported).filter(isFactory))
      }
    }
  })

  it('finds the declaring modules of every domain', () => {
    const folders = declaringModules().map((file) => file.slice(SRC.length).split(/[\\/]/)[0])
    expect([...new Set(folders)]).toEqual(
      expect.arrayContaining(['api', 'events', 'ingest', 'platform', 'protocol', 'sources']),
    )
    expect(factories.map((f) => f.code).sort()).toEqual(declaredErrorCodes())
  })

  it('documents every declared code', () => {
    const documented = documentedCodes(doc)
    const missing = declaredErrorCodes().filter((code) => !documented.has(code))
    expect(missing, 'declared but missing from docs/errors.md').toEqual([])
  })

  it('documents no code that is not declared', () => {
    const declared = new Set(declaredErrorCodes())
    const stale = [...documentedCodes(doc)].filter((code) => !declared.has(code))
    expect(stale, 'in docs/errors.md but declared nowhere').toEqual([])
  })

  it('gives each code its declared status and default message', () => {
    const statuses = indexStatuses(doc)
    for (const factory of factories) {
      expect(statuses.get(factory.code), `index row of ${factory.code}`).toBe(factory.httpStatus)
      expect(summaryLine(doc, factory.code), `section of ${factory.code}`).toBe(
        `**HTTP ${factory.httpStatus}.** ${factory().message}`,
      )
    }
  })
})
