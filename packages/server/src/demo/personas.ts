import {
  CAMPAIGNS,
  COMPANIES,
  FIRST_NAMES,
  LAST_NAMES,
  LOCALES,
  MOBILE_DEVICES,
  PLANS,
  REFERRERS,
  USER_AGENTS,
  type Campaign,
  type Company,
  type MobileDevice,
} from './catalog.js'
import type { Random } from './random.js'

/** One simulated person, and what the simulation has learned about them so far. */
export interface Persona {
  index: number
  anonymousId: string
  /** The id they get when they sign up (or are already known by, on mobile). */
  userId: string
  firstName: string
  lastName: string
  email: string
  plan: string
  locale: string
  timezone: string
  /** A documentation-range address, so the demo does not claim real IPs. */
  ip: string
  userAgent: string
  /** Set for app users: their phone. */
  device: (MobileDevice & { id: string; advertisingId: string }) | null
  /** Set for B2B buyers: the company they buy for. */
  company: Company | null
  /** The ad or email that first brought them, if any. */
  campaign: Campaign | null
  referrer: string
  /** Web visitors who sign up during the simulation. Returning customers start signed up. */
  willSignUp: boolean
  // Mutable simulation state.
  signedUp: boolean
  /** Has sent a group call for their company. */
  grouped: boolean
  /** Has answered the NPS survey. */
  surveyed: boolean
  sessions: number
  orders: number
}

/**
 * Creates `count` people. Roles are spread by index, not drawn at random, so any run with at
 * least six people has app users, B2B buyers, returning customers, visitors who sign up and
 * visitors who never do.
 */
export function createPersonas(random: Random, count: number): Persona[] {
  return Array.from({ length: count }, (_, index) => createPersona(random, index))
}

function createPersona(random: Random, index: number): Persona {
  const firstName = random.pick(FIRST_NAMES)
  const lastName = random.pick(LAST_NAMES)
  const handle = `${firstName}.${lastName}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase()
  const isMobile = index % 5 === 3
  const device = isMobile
    ? {
        ...random.pick(
          MOBILE_DEVICES.filter((d) => d.type === (index % 2 === 0 ? 'android' : 'ios')),
        ),
        id: random.uuid(),
        advertisingId: random.uuid(),
      }
    : null
  const place = random.pick(LOCALES)
  return {
    index,
    anonymousId: random.uuid(),
    userId: `usr_${random.hex(12)}`,
    firstName,
    lastName,
    email: `${handle}${random.int(1, 99)}@example.com`,
    plan: random.pick(PLANS),
    locale: place.locale,
    timezone: place.timezone,
    ip: `${random.pick(['192.0.2', '198.51.100', '203.0.113'])}.${random.int(1, 254)}`,
    userAgent: random.pick(USER_AGENTS),
    device,
    company: index % 3 === 1 ? (COMPANIES[Math.floor(index / 3) % COMPANIES.length] ?? null) : null,
    campaign: random.chance(0.6) ? random.pick(CAMPAIGNS) : null,
    referrer: random.pick(REFERRERS),
    willSignUp: index % 4 === 1 || index % 4 === 3,
    signedUp: isMobile || index % 4 === 2,
    grouped: false,
    surveyed: false,
    sessions: 0,
    orders: 0,
  }
}

/** Who the event is from: the userId once known; the anonymousId rides along on the web. */
export function identityOf(
  persona: Persona,
): { userId: string; anonymousId?: string } | { anonymousId: string } {
  if (!persona.signedUp) return { anonymousId: persona.anonymousId }
  return persona.device
    ? { userId: persona.userId }
    : { userId: persona.userId, anonymousId: persona.anonymousId }
}
