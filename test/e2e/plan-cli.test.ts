// `tessera plan validate` run as a user runs it: the built CLI in a child process
// (`npm run build -w @tessera/server` first).
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'packages/server/bin/tessera.js')
const dir = mkdtempSync(join(tmpdir(), 'tessera-plan-cli-'))

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function tessera(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], { cwd: dir })
    return { code: 0, out: stdout, err: stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout, err: e.stderr }
  }
}

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('tessera plan validate', () => {
  it('accepts a valid YAML file of trackingPlans and a single JSON plan', async () => {
    const yaml = write(
      'plans.yaml',
      `
sources:
  - { id: web, name: Web, writeKey: web_write_key_0000001 }
trackingPlans:
  - id: tp_web
    name: Web
    rules:
      - type: TRACK
        key: Order Completed
        version: 2
        jsonSchema:
          $schema: https://json-schema.org/draft/2020-12/schema
          type: object
          properties:
            properties:
              type: object
              properties: { total: { type: number } }
              required: [total]
      - type: IDENTIFY
        jsonSchema: { type: object }
    sources:
      - id: web
        enforcement: { unplannedEvents: block, trackViolations: omit }
`,
    )
    const ok = await tessera('plan', 'validate', yaml)
    expect(ok).toMatchObject({ code: 0, err: '' })
    expect(ok.out).toContain('valid (1 plan, 2 rules)')
    const json = write(
      'plan.json',
      JSON.stringify({ name: 'Single', rules: [{ type: 'PAGE', jsonSchema: { type: 'object' } }] }),
    )
    expect((await tessera('plan', 'validate', json)).code).toBe(0)
  })

  it('prints every problem with file and path and exits 1', async () => {
    const bad = write(
      'bad.yaml',
      `
sources:
  - { id: web, name: Web, writeKey: web_write_key_0000001 }
trackingPlans:
  - id: tp_a
    name: A
    rules:
      - { type: TRACK, jsonSchema: { type: object } }
      - { type: TRACK, key: B, jsonSchema: { type: object, properties: { total: { type: money } } } }
    sources: [{ id: web }]
  - id: tp_b
    name: B
    sources: [{ id: web, enforcement: { unplannedEvents: omit } }, { id: ios }]
`,
    )
    const result = await tessera('plan', 'validate', bad)
    expect(result.code).toBe(1)
    const lines = result.err.trim().split('\n')
    expect(lines).toEqual([
      `${bad}: trackingPlans.0.rules.0.key: a TRACK rule needs a key (the event name)`,
      expect.stringContaining(`${bad}: trackingPlans.0.rules.1.jsonSchema.properties.total.type:`),
      expect.stringContaining(`${bad}: trackingPlans.1.sources.0.enforcement.unplannedEvents:`),
      `${bad}: 3 problems`,
    ])
    const links = write(
      'links.yaml',
      `
sources: [{ id: web, name: Web, writeKey: web_write_key_0000001 }]
trackingPlans:
  - { id: tp_a, name: A, sources: [{ id: web }] }
  - { id: tp_a, name: B, sources: [{ id: web }, { id: ios }] }
`,
    )
    const linked = await tessera('plan', 'validate', links)
    expect(linked.code).toBe(1)
    expect(linked.err).toContain('trackingPlans.1.id: duplicate plan id tp_a')
    expect(linked.err).toContain('trackingPlans.1.sources.0.id: source web is already connected')
    expect(linked.err).toContain('trackingPlans.1.sources.1.id: unknown source ios')
  })

  it('reports a syntax error as invalid and a usage error with 2', async () => {
    const broken = write('broken.json', '{"name": ')
    expect((await tessera('plan', 'validate', broken)).code).toBe(1)
    expect((await tessera('plan', 'validate', join(dir, 'missing.yaml'))).code).toBe(2)
    expect((await tessera('plan', 'validate')).code).toBe(2)
    expect((await tessera('plan', 'check', broken)).code).toBe(2)
  })
})
