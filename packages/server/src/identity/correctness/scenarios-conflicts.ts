/**
 * Scenarios where Segment's rules keep apart what one identifier would join: shared devices
 * and emails, blocked values, limits, and accounts (a `group_id` shared by colleagues).
 */
import { Backend, Browser, EmailService, Phone } from './clients.js'
import { makePerson, otherEmail, type Person } from './people.js'
import { browse, login, randomDevice, useApp, visitThenLogin } from './sessions.js'
import type { Story, Truth } from './story.js'

/** A value the scenarios' config blocks (`SCENARIO_CONFIG`): a sign-up form's placeholder. */
export const PLACEHOLDER_EMAIL = 'test@example.com'

/**
 * Two people on one browser (no `reset()` on logout) or one tablet (`reset()`, so a new
 * anonymousId but the same device ids), or two accounts with one email. The shared
 * identifiers stay with the first user: calls carrying only them are the first user's
 * profile, and the second user's calls with their own userId make a separate profile.
 */
export function sharedDevice(story: Story): void {
  const variant = story.rng.int(0, 2)
  const a = makePerson(story, 'a', 0)
  const b = makePerson(story, 'b', 1)
  if (variant === 2) {
    sharedEmail(story, a, b)
    return
  }
  const client =
    variant === 0
      ? new Browser(story, story.truth('a'))
      : new Phone(story, story.truth('a'), randomDevice(story))
  visitThenLogin(story, client, a, { anonymousCalls: story.rng.int(1, 2) })
  if (client instanceof Phone) client.reset()
  client.truth = story.truth('b', 'a')
  if (client instanceof Browser) browse(story, client, 1, 2)
  else useApp(story, client, 1, 2)
  client.truth = story.truth('b')
  login(story, client, b)
}

function sharedEmail(story: Story, a: ReturnType<typeof makePerson>, b: typeof a): void {
  const family = otherEmail(a, 9)
  const first = new Browser(story, story.truth('a'))
  visitThenLogin(story, first, a, { email: family })
  const second = new Browser(story, story.truth('b'))
  visitThenLogin(story, second, b, { email: family })
  new EmailService(story).send('Email Opened', family, story.truth('a'))
  browse(story, second, 1, 2)
}

/**
 * Blocked values: a client that sends `userId: "null"` (or `"0"`, `"undefined"`) for
 * logged-out visitors, a sign-up placeholder email, and calls whose only ids are blocked (a
 * nil-UUID anonymousId, a backend's `"anonymous"` user) which belong to no profile.
 */
export function blockedValues(story: Story): void {
  const rng = story.rng
  const junk = rng.pick(['null', 'undefined', '0', 'N/A', '[object Object]'])
  for (let i = rng.int(2, 3); i > 0; i--) {
    const browser = new Browser(story, story.truth(`v${i}`))
    browser.userId = junk
    browse(story, browser, 1, 3)
    if (rng.chance(0.5)) browser.identify(null, { email: PLACEHOLDER_EMAIL })
  }
  const nil = new Browser(story, story.truth('n1', null))
  nil.anonymousId = '00000000-0000-0000-0000-000000000000'
  browse(story, nil, 1, 2)
  new Backend(story, story.truth('n2', null), rng.pick(['anonymous', '-1', 'none'])).track(
    'Cron Ran',
  )
}

/**
 * Limits: an account whose email changes 7 times (the 6th and 7th break email's limit of 5:
 * they are dropped from the profile, and mail to them makes profiles of their own), a person
 * on 7 browsers (browsers 6 and 7 break anonymous_id's limit of 5: their anonymous calls stay
 * apart; their logged-in calls carry the userId and are the person's), or a rotating Google
 * Analytics cookie (`ga_client_id`: 2 per 30 days in `SCENARIO_CONFIG`).
 */
export function limitViolation(story: Story): void {
  const person = makePerson(story, 'p', 0)
  const variant = story.rng.int(0, 2)
  if (variant === 0) emailChurn(story, person)
  else if (variant === 1) manyBrowsers(story, person)
  else rotatingGaCookie(story, person)
}

function emailChurn(story: Story, person: Person): void {
  const truth = story.truth('p')
  const browser = new Browser(story, truth)
  const mail = new EmailService(story)
  login(story, browser, person)
  for (let n = 1; n <= 6; n++) {
    login(story, browser, person, { email: otherEmail(person, n) })
    if (n === 2) mail.send('Email Opened', otherEmail(person, n), truth)
    if (n >= 5) mail.send('Email Opened', otherEmail(person, n), story.truth('p', `p-email${n}`))
  }
}

function manyBrowsers(story: Story, person: Person): void {
  const truth = story.truth('p')
  for (let k = 1; k <= 7; k++) {
    const browser = new Browser(story, k <= 5 ? truth : story.truth('p', `p-browser${k}`))
    browse(story, browser, 1, 2)
    browser.truth = truth
    login(story, browser, person)
  }
}

/**
 * Cookies 1 and 2 a week apart attach; cookie 3 a week later is a third within 30 days and is
 * dropped (a conversion imported with only it makes its own profile); cookie 4, 40 days later,
 * attaches again (the first two are out of the window).
 */
function rotatingGaCookie(story: Story, person: Person): void {
  const truth = story.truth('p')
  const browser = new Browser(story, truth)
  const cookies = [1, 2, 3, 4].map(
    () => `GA1.2.${story.rng.int(1e8, 9e8)}.${story.rng.int(1e9, 2e9)}`,
  )
  const gaps = [0, 7, 7, 40]
  for (const [i, cookie] of cookies.entries()) {
    story.wait((gaps[i] ?? 0) * 86_400_000, (gaps[i] ?? 0) * 86_400_000 + 3_600_000)
    browser.gaClientId = cookie
    if (i === 0) login(story, browser, person)
    else browse(story, browser, 1, 2)
    importConversion(story, cookie, i === 2 ? story.truth('p', 'p-ga3') : truth)
  }
  importConversion(story, cookies[0] ?? '', truth)
}

/** An offline conversion imported with only a GA client id (and its own anonymousId). */
function importConversion(story: Story, clientId: string, truth: Truth): void {
  story.record(
    {
      type: 'track',
      event: 'Offline Conversion',
      anonymousId: `imp_${story.rng.hex(16)}`,
      properties: { value: story.rng.int(10, 500) },
      context: {
        library: { name: 'conversion-import', version: '2.0' },
        integrations: { 'Google Analytics': { clientId } },
      },
    },
    { sourceId: 'import', truth },
  )
}

/**
 * Accounts: colleagues each log in and call `group(groupId)`; one also belongs to a second
 * company. Every user stays their own profile (group_id, shared, is dropped by user_id's
 * limit), and every group call resolves to its company's account.
 */
export function accounts(story: Story): void {
  const rng = story.rng
  const company = `acct_${story.scenario}_${rng.hex(4)}`
  const other = `acct_${story.scenario}_${rng.hex(4)}x`
  const n = rng.int(2, 4)
  for (let k = 0; k < n; k++) {
    const name = `u${k}`
    const person = makePerson(story, name, k)
    const browser = new Browser(story, story.truth(name))
    visitThenLogin(story, browser, person)
    browser.truth = story.truth(name, name, 'company')
    browser.group(company, { name: 'Initech', plan: 'enterprise' })
    if (k === 1) {
      browser.truth = story.truth(name, name, 'other')
      browser.group(other, { name: 'Globex' })
    }
    browser.truth = story.truth(name)
    browse(story, browser, 1, 2)
  }
}
