// `tessera typegen` end to end: the built CLI reads a plan from a running platform's admin
// API, and a generated function sends an event through a real @segment/analytics-node
// client to that platform (`npm run build -w @tessera/server` first).
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { Analytics } from '@segment/analytics-node'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TYPEGEN_RULES } from '../../packages/server/src/plans/typegen/typegen-fixture.js'
import {
  startTestPlatform,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'packages/server/bin/tessera.js')
// Inside the repository, so the generated module resolves '@segment/analytics-node'.
const CACHE = join(ROOT, 'node_modules/.cache')
mkdirSync(CACHE, { recursive: true })
const dir = mkdtempSync(join(CACHE, 'typegen-e2e-'))
writeFileSync(join(dir, 'package.json'), '{"type":"module"}')

async function tessera(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
    })
    return { code: 0, out: stdout, err: stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout, err: e.stderr }
  }
}

describe('tessera typegen', () => {
  let t: TestPlatform

  beforeAll(async () => {
    t = await startTestPlatform()
    const created = await t.admin('/api/v1/tracking-plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'tp_shop', name: 'Shop', rules: TYPEGEN_RULES }),
    })
    expect(created.status).toBe(201)
  })
  afterAll(async () => {
    await t.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('generates from the admin API and the generated function delivers a versioned event', async () => {
    const out = join(dir, 'tracking.ts')
    const result = await tessera(['typegen', '--plan', 'tp_shop', '--out', out, '--url', t.url], {
      TESSERA_ADMIN_TOKEN: t.adminToken,
    })
    expect(result, result.err).toMatchObject({ code: 0 })
    expect(result.out).toContain('plan tp_shop, 3 track events (node)')
    const source = readFileSync(out, 'utf8')
    expect(source).toContain('export function orderCompletedV2(')

    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    }).outputText
    const file = join(dir, 'tracking.mjs')
    writeFileSync(file, js)
    const generated = (await import(pathToFileURL(file).href)) as {
      orderCompletedV2: (
        analytics: Analytics,
        identity: { userId: string },
        properties: { orderId: string; revenue: number },
      ) => void
    }
    const analytics = new Analytics({ writeKey: t.writeKey, host: t.url, flushAt: 1 })
    generated.orderCompletedV2(
      analytics,
      { userId: 'typed-user' },
      { orderId: 'o-42', revenue: 9.5 },
    )
    await analytics.closeAndFlush({ timeout: 10_000 })

    const events = (await (await t.admin('/api/v1/events?event=Order%20Completed')).json()) as {
      data: Array<{ payload: Record<string, unknown> } & Record<string, unknown>>
    }
    expect(events.data).toHaveLength(1)
    const stored = JSON.stringify(events.data[0])
    expect(stored).toContain('"userId":"typed-user"')
    expect(stored).toContain('"orderId":"o-42"')
    expect(stored).toContain('"protocols":{"event_version":2}')
  })

  it('generates from a plan file for the browser, and fails cleanly', async () => {
    const planFile = join(dir, 'plans.yaml')
    writeFileSync(
      planFile,
      `trackingPlans:\n  - id: tp_file\n    name: File\n    rules:\n      - { type: TRACK, key: Signed Up, jsonSchema: { type: object } }\n`,
    )
    const out = join(dir, 'browser.ts')
    const ok = await tessera([
      'typegen',
      '--plan',
      'tp_file',
      '--file',
      planFile,
      '--out',
      out,
      '--client',
      'browser',
    ])
    expect(ok, ok.err).toMatchObject({ code: 0 })
    expect(readFileSync(out, 'utf8')).toContain(
      "import type { AnalyticsBrowser, Options } from '@segment/analytics-next'",
    )
    expect(readFileSync(out, 'utf8')).toContain(
      'export function signedUp(analytics: AnalyticsBrowser',
    )

    const missing = await tessera([
      'typegen',
      '--plan',
      'tp_none',
      '--out',
      out,
      '--url',
      t.url,
      '--token',
      t.adminToken,
    ])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('PLANS_NOT_FOUND')
    expect(
      (await tessera(['typegen', '--plan', 'tp_shop', '--out', out, '--url', t.url])).code,
    ).toBe(2)
    expect((await tessera(['typegen', '--out', out, '--file', planFile])).code).toBe(2)
    expect(
      (
        await tessera([
          'typegen',
          '--plan',
          'tp_file',
          '--out',
          out,
          '--file',
          planFile,
          '--client',
          'deno',
        ])
      ).code,
    ).toBe(2)
  })
})
