/**
 * Scenarios of one person each, where Segment's rules link everything the person does once
 * the devices meet a login (except what never meets one).
 */
import { Backend, Browser, EmailService, Phone } from './clients.js'
import { makePerson, otherEmail } from './people.js'
import { browse, login, randomDevice, useApp, visitThenLogin } from './sessions.js'
import type { Story } from './story.js'

/**
 * Several browsers and phones (at most 5 anonymous ids, the default limit), each logging in;
 * sometimes a backend with a numeric userId, sometimes a browser that never logs in (its
 * own profile by the rules, though the same person).
 */
export function multiDevice(story: Story): void {
  const rng = story.rng
  const person = makePerson(story, 'p', 0)
  const truth = story.truth('p')
  const clients: Array<Browser | Phone> = []
  for (let i = rng.int(1, 3); i > 0; i--) clients.push(new Browser(story, truth))
  for (let i = rng.int(0, 2); i > 0; i--) clients.push(new Phone(story, truth, randomDevice(story)))
  for (const client of rng.shuffle(clients)) {
    visitThenLogin(story, client, person, { phone: rng.chance(0.4) })
  }
  if (rng.chance(0.5)) {
    const backend = new Backend(story, truth, person.numericUserId ?? person.userId)
    backend.track('Subscription Renewed', { plan: 'pro' })
  }
  if (rng.chance(0.3)) browse(story, new Browser(story, story.truth('p', 'p-unidentified')))
  for (const client of clients) {
    if (client instanceof Browser) browse(story, client, 0, 2)
    else useApp(story, client, 0, 2)
  }
}

/** A visitor who never logs in: one browser, anonymous calls only. */
export function anonymousOnly(story: Story): void {
  browse(story, new Browser(story, story.truth('v')), 1, 6)
}

/**
 * A newsletter signup (email, no userId), an account, emails from an email tool, then two
 * changes of address: every address stays on the profile (3 of at most 5), so mail to any of
 * them is the person's. Sometimes the email tool writes to the new address before the app
 * identifies with it (a profile of its own until the identify merges it).
 */
export function changedEmail(story: Story): void {
  const rng = story.rng
  const person = makePerson(story, 'p', 0)
  const truth = story.truth('p')
  const browser = new Browser(story, truth)
  const mail = new EmailService(story)
  browse(story, browser)
  if (rng.chance(0.5)) browser.identify(null, { email: person.email })
  login(story, browser, person)
  mail.send('Email Opened', person.email, truth)
  const addresses = [otherEmail(person, 1), otherEmail(person, 2)]
  for (const address of addresses) {
    if (rng.chance(0.3)) mail.send('Email Delivered', address, truth)
    login(story, browser, person, { email: address })
    mail.send('Email Opened', rng.pick([person.email, address]), truth)
  }
}

/**
 * analytics.js `alias(userId)` at signup (previousId is the anonymousId the call also
 * carries, so it links), then identify; and a backend aliasing a legacy userId to the new
 * one. Alias calls do not merge profiles in Segment Unify: the legacy id's events stay a
 * profile of their own.
 */
export function aliasScenario(story: Story): void {
  const person = makePerson(story, 'p', 0)
  const truth = story.truth('p')
  const legacyId = `legacy_${story.scenario}_${story.rng.hex(6)}`
  const legacy = new Backend(story, story.truth('p', 'p-legacy'), legacyId)
  legacy.track('Invoice Paid', { amount: 20 })
  const browser = new Browser(story, truth)
  browse(story, browser)
  browser.alias(person.userId)
  login(story, browser, person)
  const backend = new Backend(story, truth, person.userId)
  backend.aliasFrom(legacyId)
  backend.track('Invoice Paid', { amount: 30 })
  if (story.rng.chance(0.5)) legacy.track('Invoice Paid', { amount: 25 })
}

/**
 * A phone used offline for a while (its calls arrive hours late, the login among them) while
 * the person also logs in on the web: the late login still joins the phone to the person.
 */
export function offlineMobile(story: Story): void {
  const person = makePerson(story, 'p', 0)
  const truth = story.truth('p')
  const phone = new Phone(story, truth, randomDevice(story))
  const browser = new Browser(story, truth)
  useApp(story, phone)
  phone.offline = true
  useApp(story, phone)
  visitThenLogin(story, browser, person)
  login(story, phone, person, { phone: true })
  useApp(story, phone)
  phone.offline = false
  useApp(story, phone, 1, 2)
  browse(story, browser, 0, 2)
}
