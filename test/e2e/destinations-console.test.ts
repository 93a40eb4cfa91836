import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

// The destinations console in a real browser, against a real platform on the embedded store:
// a webhook destination created through the catalog and its form receives tracked events; a
// second one, whose receiver refuses events, dead-letters them until the receiver is fixed and
// the dead letters are replayed; the event tester shows its request and response; and a
// platform whose config file defines destinations offers no way to add one. Needs the built
// console (npm run build).

const CONSOLE_INDEX = new URL('../../packages/console/dist/index.html', import.meta.url)
const SCREENSHOT_DELIVERY = 'test-results/destinations-console-delivery.png'
const SCREENSHOT_DEAD = 'test-results/destinations-console-dead-letters.png'
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

/** Delivery runs in a worker whose lanes may idle up to a second: wait longer than poll's 1 s. */
const WAIT = { timeout: 15_000 }

/** A local HTTP endpoint answering `status`, keeping the events it accepted. */
interface Receiver {
  url: string
  status: number
  /** Bodies answered with a 2xx status. */
  accepted: Array<Record<string, unknown>>
  refused: number
  close: () => Promise<void>
}

async function startReceiver(status: number): Promise<Receiver> {
  const receiver: Receiver = { url: '', status, accepted: [], refused: 0, close: async () => {} }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      if (receiver.status < 300) receiver.accepted.push(JSON.parse(body) as Record<string, unknown>)
      else receiver.refused++
      res.writeHead(receiver.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: receiver.status < 300 }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()))
  return receiver
}

/** Tracks one event per id through the tracking API. */
async function track(tessera: TestPlatform, messageIds: string[]): Promise<void> {
  const auth = `Basic ${Buffer.from(`${tessera.writeKey}:`).toString('base64')}`
  for (const messageId of messageIds) {
    const response = await fetch(`${tessera.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'user-1', event: 'Order Completed', messageId }),
    })
    expect(response.status).toBe(200)
  }
}

/** Waits until the destination's lane has started: only events stored after that reach it. */
async function waitRunning(tessera: TestPlatform, id: string): Promise<void> {
  await expect
    .poll(async () => {
      const record = (await (await tessera.admin(`/api/v1/destinations/${id}`)).json()) as {
        status: { cursor: number | null }
      }
      return record.status.cursor
    }, WAIT)
    .not.toBeNull()
}

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
}

async function openDestinations(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Destinations' })
    .click()
  await page.getByRole('heading', { name: 'Destinations', exact: true }).waitFor()
}

async function openTab(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Destination sections' })
    .getByRole('link', { name })
    .click()
}

/** Clicks `refresh` until the test id's text is `expected`. */
async function refreshUntil(page: Page, refresh: string, testId: string, expected: string) {
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: refresh }).click()
      return page.getByTestId(testId).textContent()
    }, WAIT)
    .toContain(expected)
}

async function createWebhook(page: Page, name: string, url: string): Promise<void> {
  await openDestinations(page)
  await page.getByTestId('add-destination').click()
  await page.getByLabel('Search the catalog').fill('webhook')
  await page.getByTestId('catalog-webhook').getByRole('link').click()
  await page.getByRole('heading', { name: 'New Webhook destination' }).waitFor()
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('url').fill(url)
  // The form came from the type's JSON Schema: the secret is a password input, the method a choice.
  expect(await page.locator('#setting-secret').getAttribute('type')).toBe('password')
  expect(await page.getByLabel('method').inputValue()).toBe('POST')
  await page.getByRole('button', { name: 'Validate' }).click()
  await page.getByTestId('valid-note').waitFor()
  await page.getByRole('button', { name: 'Create destination' }).click()
  await expect.poll(() => page.getByTestId('destination-title').textContent(), WAIT).toBe(name)
}

async function runTester(page: Page, receiver: Receiver): Promise<void> {
  await openTab(page, 'Event tester')
  await page.getByRole('button', { name: 'Send test event' }).click()
  await expect
    .poll(() => page.getByTestId('test-outcome').textContent(), WAIT)
    .toContain('Delivered')
  const exchange = page.getByTestId('exchange')
  expect(await exchange.textContent()).toContain(`Request: POST ${receiver.url}`)
  expect(await exchange.textContent()).toContain('Response: HTTP 200')
  expect(await exchange.textContent()).toContain('"event": "Order Completed"')
}

/** Traces the event (again, until the destination's row shows `status`: lanes move apart). */
async function traceEvent(page: Page, messageId: string, destinationId: string, status: string) {
  await openDestinations(page)
  await page.getByLabel('Message id').fill(messageId)
  await expect
    .poll(async () => {
      await page.getByRole('button', { name: 'Trace' }).click()
      const row = page.getByTestId(`trace-${destinationId}`)
      await row.waitFor()
      return row.textContent()
    }, WAIT)
    .toContain(status)
}

describe('console destinations', () => {
  let tessera: TestPlatform
  let browser: Browser
  const receivers: Receiver[] = []

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error('The console is not built: run `npm run build -w @tessera/console` first.')
    }
    tessera = await startTestPlatform()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
    mkdirSync('test-results', { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await tessera?.close()
    await Promise.all(receivers.map((r) => r.close()))
  })

  it('creates a webhook, delivers, replays dead letters and tests an event', async () => {
    const good = await startReceiver(200)
    const flaky = await startReceiver(400)
    receivers.push(good, flaky)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await logIn(page, tessera.url)

    // Created through the catalog and the form generated from the webhook's settings schema.
    await createWebhook(page, 'Orders hook', good.url)
    await waitRunning(tessera, 'orders-hook')
    const delivered = [randomUUID(), randomUUID(), randomUUID()]
    await track(tessera, delivered)
    await expect
      .poll(() => good.accepted.map((e) => e.messageId).sort(), WAIT)
      .toEqual([...delivered].sort())
    await openTab(page, 'Delivery')
    await refreshUntil(page, 'Refresh', 'total-delivered', '3')
    await page.getByTestId('counts-chart').waitFor()
    await page.screenshot({ path: SCREENSHOT_DELIVERY, fullPage: true })
    await runTester(page, good)
    expect(good.accepted).toHaveLength(4)

    // A second destination whose receiver refuses events: they are dead-lettered.
    const created = await tessera.admin('/api/v1/destinations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'refusing',
        name: 'Refusing hook',
        type: 'webhook',
        settings: { url: flaky.url },
      }),
    })
    expect(created.status).toBe(201)
    await waitRunning(tessera, 'refusing')
    const refused = [randomUUID(), randomUUID()]
    await track(tessera, refused)
    await traceEvent(page, refused[0]!, 'refusing', 'dead-lettered')
    await traceEvent(page, refused[0]!, 'orders-hook', 'delivered')

    await page.getByRole('link', { name: 'Refusing hook' }).first().click()
    await openTab(page, 'Dead letters')
    const rows = page.getByTestId('dead-letter-row')
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Apply' }).click()
        return rows.count()
      }, WAIT)
      .toBe(2)
    expect(await rows.first().textContent()).toContain('HTTP_400')
    await rows.first().getByRole('button', { name: 'Details' }).click()
    expect(await page.getByTestId('dead-letter-details').textContent()).toContain(
      'Response: HTTP 400',
    )
    await page.screenshot({ path: SCREENSHOT_DEAD, fullPage: true })

    // The receiver is fixed; replaying every dead letter delivers both events.
    flaky.status = 200
    await page.getByRole('button', { name: 'Replay all matching' }).click()
    await expect
      .poll(() => page.getByTestId('dead-letter-notice').textContent(), WAIT)
      .toBe('Replayed 2 dead letters.')
    await page.getByTestId('no-dead-letters').waitFor()
    await expect
      .poll(() => flaky.accepted.map((e) => e.messageId).sort(), WAIT)
      .toEqual([...refused].sort())
    await openTab(page, 'Delivery')
    await refreshUntil(page, 'Refresh', 'total-delivered', '2')
    expect(await page.getByTestId('total-deadLettered').textContent()).toContain('2')
    // The live events page links an event to its trace: `?messageId=` traces it at once.
    await page.goto(`${tessera.url}/destinations?messageId=${refused[1]!}`)
    await expect
      .poll(() => page.getByTestId('trace-refusing').textContent(), WAIT)
      .toContain('delivered')

    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('offers no way to add a destination when the config file manages them', async () => {
    const managed = await startTestPlatform({
      destinations: [
        {
          id: 'file-hook',
          name: 'File hook',
          type: 'webhook',
          settings: { url: 'http://127.0.0.1:9/x' },
        },
      ],
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    try {
      const page = await context.newPage()
      await logIn(page, managed.url)
      await openDestinations(page)
      await page.getByTestId('destination-row-file-hook').waitFor()
      expect(await page.getByTestId('add-destination').isDisabled()).toBe(true)
      expect(await page.getByTestId('managed-note').textContent()).toContain('config file')
      // The detail has no edit or delete either.
      await page.getByRole('link', { name: 'File hook' }).click()
      await page.getByTestId('tab-overview').waitFor()
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0)
    } finally {
      await context.close()
      await managed.close()
    }
  })
})
