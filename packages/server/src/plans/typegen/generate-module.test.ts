// Generated code is checked the way its users build it: compiled by the TypeScript compiler
// against the real @segment/analytics-node and analytics-next type definitions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { camel, generateTrackingModule } from './generate-module.js'
import { TYPEGEN_RULES } from './typegen-fixture.js'

// Inside the repository, so '@segment/…' resolves from its node_modules (ignored by git).
const CACHE = resolve(import.meta.dirname, '../../../node_modules/.cache')
mkdirSync(CACHE, { recursive: true })
const dir = mkdtempSync(join(CACHE, 'typegen-'))
writeFileSync(join(dir, 'package.json'), '{"type":"module"}')

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const plan = { id: 'tp_test', name: 'Test', revision: 3, rules: TYPEGEN_RULES }

/** Compiles the generated module with a usage file; returns the usage file's diagnostics. */
function compile(client: 'node' | 'browser', usage: string, name: string) {
  const sub = join(dir, name)
  mkdirSync(sub)
  writeFileSync(join(sub, 'package.json'), '{"type":"module"}')
  writeFileSync(join(sub, 'tracking.ts'), generateTrackingModule(plan, client))
  writeFileSync(join(sub, 'usage.ts'), usage)
  const program = ts.createProgram([join(sub, 'usage.ts'), join(sub, 'tracking.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
    noUnusedLocals: false,
  })
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? d.file.fileName.slice(sub.length + 1) : '',
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    at:
      d.file && d.start !== undefined ? d.file.text.slice(d.start, d.start + (d.length ?? 0)) : '',
  }))
}

const NODE_OK = `
import { Analytics } from '@segment/analytics-node'
import { group, identify, orderCompleted, orderCompletedV2, page, pageHome, productViewed, type OrderCompletedProperties } from './tracking.js'
const analytics = new Analytics({ writeKey: 'key' })
const order: OrderCompletedProperties = {
  orderId: 'o1',
  total: 12.5,
  currency: 'EUR',
  coupon: null,
  placedAt: new Date().toISOString(),
  products: [{ sku: 'a', quantity: 2 }],
  shipping: { method: 'express', address: { city: 'Lyon' } },
}
orderCompleted(analytics, { userId: 'u1' }, order)
orderCompletedV2(analytics, { anonymousId: 'a1' }, { orderId: 'o1', revenue: 3 }, { timestamp: new Date() })
productViewed(analytics, { userId: 'u1' })
productViewed(analytics, { userId: 'u1' }, { tags: ['x'] })
identify(analytics, { userId: 'u1' }, { email: 'a@example.com', plan: 'pro' })
group(analytics, { userId: 'u1' }, 'g1', { name: 'Acme', employees: 3 })
pageHome(analytics, { userId: 'u1' }, { referrer: 'x' })
page(analytics, { userId: 'u1' }, 'Landing', { path: '/' })
page(analytics, { anonymousId: 'a1' }, undefined, { path: '/x' })
`

describe('generateTrackingModule', () => {
  it('names functions after events, with the version', () => {
    expect(camel('Order Completed')).toBe('orderCompleted')
    expect(camel('checkout-step 2 viewed')).toBe('checkoutStep2Viewed')
    expect(camel('1 Click')).toBe('_1Click')
    const text = generateTrackingModule(plan, 'node')
    expect(text).toContain('export function orderCompletedV2(')
    expect(text).toContain('withVersion(options.context, 2)')
    expect(text).toContain('/** The order id. */')
    expect(text).toContain('/** Format: date-time. */')
    expect(text).toContain('from tracking plan tp_test (Test, revision 3)')
  })

  it(
    'compiles for analytics-node, and refuses a missing or mistyped property by name',
    { timeout: 60_000 },
    () => {
      expect(compile('node', NODE_OK, 'node-ok')).toEqual([])
      const missing = compile(
        'node',
        `import { Analytics } from '@segment/analytics-node'
import { orderCompleted } from './tracking.js'
orderCompleted(new Analytics({ writeKey: 'k' }), { userId: 'u' }, { orderId: 'o', currency: 'EUR', products: [] })
`,
        'node-missing',
      )
      expect(missing).toHaveLength(1)
      expect(missing[0]?.text).toContain("Property 'total' is missing")
      const wrong = compile(
        'node',
        `import { Analytics } from '@segment/analytics-node'
import { orderCompleted, identify } from './tracking.js'
const a = new Analytics({ writeKey: 'k' })
orderCompleted(a, { userId: 'u' }, { orderId: 'o', total: 'ten', currency: 'EUR', products: [] })
orderCompleted(a, { userId: 'u' }, { orderId: 'o', total: 1, currency: 'GBP', products: [{ sku: 'a' }] })
identify(a, { userId: 'u' }, { plan: 'pro' })
`,
        'node-wrong',
      )
      expect(wrong).toHaveLength(4)
      ;['total', 'currency', 'sku', 'plan'].forEach((name, i) => {
        expect(wrong[i]?.at, wrong[i]?.text).toContain(name)
      })
      expect(wrong[0]?.text).toContain("Type 'string' is not assignable to type 'number'")
      expect(wrong[2]?.text).toContain("Property 'quantity' is missing")
      expect(wrong[3]?.text).toContain("Property 'email' is missing")
    },
  )

  it('compiles for analytics-next and refuses misuse', { timeout: 60_000 }, () => {
    const ok = compile(
      'browser',
      `import { AnalyticsBrowser } from '@segment/analytics-next'
import { orderCompletedV2, identify, group, page, pageHome, productViewed } from './tracking.js'
const analytics = AnalyticsBrowser.load({ writeKey: 'k' })
void orderCompletedV2(analytics, { orderId: 'o', revenue: 1 })
void productViewed(analytics)
void identify(analytics, 'u1', { email: 'a@example.com' })
void group(analytics, 'g1', { name: 'Acme' })
void pageHome(analytics, {}, { context: { ip: '1.2.3.4' } })
void page(analytics, undefined, { path: '/' })
`,
      'browser-ok',
    )
    expect(ok).toEqual([])
    const bad = compile(
      'browser',
      `import { AnalyticsBrowser } from '@segment/analytics-next'
import { orderCompletedV2 } from './tracking.js'
void orderCompletedV2(AnalyticsBrowser.load({ writeKey: 'k' }), { orderId: 'o', revenue: true })
`,
      'browser-bad',
    )
    expect(bad).toHaveLength(1)
    expect(bad[0]?.at).toBe('revenue')
  })
})
