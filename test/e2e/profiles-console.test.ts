import { Analytics } from '@segment/analytics-node'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from '../../packages/server/src/testing/test-platform.js'

// The profiles explorer in a real browser. Segment's textbook example goes through the real
// analytics-node client: an anonymous Chrome visitor views a page and identifies with an
// email; an anonymous Safari visitor browses and later identifies with the same email. The
// console finds one profile holding both browsers, draws its identity graph, explains it, and
// splits Safari off again. Needs the built console (npm run build).

const CONSOLE_INDEX = new URL('../../packages/console/dist/index.html', import.meta.url)
const SCREENSHOT_GRAPH = 'test-results/profiles-console-graph.png'
const SCREENSHOT_SPLIT = 'test-results/profiles-console-split.png'
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

const EMAIL = 'jdoe@example.com'
const CHROME = 'ID67980'
const SAFARI = 'ID34657'
const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const SAFARI_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'

/** Message ids of the calls, to find their edges and events. */
const ids = {
  chromePage: randomUUID(),
  chromeIdentify: randomUUID(),
  safariViewed: randomUUID(),
  safariAdded: randomUUID(),
  safariIdentify: randomUUID(),
}

/** The textbook example, one minute apart, an hour ago, through analytics-node. */
async function sendTextbookExample(tessera: TestPlatform): Promise<void> {
  const analytics = new Analytics({
    writeKey: tessera.writeKey,
    host: tessera.url,
    flushAt: 10,
    flushInterval: 100,
    maxRetries: 0,
  })
  const failures: unknown[] = []
  analytics.on('error', (error) => failures.push(error))
  const start = Date.now() - 60 * 60_000
  const at = (minute: number): Date => new Date(start + minute * 60_000)
  const chrome = { anonymousId: CHROME, context: { userAgent: CHROME_UA } }
  const safari = { anonymousId: SAFARI, context: { userAgent: SAFARI_UA } }
  analytics.page({ ...chrome, name: 'Home', messageId: ids.chromePage, timestamp: at(0) })
  analytics.identify({
    ...chrome,
    traits: { email: EMAIL, name: 'Jane Doe' },
    messageId: ids.chromeIdentify,
    timestamp: at(1),
  })
  analytics.track({
    ...safari,
    event: 'Product Viewed',
    properties: { sku: 'shoe-42' },
    messageId: ids.safariViewed,
    timestamp: at(2),
  })
  analytics.track({
    ...safari,
    event: 'Product Added',
    properties: { sku: 'shoe-42' },
    messageId: ids.safariAdded,
    timestamp: at(3),
  })
  analytics.identify({
    ...safari,
    traits: { email: EMAIL },
    messageId: ids.safariIdentify,
    timestamp: at(4),
  })
  await analytics.closeAndFlush()
  expect(failures).toEqual([])
}

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
}

async function openTab(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Profile sections' })
    .getByRole('link', { name })
    .click()
}

async function texts(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).allTextContents()
}

/** Search the email and open the one profile found. */
async function findJane(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Profiles' }).click()
  await page.getByLabel('Identifier or trait').fill(EMAIL)
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByRole('heading', { name: `Results for “${EMAIL}”` }).waitFor()
  const rows = page.getByTestId('profile-row')
  await expect.poll(() => rows.count()).toBe(1)
  expect(await rows.textContent()).toContain(CHROME)
  // The same search among accounts finds nothing: the collection switch searches again.
  await page.getByLabel('Collection').selectOption('accounts')
  await page.getByTestId('no-profiles').waitFor()
  expect(await rows.count()).toBe(0)
  await page.getByLabel('Collection').selectOption('users')
  await expect.poll(() => rows.count()).toBe(1)
  await rows.getByRole('link', { name: 'Jane Doe' }).click()
  await expect.poll(() => page.getByTestId('profile-title').textContent()).toBe('Jane Doe')
}

async function checkTraitsAndIdentities(page: Page): Promise<void> {
  const name = page.getByTestId('trait-name')
  await expect.poll(() => name.textContent()).toContain('Jane Doe')
  // The source is shown by name once the sources are loaded; the message is the identify.
  await expect.poll(() => name.textContent()).toContain('Test source')
  expect(await name.getByTitle(ids.chromeIdentify).count()).toBe(1)
  expect(await page.getByTestId('trait-email').textContent()).toContain(EMAIL)

  await openTab(page, 'Identities')
  const rows = page.getByTestId('identity-row')
  await expect.poll(() => rows.count()).toBe(3)
  const identities = (await rows.allTextContents()).join('\n')
  expect(identities).toContain(CHROME)
  expect(identities).toContain(SAFARI)
  expect(identities).toContain(EMAIL)
}

async function checkTimeline(page: Page): Promise<void> {
  await openTab(page, 'Timeline')
  const rows = page.getByTestId('timeline-row')
  await expect.poll(() => rows.count()).toBe(5)
  expect(await rows.filter({ hasText: CHROME }).count()).toBe(2)
  expect(await rows.filter({ hasText: SAFARI }).count()).toBe(3)
  // Newest first: the Safari identify, then its two tracks, then Chrome's identify and page.
  const all = await texts(page, 'timeline-row')
  expect(all[0]).toContain('identify')
  expect(all[1]).toContain('Product Added')
  expect(all[4]).toContain('Home')
  await rows.filter({ hasText: 'Product Viewed' }).getByRole('button').click()
  const json = page.getByTestId('timeline-json')
  await expect.poll(() => json.textContent()).toContain(SAFARI_UA)
  await rows.filter({ hasText: 'Home' }).getByRole('button').click()
  await expect.poll(() => json.textContent()).toContain(CHROME_UA)
}

async function checkGraph(page: Page): Promise<void> {
  await openTab(page, 'Identity graph')
  const nodes = page.getByTestId('graph-node')
  await expect.poll(() => nodes.count()).toBe(3)
  const nodeIds = await Promise.all((await nodes.all()).map((node) => node.getAttribute('data-id')))
  expect(nodeIds.sort()).toEqual(
    [`anonymous_id:${CHROME}`, `anonymous_id:${SAFARI}`, `email:${EMAIL}`].sort(),
  )
  // Chrome's identify attached the email; Safari's identify merged the Safari profile in.
  const edges = page.getByTestId('graph-edge')
  expect(await edges.count()).toBe(2)
  const attach = page.getByRole('button', { name: new RegExp(`message ${ids.chromeIdentify}`) })
  expect(await attach.getAttribute('aria-label')).toContain(
    `attach anonymous_id:${CHROME} to email:${EMAIL}`,
  )
  expect(await attach.textContent()).toContain(ids.chromeIdentify.slice(0, 10))
  const merge = page.getByRole('button', { name: new RegExp(`message ${ids.safariIdentify}`) })
  expect(await merge.getAttribute('aria-label')).toMatch(/^merge /)
  // Clicking an edge shows the event that made it.
  await attach.click()
  const event = page.getByTestId('graph-event-json')
  await expect.poll(() => event.textContent()).toContain('"name": "Jane Doe"')
  expect(await page.getByTestId('graph-edge-details').textContent()).toContain(ids.chromeIdentify)
}

async function checkHistoryAndExplain(page: Page): Promise<void> {
  await openTab(page, 'Merge history')
  const rows = page.getByTestId('history-row')
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3)
  expect(await rows.filter({ hasText: 'merge' }).count()).toBe(1)

  await openTab(page, 'Explain')
  await page.getByLabel('Identifier A').fill(`anonymous_id:${CHROME}`)
  await page.getByLabel('Identifier B').fill(`anonymous_id:${SAFARI}`)
  await page.getByRole('button', { name: 'Explain' }).click()
  await expect
    .poll(() => page.getByTestId('explain-verdict').textContent())
    .toContain('On one profile')
  const steps = page.getByTestId('explain-path').getByRole('listitem')
  expect(await steps.count()).toBe(2)
  expect(await steps.nth(0).textContent()).toContain(EMAIL)
}

async function split(page: Page): Promise<void> {
  await openTab(page, 'Split')
  await page.getByLabel('Separate two identifiers').check()
  await page.getByLabel('Keep this identifier').selectOption(`email:${EMAIL}`)
  await page.getByLabel('apart from this one').selectOption(`anonymous_id:${SAFARI}`)
  await page.getByLabel('Reason').fill('Safari is a shared family computer')
  await page.getByRole('button', { name: 'Review split' }).click()
  expect(await page.getByTestId('split-confirm').textContent()).toContain(
    `Keep email:${EMAIL} and anonymous_id:${SAFARI} on separate profiles`,
  )
  await page.getByRole('button', { name: 'Confirm split' }).click()
  const after = page.getByTestId('split-after').getByRole('listitem')
  await expect.poll(() => after.count(), { timeout: 15_000 }).toBe(2)
  expect(await page.getByTestId('split-before').getByRole('listitem').count()).toBe(1)
  // Both new profiles exist and show their identifiers: Chrome with the email, Safari alone.
  await expect.poll(() => after.filter({ hasText: SAFARI }).textContent()).not.toContain(EMAIL)
  expect(await after.filter({ hasText: CHROME }).textContent()).toContain(EMAIL)
}

describe('console profiles explorer', () => {
  let tessera: TestPlatform
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(CONSOLE_INDEX)) {
      throw new Error('The console is not built: run `npm run build -w @tessera/console` first.')
    }
    tessera = await startTestPlatform()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await tessera?.close()
  })

  it('finds the textbook profile, shows where everything came from, and splits it', async () => {
    await sendTextbookExample(tessera)
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    mkdirSync('test-results', { recursive: true })

    await logIn(page, tessera.url)
    await findJane(page)
    await checkTraitsAndIdentities(page)
    await checkTimeline(page)
    await checkGraph(page)
    await page.screenshot({ path: SCREENSHOT_GRAPH, fullPage: true })
    await checkHistoryAndExplain(page)
    await split(page)
    await page.screenshot({ path: SCREENSHOT_SPLIT, fullPage: true })

    // The Safari profile stands on its own: one identifier and its two tracks.
    await page
      .getByTestId('split-after')
      .getByRole('listitem')
      .filter({ hasText: SAFARI })
      .getByRole('link')
      .click()
    await openTab(page, 'Identities')
    await expect
      .poll(() => page.getByTestId('identity-row').allTextContents())
      .toEqual([expect.stringContaining(SAFARI) as string])
    await openTab(page, 'Timeline')
    await expect.poll(() => page.getByTestId('timeline-row').count()).toBe(2)
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
