/**
 * Small pieces of behaviour the scenarios compose: a browsing session, an app session, a
 * login. Each records calls through a client; the truth is the client's at the time.
 */
import type { Phone } from './clients.js'
import { Browser, type DeviceOptions } from './clients.js'
import { spellEmail, spellPhone, type Person } from './people.js'
import type { Story } from './story.js'

const PAGES = ['Home', 'Pricing', 'Product', 'Blog Post', 'Cart']
const SCREENS = ['Home', 'Search', 'Product Detail', 'Cart', 'Settings']
const EVENTS = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed']

/** Device options as the iOS and Android SDKs send them, with varied spellings. */
export function randomDevice(story: Story): DeviceOptions {
  const rng = story.rng
  const platform = rng.chance(0.5) ? 'ios' : 'android'
  const spellings = platform === 'ios' ? ['ios', 'iOS', 'IOS'] : ['android', 'Android']
  return {
    platform,
    adTrackingEnabled: rng.chance(0.5),
    pushToken: rng.chance(0.6),
    spelling: rng.pick(spellings),
  }
}

/** `min..max` anonymous or identified calls of a web visit. */
export function browse(story: Story, browser: Browser, min = 1, max = 4): void {
  const n = story.rng.int(min, max)
  for (let i = 0; i < n; i++) {
    if (story.rng.chance(0.6)) browser.page(story.rng.pick(PAGES))
    else browser.track(story.rng.pick(EVENTS), { price: story.rng.int(5, 400) })
  }
}

/** `min..max` calls of an app session. */
export function useApp(story: Story, phone: Phone, min = 1, max = 4): void {
  const n = story.rng.int(min, max)
  for (let i = 0; i < n; i++) {
    if (story.rng.chance(0.6)) phone.screen(story.rng.pick(SCREENS))
    else phone.track(story.rng.pick(EVENTS), { price: story.rng.int(5, 400) })
  }
}

/**
 * A login: `identify(userId, traits)` with the person's email (spelled as clients vary it)
 * and sometimes the phone, then at least one identified call so the anonymous profile of the
 * device meets the user's.
 */
export function login(
  story: Story,
  client: Browser | Phone,
  person: Person,
  options: { email?: string | null; phone?: boolean } = {},
): void {
  const email = options.email === undefined ? person.email : options.email
  const traits: Record<string, unknown> = { firstName: person.name.toUpperCase() }
  if (email !== null) traits.email = spellEmail(story, email)
  if (options.phone === true) traits.phone = spellPhone(story, person.phoneDigits)
  client.identify(person.userId, traits)
  if (client instanceof Browser) browse(story, client, 1, 3)
  else useApp(story, client, 1, 3)
}

/** An anonymous visit or app session followed by a login on the same client. */
export function visitThenLogin(
  story: Story,
  client: Browser | Phone,
  person: Person,
  options: { email?: string | null; phone?: boolean; anonymousCalls?: number } = {},
): void {
  const anonymous = options.anonymousCalls ?? story.rng.int(0, 3)
  if (anonymous > 0) {
    if (client instanceof Browser) browse(story, client, anonymous, anonymous)
    else useApp(story, client, anonymous, anonymous)
  }
  login(story, client, person, options)
}
