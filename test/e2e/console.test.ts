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

// The console in a real browser against a real platform: log in, create a source, install
// the analytics.js snippet the console shows on a page of another origin, and watch that
// page's calls arrive in the live debugger. Needs the built console (npm run build).

const CONSOLE_INDEX = new URL('../../packages/console/dist/index.html', import.meta.url)
const SCREENSHOT = 'test-results/console-live-events.png'
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

interface EventsPage {
  data: Array<{ offset: number; sourceId: string; event: Record<string, unknown> }>
}

/** A tiny site on another origin whose page installs `snippet` and makes the test calls. */
async function startShopSite(snippet: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Shop</title>
    ${snippet}
    <script>
      analytics.identify('user-42', { email: 'jane@example.com' })
      analytics.track('Order Completed', { revenue: 42 })
    </script>
  </head>
  <body><h1>Shop</h1></body>
</html>`
  const server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(html)
      return
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}/` }
}

async function logIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Admin token').fill(token)
  await page.getByRole('button', { name: 'Log in' }).click()
}

async function storedEvents(tessera: TestPlatform, sourceId: string): Promise<EventsPage['data']> {
  const response = await tessera.admin(`/api/v1/events?sourceId=${encodeURIComponent(sourceId)}`)
  expect(response.status).toBe(200)
  return ((await response.json()) as EventsPage).data
}

describe('console', () => {
  let tessera: TestPlatform
  let browser: Browser
  let shop: Server | undefined

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error('The console is not built: run `npm run build -w @tessera/console` first.')
    }
    tessera = await startTestPlatform()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    shop?.close()
    await tessera?.close()
  })

  it('refuses a wrong token and stays on the login page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await logIn(page, tessera.url, 'not-the-admin-token')

    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/not accepted/)
    expect(await page.getByLabel('Admin token').isVisible()).toBe(true)
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).count()).toBe(0)
    expect(await page.evaluate('localStorage.getItem("tessera.adminToken")')).toBeNull()
    await context.close()
  })

  it('shows the calls of a page using the snippet in the live debugger', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const consolePage = await context.newPage()
    const pageErrors: string[] = []
    consolePage.on('pageerror', (error) => pageErrors.push(error.message))

    // Log in: the token is kept, the overview is shown.
    await logIn(consolePage, tessera.url, TEST_ADMIN_TOKEN)
    await consolePage.getByRole('heading', { name: 'Overview' }).waitFor()
    expect(await consolePage.evaluate('localStorage.getItem("tessera.adminToken")')).toBe(
      TEST_ADMIN_TOKEN,
    )

    // Create a source through the UI and read its write key and snippet from the detail page.
    await consolePage.getByRole('link', { name: 'Sources' }).click()
    await consolePage.getByLabel('Name').fill('Web shop')
    await consolePage.getByRole('button', { name: 'Create source' }).click()
    await consolePage.getByRole('heading', { name: 'Web shop' }).waitFor()
    const writeKey = (await consolePage.getByTestId('write-key').textContent())?.trim() ?? ''
    const sourceId = (await consolePage.getByTestId('source-id').textContent())?.trim() ?? ''
    expect(writeKey).toMatch(/^[A-Za-z0-9_-]{8,}$/)
    expect(sourceId).not.toBe('')
    const snippet = (await consolePage.getByTestId('snippet-browser').textContent()) ?? ''
    expect(snippet).toContain(`analytics._cdn = "${tessera.url}"`)
    expect(snippet).toContain(`analytics.load("${writeKey}")`)
    expect(await consolePage.getByTestId('snippet-node').textContent()).toContain(
      `new Analytics({ writeKey: "${writeKey}", host: "${tessera.url}" })`,
    )
    expect(await consolePage.getByTestId('snippet-npm').textContent()).toContain(
      `cdnURL: "${tessera.url}"`,
    )

    // Open the live debugger on the new source.
    await consolePage.getByRole('link', { name: 'Live events' }).click()
    await consolePage.getByLabel('Source').selectOption({ label: 'Web shop' })
    await expect.poll(() => consolePage.getByTestId('stream-status').textContent()).toBe('Live')

    // A page on another origin installs the snippet: page() from the snippet, then the calls.
    const site = await startShopSite(snippet)
    shop = site.server
    const shopPage = await context.newPage()
    await shopPage.goto(site.url)

    const rows = consolePage.getByTestId('live-row')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3)
    expect(await rows.filter({ hasText: 'Order Completed' }).count()).toBe(1)
    expect(await rows.filter({ hasText: 'identify' }).filter({ hasText: 'user-42' }).count()).toBe(
      1,
    )
    expect(await rows.filter({ hasText: 'page' }).count()).toBeGreaterThanOrEqual(1)
    expect(await rows.filter({ hasText: 'Web shop' }).count()).toBe(3)

    // The store holds each call exactly once.
    await expect.poll(async () => (await storedEvents(tessera, sourceId)).length).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const stored = (await storedEvents(tessera, sourceId)).map((e) => e.event)
    expect(stored.map((e) => e.type).sort()).toEqual(['identify', 'page', 'track'])
    expect(new Set(stored.map((e) => e.messageId)).size).toBe(3)
    const track = stored.find((e) => e.type === 'track')
    expect(track).toMatchObject({ event: 'Order Completed', properties: { revenue: 42 } })
    expect(stored.find((e) => e.type === 'identify')).toMatchObject({
      userId: 'user-42',
      traits: { email: 'jane@example.com' },
    })

    // A refused event shows up as a rejection with its code and reason.
    const batch = await fetch(`${tessera.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch: [{ type: 'track', event: 'Checkout Started' }] }),
    })
    expect(batch.status).toBe(200)
    const rejection = consolePage.getByTestId('rejection-reason')
    await expect.poll(() => rejection.textContent()).toContain('EVENT_MISSING_IDENTITY')

    // Filters apply client-side; clicking a row shows its JSON.
    await consolePage.getByLabel('Event name').fill('Order')
    await expect.poll(() => rows.count()).toBe(1)
    await consolePage.getByLabel('Event name').fill('')
    await expect.poll(() => rows.count()).toBe(4)
    await rows.filter({ hasText: 'Order Completed' }).getByRole('button').click()
    const json = consolePage.getByTestId('event-json')
    await expect.poll(() => json.textContent()).toContain('"event": "Order Completed"')
    expect(await json.textContent()).toContain('"revenue": 42')

    mkdirSync('test-results', { recursive: true })
    await consolePage.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(pageErrors).toEqual([])

    // Log out returns to the login page.
    await consolePage.getByRole('button', { name: 'Log out' }).click()
    await consolePage.getByLabel('Admin token').waitFor()
    await context.close()
  })
})
