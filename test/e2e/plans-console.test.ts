import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

// The tracking plans console in a real browser, against a real platform on the embedded store:
// a plan and its rule are made in the editor (the server's validation problems shown inline),
// a source connected with blocking sends a violating event that shows in Violations and in the
// Quarantine, where it is fixed and replayed until stored; editing a rule shows its diff in
// Versions; the observed schema of a source lists what it sent and drafts a plan from it; and
// a plan of the config file is read-only. Needs the built console (npm run build).

const CONSOLE_INDEX = new URL('../../packages/console/dist/index.html', import.meta.url)
const SCREENSHOT_QUARANTINE = 'test-results/plans-console-quarantine.png'
const SCREENSHOT_SCHEMA = 'test-results/plans-console-schema.png'
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
/** The store step and its followers run in a worker: leave them time on a loaded machine. */
const WAIT = { timeout: 20_000 }
const ORDER_RULE = 'TRACK:Order Completed:1'

type Json = Record<string, unknown>

function totalSchema(extra: Json = {}): string {
  const properties = { total: { type: 'number' }, ...extra }
  return JSON.stringify({
    type: 'object',
    properties: {
      properties: { type: 'object', properties, required: ['total'] },
    },
  })
}

async function batch(tessera: TestPlatform, writeKey: string, events: Json[]): Promise<void> {
  const response = await fetch(`${tessera.url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch: events }),
  })
  expect(response.status).toBe(200)
}

async function storedEvent(tessera: TestPlatform, messageId: string): Promise<Json | undefined> {
  const response = await tessera.admin(`/api/v1/events?messageId=${messageId}`)
  const page = (await response.json()) as { data: Array<{ event: Json }> }
  return page.data[0]?.event
}

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
}

async function openPlans(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Tracking plans' })
    .click()
  await page.getByRole('heading', { name: 'Tracking plans', exact: true }).waitFor()
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Plan sections' }).getByRole('link', { name }).click()
}

async function createPlan(page: Page, name: string): Promise<void> {
  await openPlans(page)
  await page.getByLabel('Name').fill(name)
  await page.getByRole('button', { name: 'Create plan' }).click()
  await expect.poll(() => page.getByTestId('plan-title').textContent(), WAIT).toBe(name)
}

/** Opens the editor of the rule (or a new one) and saves `schema` as its JSON Schema. */
async function saveRule(page: Page, schema: string, rule?: string): Promise<void> {
  if (rule) {
    await page.getByTestId(`rule-row-${rule}`).getByRole('button', { name: 'Edit' }).click()
  } else {
    await page.getByRole('button', { name: 'New rule' }).click()
    await page.getByLabel('Type').selectOption('TRACK')
    await page.getByLabel('Event key').fill('Order Completed')
  }
  await page.getByLabel('JSON Schema').fill(schema)
  await page.getByRole('button', { name: rule ? 'Save rule' : 'Add rule' }).click()
}

/** Clicks `refresh` until the test id's text holds every expected part. */
async function refreshUntil(page: Page, testId: string, parts: string[]): Promise<void> {
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click()
      const text = (await page.getByTestId(testId).allTextContents()).join(' ')
      return parts.every((p) => text.includes(p))
    }, WAIT)
    .toBe(true)
}

describe('console tracking plans', () => {
  let tessera: TestPlatform
  let browser: Browser
  let context: BrowserContext | undefined
  let pageErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error('The console is not built: run `npm run build -w @tessera/console` first.')
    }
    tessera = await startTestPlatform()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
    mkdirSync('test-results', { recursive: true })
  })

  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  afterAll(async () => {
    await browser?.close()
    await tessera?.close()
  })

  async function newPage(url: string): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await logIn(page, url)
    return page
  }

  it('blocks a violating event, shows it, and stores it once fixed and replayed', async () => {
    const page = await newPage(tessera.url)
    await createPlan(page, 'Checkout')

    // A schema Ajv cannot compile is refused by the server, its problem shown at its path.
    await saveRule(page, '{"type":"object","properties":{"properties":{"type":"nope"}}}')
    await expect
      .poll(() => page.getByTestId('rule-issues').textContent(), WAIT)
      .toContain('jsonSchema')
    await page.getByLabel('JSON Schema').fill(totalSchema())
    await page.getByRole('button', { name: 'Add rule' }).click()
    await page.getByTestId(`rule-row-${ORDER_RULE}`).waitFor()
    expect(await page.getByTestId('plan-revision').textContent()).toBe('2')

    // The managed test source, connected with blocking track violations.
    await openTab(page, 'Sources')
    await page.getByLabel('Source to connect').selectOption('test-source')
    await page.locator('#connect-trackViolations').selectOption('block')
    await page.getByRole('button', { name: 'Connect source' }).click()
    await page.getByTestId('connection-test-source').waitFor()
    expect(await page.locator('#test-source-trackViolations').inputValue()).toBe('block')
    const rows = await tessera.admin('/api/v1/sources/test-source/tracking-plan')
    const link = (await rows.json()) as { enforcement: Json; plan: { name: string } }
    expect(link.plan.name).toBe('Checkout')
    expect(link.enforcement.trackViolations).toBe('block')

    const messageId = randomUUID()
    await batch(tessera, tessera.writeKey, [
      {
        type: 'track',
        userId: 'u-1',
        event: 'Order Completed',
        messageId,
        properties: { total: 'twelve' },
      },
    ])

    await openTab(page, 'Violations')
    await refreshUntil(page, 'violation-row', [
      'Order Completed',
      'properties.total',
      'Invalid Type',
    ])
    await page.getByLabel('Window').selectOption('1h')
    await refreshUntil(page, 'stats-track:Order Completed', ['1'])
    const stats = await page
      .getByTestId('stats-track:Order Completed')
      .locator('td')
      .allTextContents()
    // Event, checked, passed, violated, blocked, omitted.
    expect(stats.slice(1)).toEqual(['1', '0', '1', '1', '0'])

    await openTab(page, 'Quarantine')
    await refreshUntil(page, `quarantined-${messageId}`, ['Invalid Type properties.total'])
    expect(await storedEvent(tessera, messageId)).toBeUndefined()
    const row = page.getByTestId(`quarantined-${messageId}`)
    await row.getByRole('button', { name: 'View / edit' }).click()
    const editor = page.getByLabel('Payload')
    const payload = JSON.parse(await editor.inputValue()) as Json
    expect(payload.properties).toEqual({ total: 'twelve' })

    // The server checks the edited payload as ingest would: a track call needs its event.
    await editor.fill(JSON.stringify({ ...payload, event: undefined }))
    await page.getByRole('button', { name: 'Save payload' }).click()
    await expect
      .poll(() => page.getByTestId('quarantine-edit-error').textContent(), WAIT)
      .toContain('QUARANTINE_INVALID_EVENT')
    await editor.fill(JSON.stringify({ ...payload, properties: { total: 12 } }))
    await page.getByRole('button', { name: 'Save payload' }).click()
    await expect
      .poll(() => page.getByTestId('quarantine-note').textContent(), WAIT)
      .toContain('Saved')
    await page.screenshot({ path: SCREENSHOT_QUARANTINE, fullPage: true })
    await page.getByRole('button', { name: 'Replay this event' }).click()
    await expect
      .poll(() => page.getByTestId('quarantine-note').textContent(), WAIT)
      .toBe('Replayed 1.')

    await expect.poll(() => storedEvent(tessera, messageId), WAIT).toBeDefined()
    const stored = (await storedEvent(tessera, messageId)) as Json
    expect(stored.properties).toEqual({ total: 12 })
    expect(stored.event).toBe('Order Completed')
    // The replayed event left the quarantine list of open events.
    await refreshUntil(page, 'tab-quarantine', ['Nothing here.'])
    expect(pageErrors).toEqual([])
  })

  it('shows each revision with its author, time and diff', async () => {
    const page = await newPage(tessera.url)
    await createPlan(page, 'Versioned')
    await saveRule(page, totalSchema())
    await page.getByTestId(`rule-row-${ORDER_RULE}`).waitFor()
    await saveRule(page, totalSchema({ coupon: { type: 'string' } }), ORDER_RULE)
    await expect.poll(() => page.getByTestId('plan-revision').textContent(), WAIT).toBe('3')

    await openTab(page, 'Versions')
    const third = page.getByTestId('revision-3')
    await third.waitFor()
    expect(await third.textContent()).toContain(`changed ${ORDER_RULE}`)
    expect(await third.textContent()).toContain('admin:')
    expect(await page.getByTestId('revision-2').textContent()).toContain(`added ${ORDER_RULE}`)
    expect(await page.getByTestId('revision-1').textContent()).toContain('no rule changed')

    // A past revision shows its own rules: revision 2 does not have the coupon yet.
    await page.getByTestId('revision-2').getByRole('button', { name: 'View' }).click()
    const view = page.getByTestId('revision-view')
    await expect.poll(() => view.textContent(), WAIT).toContain(`1 rules: ${ORDER_RULE}`)
    expect(await view.textContent()).not.toContain('coupon')
    await page.getByTestId('revision-3').getByRole('button', { name: 'View' }).click()
    await expect.poll(() => view.textContent(), WAIT).toContain('coupon')

    // Deleting the plan (after the confirmation) returns to the list, without it.
    const url = page.url()
    const id = decodeURIComponent(url.split('/tracking-plans/')[1]!.split('/')[0]!)
    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Delete plan' }).click()
    await page
      .getByRole('table', { name: 'Tracking plans' })
      .or(page.getByText('No tracking plans yet.'))
      .waitFor()
    expect(await page.getByTestId(`plan-row-${id}`).count()).toBe(0)
    expect((await tessera.admin(`/api/v1/tracking-plans/${id}`)).status).toBe(404)
    expect(pageErrors).toEqual([])
  })

  it('lists the observed schema of a source and drafts a plan from it', async () => {
    const created = await tessera.admin('/api/v1/sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Signup app' }),
    })
    expect(created.status).toBe(201)
    const source = (await created.json()) as { id: string; writeKey: string }
    await batch(tessera, source.writeKey, [
      { type: 'track', userId: 'u-2', event: 'Signed Up', properties: { plan: 'pro', seats: 3 } },
      { type: 'track', userId: 'u-3', event: 'Signed Up', properties: { plan: 'free' } },
    ])

    const page = await newPage(tessera.url)
    await createPlan(page, 'Signups')
    await openTab(page, 'Observed schema')
    await page.getByLabel('Source').selectOption(source.id)
    await refreshUntil(page, 'observed-Signed Up', ['2 events'])
    const plan = page.getByTestId('observed-property-properties.plan')
    expect(await plan.textContent()).toContain('string (2)')
    expect(await plan.textContent()).toContain('100%')
    const seats = page.getByTestId('observed-property-properties.seats')
    expect(await seats.textContent()).toContain('integer (1)')
    expect(await seats.textContent()).toContain('50%')
    await page.screenshot({ path: SCREENSHOT_SCHEMA, fullPage: true })

    await page.getByRole('button', { name: 'Draft plan from observed' }).click()
    const draft = page.getByTestId('draft-plan')
    await expect.poll(() => draft.textContent(), WAIT).toContain('TRACK:Signed Up:1')
    await page.getByRole('button', { name: 'Create plan from draft' }).click()
    await expect
      .poll(() => page.getByTestId('plan-title').textContent(), WAIT)
      .toBe('Draft plan for Signup app')
    await page.getByTestId('rule-row-TRACK:Signed Up:1').waitFor()

    const plans = (await (await tessera.admin('/api/v1/tracking-plans')).json()) as {
      data: Array<{ name: string; ruleCount: number }>
    }
    const drafted = plans.data.find((p) => p.name === 'Draft plan for Signup app')
    expect(drafted?.ruleCount).toBeGreaterThanOrEqual(1)
    expect(pageErrors).toEqual([])
  })

  it('shows a plan of the config file read-only, saying why', async () => {
    const managed = await startTestPlatform({
      trackingPlans: [
        {
          id: 'tp_file',
          name: 'File plan',
          rules: [
            {
              type: 'TRACK',
              key: 'Order Completed',
              jsonSchema: JSON.parse(totalSchema()) as Json,
            },
          ],
          sources: [{ id: 'test-source', enforcement: { unplannedEvents: 'block' } }],
        },
      ],
    })
    try {
      const page = await newPage(managed.url)
      await openPlans(page)
      await page.getByTestId('plan-row-tp_file').getByRole('link', { name: 'File plan' }).click()
      expect(await page.getByTestId('managed-note').textContent()).toContain('PLANS_MANAGED')
      expect(await page.getByRole('button', { name: 'New rule' }).count()).toBe(0)
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
      await page.getByTestId(`rule-row-${ORDER_RULE}`).getByRole('button', { name: 'View' }).click()
      expect(await page.getByLabel('JSON Schema').getAttribute('readonly')).not.toBeNull()
      expect(await page.getByRole('button', { name: 'Save rule' }).count()).toBe(0)
      await openTab(page, 'Sources')
      await page.getByTestId('connection-test-source').waitFor()
      expect(await page.locator('#test-source-unplannedEvents').inputValue()).toBe('block')
      expect(await page.locator('#test-source-unplannedEvents').isDisabled()).toBe(true)
      expect(await page.getByRole('button', { name: 'Disconnect' }).count()).toBe(0)
      expect(pageErrors).toEqual([])
    } finally {
      await context?.close()
      context = undefined
      await managed.close()
    }
  })
})
