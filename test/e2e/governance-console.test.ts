import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  TEST_WRITE_KEY,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'
import { startReceiver, type Receiver } from '../support/webhook-receiver.js'

// The governance pages of the console in a real browser, on a real platform fed real events:
// Privacy (the inventory classifies the fields sent, rules, matchers, the classifier, consent
// mapping, the CSV export), Data quality (volume of an event, an alert rule created, edited
// and deleted through the form, its incident acknowledged), Requests (a deletion confirmed and
// followed to FINISHED with its per-store rows and report) and the Audit log (the request's
// creation listed, the chain verified, the export). Needs the build (npm run build).

const CONSOLE_INDEX = new URL('../../packages/console/dist/index.html', import.meta.url)
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const WAIT_MS = 20_000

type Json = Record<string, unknown>

async function send(tessera: TestPlatform, batch: Json[]): Promise<void> {
  const res = await fetch(`${tessera.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${TEST_WRITE_KEY}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  expect(res.status).toBe(200)
}

async function getJson<T>(
  tessera: TestPlatform,
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await tessera.admin(path)
  return { status: res.status, body: (await res.json()) as T }
}

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
}

async function openPage(page: Page, label: string, heading: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: label })
    .click()
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
}

/** Clicks `button` and returns the text of the file it downloads. */
async function downloadText(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  const path = await download.path()
  return readFileSync(path, 'utf8')
}

describe('console governance pages', () => {
  let tessera: TestPlatform
  let browser: Browser
  let hook: Receiver
  let context: BrowserContext
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error('The console is not built: run `npm run build -w @tessera/console` first.')
    }
    hook = await startReceiver()
    tessera = await startTestPlatform({
      destinations: [
        {
          id: 'hook',
          name: 'Ads hook',
          type: 'webhook',
          settings: { url: hook.url },
          consentCategories: ['Advertising'],
          marketing: true,
        },
      ],
      privacy: {
        pii: {
          salt: 'governance-console-salt-0123',
          matchers: [{ name: 'loyalty-id', on: 'key', pattern: 'loyalty_id', class: 'personal' }],
          rules: [
            { class: 'restricted', action: 'mask' },
            { class: 'personal', action: 'hash', destinations: ['hook'] },
          ],
        },
      },
      dataQuality: { evaluateEveryMs: 200 },
    })
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    })
    page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    mkdirSync('test-results', { recursive: true })
    await logIn(page, tessera.url)
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await tessera?.close()
    await hook?.close()
  })

  it('privacy: the inventory classifies the fields sent; rules, matchers, classifier, consent', async () => {
    await send(tessera, [
      {
        type: 'identify',
        userId: 'user-jane',
        traits: { email: 'jane@example.com', password: 'hunter2-secret' },
      },
      {
        type: 'track',
        userId: 'user-jane',
        event: 'Order Completed',
        properties: { email: 'jane@example.com', total: 42, loyalty_id: 'L-1' },
      },
    ])
    // The fields consumer follows the store: wait until it has seen the identify.
    await expect
      .poll(
        async () =>
          (await getJson<{ data: Json[] }>(tessera, '/api/v1/privacy/inventory?class=pii')).body
            .data.length,
        { timeout: WAIT_MS },
      )
      .toBeGreaterThanOrEqual(4)

    await openPage(page, 'Privacy', 'Privacy')
    const inventory = page.getByRole('table', { name: 'PII inventory' })
    const email = inventory.getByTestId('inventory-row').filter({ hasText: 'properties.email' })
    await expect.poll(() => email.textContent()).toContain('personal')
    expect(await email.textContent()).toContain('Order Completed')
    expect(await email.textContent()).toContain('Test source')
    const loyalty = inventory.getByTestId('inventory-row').filter({ hasText: 'loyalty_id' })
    expect(await loyalty.getByTestId('pii-class').textContent()).toBe('personal')

    // Only restricted fields: the password, nothing personal.
    await page.getByLabel('Class', { exact: true }).selectOption('restricted')
    await expect
      .poll(() => inventory.getByTestId('inventory-row').allTextContents())
      .toEqual([expect.stringContaining('traits.password') as string])
    const csv = await downloadText(page, () =>
      page.getByRole('button', { name: 'Download CSV' }).click(),
    )
    expect(csv.split('\n')[0]).toBe(
      'source_id,event_type,event,field,class,kind,types,count,first_seen,last_seen',
    )
    expect(csv).toContain('traits.password,restricted')
    expect(csv).not.toContain('properties.email')

    // Rules: the global one acts at ingest, the per-destination one at delivery.
    const rules = page.getByTestId('pii-rule')
    await expect.poll(() => rules.count()).toBe(2)
    expect(await rules.nth(0).textContent()).toMatch(/restricted.*mask.*global.*at ingest/)
    expect(await rules.nth(1).textContent()).toMatch(
      /personal.*hash.*destinations.*hook.*at delivery/,
    )

    // The custom matcher, then the defaults on demand.
    expect(await page.getByTestId('matcher-custom').textContent()).toContain('loyalty-id')
    expect(await page.getByTestId('matcher-default').count()).toBe(0)
    await page.getByRole('button', { name: 'Show default matchers' }).click()
    await expect.poll(() => page.getByTestId('matcher-default').count()).toBeGreaterThan(5)

    // The classifier on a payload typed in.
    await page
      .getByLabel('Payload (JSON)')
      .fill(JSON.stringify({ properties: { contact: 'bob@example.org', sku: 'A-1' } }))
    await page.getByRole('button', { name: 'Classify' }).click()
    const contact = page.getByTestId('classified-properties.contact')
    await expect.poll(() => contact.textContent()).toMatch(/personal.*email.*value/)
    expect(await page.getByTestId('classified-properties.sku').count()).toBe(0)
    await page.getByLabel('Payload (JSON)').fill('{ not json')
    await page.getByRole('button', { name: 'Classify' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The payload is not valid JSON')

    const consent = page.getByTestId('consent-hook')
    await expect.poll(() => consent.textContent()).toContain('Advertising')
    expect(await consent.textContent()).toContain('marketing')
    await page.screenshot({ path: 'test-results/governance-console-privacy.png', fullPage: true })
  })

  it('quality: volume of an event, an alert rule made in the form, its incident acknowledged', async () => {
    const batch = [1, 2, 3].map((n) => ({
      type: 'track',
      userId: `buyer-${n}`,
      event: 'Checkout Started',
      properties: { step: n },
    }))
    await send(tessera, batch)
    // The event picker lists what the source's observed schema holds.
    await expect
      .poll(
        async () =>
          (
            await getJson<{ events: Array<{ name: string }> }>(
              tessera,
              '/api/v1/sources/test-source/schema',
            )
          ).body.events.map((e) => e.name),
        { timeout: WAIT_MS },
      )
      .toContain('Checkout Started')
    await expect
      .poll(
        async () => {
          const series = await getJson<{ data: Array<{ value: number | null }> }>(
            tessera,
            '/api/v1/quality/series?metric=volume&source=test-source&event=Checkout%20Started',
          )
          return series.body.data.reduce((n, p) => n + (p.value ?? 0), 0)
        },
        { timeout: WAIT_MS },
      )
      .toBe(3)

    await openPage(page, 'Data quality', 'Data quality')
    await page.getByLabel('Source', { exact: true }).selectOption('test-source')
    const eventPicker = page.getByLabel('Event', { exact: true })
    await expect
      .poll(() => eventPicker.locator('option').allTextContents())
      .toContain('Checkout Started')
    await eventPicker.selectOption('Checkout Started')
    await page.getByRole('img', { name: 'Volume per hour of Checkout Started' }).waitFor()
    const buckets = page.getByTestId('volume-bucket')
    await expect
      .poll(async () => {
        const values = await Promise.all(
          (await buckets.all()).map(async (b) => Number(await b.getAttribute('data-value'))),
        )
        return values.reduce((a, b) => a + b, 0)
      })
      .toBe(3)
    // Two events of the privacy test and these three, all from the one source.
    await expect
      .poll(async () => {
        const card = await page.getByTestId('metric-volume').textContent()
        return Number(/^Volume(\d+)/.exec(card ?? '')?.[1])
      })
      .toBe(5)

    // A rule created in the form: fewer than 1,000 checkouts an hour opens an incident.
    await page.getByRole('button', { name: 'New rule' }).click()
    const form = page.getByRole('form', { name: 'New alert rule' })
    await form.getByLabel('Id', { exact: true }).fill('checkouts-low')
    await form.getByLabel('Name', { exact: true }).fill('Checkouts low')
    await form.getByLabel('Source', { exact: true }).selectOption('test-source')
    await form.getByLabel('Event', { exact: true }).fill('Checkout Started')
    await form.getByLabel('Condition', { exact: true }).selectOption('below')
    await form.getByLabel('Threshold', { exact: true }).fill('1000')
    await form.getByRole('button', { name: 'Create rule' }).click()
    const row = page.getByTestId('alert-rule-checkouts-low')
    await expect.poll(() => row.textContent()).toContain('below 1000 over 1h')
    const created = await getJson<Json>(tessera, '/api/v1/quality/alerts/checkouts-low')
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({
      name: 'Checkouts low',
      metric: 'volume',
      source: 'test-source',
      event: 'Checkout Started',
      condition: 'below',
      threshold: 1000,
      window: '1h',
      severity: 'warning',
    })

    // Edited: critical severity, kept by the API.
    await row.getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('form', { name: 'Edit rule checkouts-low' })
    await edit.getByLabel('Severity', { exact: true }).selectOption('critical')
    await edit.getByRole('button', { name: 'Save rule' }).click()
    await expect.poll(() => row.textContent()).toContain('critical')
    const edited = await getJson<Json>(tessera, '/api/v1/quality/alerts/checkouts-low')
    expect(edited.body).toMatchObject({ severity: 'critical', threshold: 1000 })

    // The evaluator opens an incident within a few evaluations; acknowledge it in the page.
    await expect
      .poll(
        async () =>
          (await getJson<{ data: Json[] }>(tessera, '/api/v1/quality/incidents?status=open')).body
            .data.length,
        { timeout: WAIT_MS },
      )
      .toBe(1)
    await page.getByLabel('Status', { exact: true }).selectOption('resolved')
    await page.getByTestId('no-incidents').waitFor()
    await page.getByLabel('Status', { exact: true }).selectOption('open')
    const incident = page.getByTestId('incident-row')
    await expect.poll(() => incident.textContent()).toContain('Checkouts low')
    await incident.getByRole('button', { name: 'Acknowledge' }).click()
    await expect.poll(() => incident.textContent()).toContain('acknowledged by admin:')
    const acked = await getJson<{ data: Array<{ ackedBy: string | null }> }>(
      tessera,
      '/api/v1/quality/incidents?rule=checkouts-low',
    )
    expect(acked.body.data[0]?.ackedBy).toMatch(/^admin:/)
    await page.screenshot({ path: 'test-results/governance-console-quality.png', fullPage: true })

    // Deleted after a confirmation: gone from the API too.
    page.once('dialog', (dialog) => void dialog.accept())
    await row.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => row.count()).toBe(0)
    expect((await tessera.admin('/api/v1/quality/alerts/checkouts-low')).status).toBe(404)
  })

  it('requests: a confirmed deletion reaches FINISHED with its stores, destination and report', async () => {
    await send(tessera, [
      { type: 'identify', userId: 'user-gone', traits: { email: 'gone@example.com' } },
      { type: 'track', userId: 'user-gone', event: 'Order Completed', properties: { total: 9 } },
    ])
    await expect
      .poll(
        async () =>
          (await getJson<{ data: Json[] }>(tessera, '/api/v1/events?limit=100')).body.data.filter(
            (e) => JSON.stringify(e).includes('user-gone'),
          ).length,
        { timeout: WAIT_MS },
      )
      .toBe(2)

    await openPage(page, 'Requests', 'Requests')
    // Right of access first: what is held about Jane (from the privacy test), as a JSON file.
    const access = page.getByRole('form', { name: 'Subject access export' })
    await access.getByLabel('Subject ids').fill('user-jane')
    const exported = JSON.parse(
      await downloadText(page, () =>
        access.getByRole('button', { name: 'Download export' }).click(),
      ),
    ) as { subjectIds: string[]; profiles: Array<{ events: Json[] }> }
    expect(exported.subjectIds).toEqual(['user-jane'])
    expect(exported.profiles).toHaveLength(1)
    expect(exported.profiles[0]?.events).toHaveLength(2)
    expect(JSON.stringify(exported.profiles[0])).toContain('jane@example.com')

    const form = page.getByRole('form', { name: 'New request' })
    await form.getByLabel('Type', { exact: true }).selectOption('DELETE_ONLY')
    await form.getByLabel('Subject type', { exact: true }).fill('USER_ID')
    await form.getByLabel('Subject ids (one per line)').fill('user-gone')
    await form.getByRole('button', { name: 'Create request' }).click()
    // Deleting types ask first; nothing is created until confirmed.
    const confirm = page.getByTestId('request-confirm')
    await expect.poll(() => confirm.textContent()).toContain('DELETE_ONLY erases')
    const none = await getJson<{ data: { regulations: Json[] } }>(tessera, '/api/v1/regulations')
    expect(none.body.data.regulations).toEqual([])
    await confirm.getByRole('button', { name: 'Confirm deletion' }).click()

    await page.waitForURL(/\/requests\/[^/]+$/)
    const status = page.getByTestId('request-status')
    await expect.poll(() => status.textContent(), { timeout: WAIT_MS }).toBe('FINISHED')
    const stores = page.getByTestId('store-row')
    const storeNames = [
      'delivery',
      'rejected_events',
      'quarantined_events',
      'events',
      'trait_corrections',
      'identity',
    ]
    await expect.poll(() => stores.count()).toBe(storeNames.length)
    const storeTexts = await stores.allTextContents()
    storeNames.forEach((name, i) => expect(storeTexts[i]).toMatch(new RegExp(`^${name}.*FINISHED`)))
    const hookTask = page.getByTestId('destination-task-row').filter({ hasText: 'hook' })
    expect(await hookTask.textContent()).toContain('FINISHED')
    const report = page.getByTestId('request-report')
    await expect.poll(() => report.textContent()).toContain('1 profile')
    const removedEvents = report.getByTestId('report-total').filter({ hasText: /^events/ })
    expect(await removedEvents.textContent()).toBe('events2')

    await page.screenshot({
      path: 'test-results/governance-console-request.png',
      fullPage: true,
    })
    const regulateId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '')
    const stored = await getJson<{ data: { regulation: Json } }>(
      tessera,
      `/api/v1/regulations/${regulateId}`,
    )
    expect(stored.body.data.regulation).toMatchObject({
      overallStatus: 'FINISHED',
      regulationType: 'DELETE_ONLY',
      subjectIds: ['user-gone'],
    })

    // Back on the list, the request shows with its status and subject count.
    await page.getByRole('link', { name: '← Requests' }).click()
    const listed = page.getByTestId('request-row').filter({ hasText: regulateId })
    await expect.poll(() => listed.textContent()).toMatch(/DELETE_ONLY.*FINISHED.*1/)
    await page.screenshot({ path: 'test-results/governance-console-requests.png', fullPage: true })
  })

  it('audit: lists a request creation, filters and pages, verifies the chain, exports', async () => {
    const created = await tessera.admin('/api/v1/regulations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        regulationType: 'SUPPRESS_ONLY',
        subjectType: 'USER_ID',
        subjectIds: ['user-audited'],
      }),
    })
    expect(created.status).toBe(200)
    const { data } = (await created.json()) as { data: { regulateId: string } }
    // More than a page (50) of entries: a rule created, then replaced 55 times.
    const rule = { id: 'audit-fodder', name: 'Fodder', metric: 'volume', condition: 'anomaly' }
    const put = (method: string, path: string) =>
      tessera.admin(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      })
    expect((await put('POST', '/api/v1/quality/alerts')).status).toBe(201)
    for (let i = 0; i < 55; i++) {
      expect((await put('PUT', '/api/v1/quality/alerts/audit-fodder')).status).toBe(200)
    }

    await openPage(page, 'Audit log', 'Audit log')
    const rows = page.getByTestId('audit-row')
    const ids = async () =>
      (await rows.locator('td:first-child').allTextContents()).map((t) => Number(t))
    await expect.poll(() => rows.count()).toBe(50)
    const first = await ids()
    await page.getByRole('button', { name: 'Next →' }).click()
    await expect.poll(() => page.getByTestId('pager-page').textContent()).toBe('Page 2')
    await expect.poll(async () => Math.max(...(await ids()))).toBeLessThan(Math.min(...first))
    await page.getByRole('button', { name: '← Previous' }).click()
    await expect.poll(ids).toEqual(first)

    // The request's creation, recorded by the regulations domain with what it was about.
    await page.getByLabel('Action', { exact: true }).fill('regulation')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect.poll(() => rows.count()).toBe(2)
    for (const action of await page.getByTestId('audit-action').allTextContents()) {
      expect(action.startsWith('regulation')).toBe(true)
    }
    const creation = rows.filter({ hasText: data.regulateId })
    await expect.poll(() => creation.count()).toBe(1)
    expect(await creation.getByTestId('audit-action').textContent()).toBe('regulation.created')
    expect(await creation.textContent()).toContain('admin:')
    await creation.getByRole('button', { name: 'Details' }).click()
    await expect
      .poll(() => page.getByTestId('audit-details').textContent())
      .toContain('"regulationType": "SUPPRESS_ONLY"')

    // A time range in the future holds nothing.
    await page.getByLabel('From').fill('2099-01-01T00:00')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByTestId('audit-empty').waitFor()
    await page.getByLabel('From').fill('')

    await page.getByRole('button', { name: 'Verify chain' }).click()
    await expect
      .poll(() => page.getByTestId('verify-result').textContent())
      .toMatch(/^Chain intact: \d+ entries checked\.$/)

    await page.getByLabel('Action', { exact: true }).fill('regulation.created')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect
      .poll(() => page.getByTestId('audit-action').allTextContents())
      .toEqual(['regulation.created', 'regulation.created'])
    const jsonl = await downloadText(page, () =>
      page.getByRole('button', { name: 'JSON lines' }).click(),
    )
    const lines = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; target: { id: string } })
    expect(lines.map((l) => l.action)).toEqual(['regulation.created', 'regulation.created'])
    expect(lines[0]?.target.id).toBe(data.regulateId)
    const csv = await downloadText(page, () => page.getByRole('button', { name: 'CSV' }).click())
    expect(csv.split('\r\n')[0]).toBe(
      'id,at,actor,action,targetType,targetId,outcome,requestId,ip,details',
    )
    expect(csv).toContain(data.regulateId)
    await page.screenshot({ path: 'test-results/governance-console-audit.png', fullPage: true })
    expect(pageErrors).toEqual([])
  })
})
