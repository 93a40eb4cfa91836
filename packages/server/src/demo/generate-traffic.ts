import { appVisit } from './app-journeys.js'
import type { DemoCall } from './demo-call.js'
import { createPersonas, type Persona } from './personas.js'
import { createRandom, type Random } from './random.js'
import { SessionBuilder } from './session-builder.js'
import {
  browseVisit,
  emailVisit,
  shopVisit,
  signUpVisit,
  surveyVisit,
  teamVisit,
} from './web-journeys.js'

export interface TrafficOptions {
  /** Same seed (and endTime), same traffic. */
  seed: number | string
  /** Simulated people. At least 1. */
  users: number
  /** Calls to produce, exactly. At least 1. */
  events: number
  /** Epoch ms of the last call's timestamp; earlier calls are spread before it. */
  endTime: number
}

/** How many people are mid-visit at once; their calls interleave. */
const CONCURRENT_VISITS = 4

type Visit = (session: SessionBuilder) => void

function weighted(random: Random, options: ReadonlyArray<readonly [Visit, number]>): Visit {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random.next() * total
  for (const [visit, weight] of options) {
    roll -= weight
    if (roll < 0) return visit
  }
  return options[0]?.[0] ?? browseVisit
}

/** Picks what a person does next, from what they have done so far. */
function chooseVisit(persona: Persona, random: Random): Visit {
  if (persona.device) return appVisit
  if (!persona.signedUp) {
    if (persona.willSignUp && (persona.sessions >= 2 || random.chance(0.5))) return signUpVisit
    return weighted(random, [
      [browseVisit, 3],
      [shopVisit, 2],
    ])
  }
  if (persona.company && !persona.grouped) return teamVisit
  return weighted(random, [
    [shopVisit, 3],
    [browseVisit, 1],
    [emailVisit, 3],
    [surveyVisit, persona.surveyed ? 0 : 1.5],
    [teamVisit, persona.company ? 1 : 0],
  ])
}

function nextVisit(persona: Persona, random: Random): DemoCall[] {
  persona.sessions += 1
  const session = new SessionBuilder(persona, random, {
    campaign: persona.sessions === 1 || random.chance(0.3) ? persona.campaign : null,
    referrer: persona.sessions === 1 ? persona.referrer : '',
  })
  chooseVisit(persona, random)(session)
  // Every visit yields at least one call, so the generator always makes progress.
  if (session.calls.length === 0) browseVisit(session)
  return session.calls
}

/**
 * Simulates `users` people visiting a shop (web and app) and returns exactly `events` calls
 * for `@segment/analytics-node`, in the order they happen, each with a `timestamp`. A few
 * visits run at once and interleave; a person's own calls stay in causal order (page before
 * sign-up, identify before alias, cart before order). Pure: the same options give the same
 * calls.
 */
export function generateTraffic(options: TrafficOptions): DemoCall[] {
  const random = createRandom(options.seed)
  const people = createPersonas(random, Math.max(1, Math.floor(options.users)))
  const idle = [...people]
  const active: Array<{ persona: Persona; calls: DemoCall[]; next: number }> = []
  const calls: DemoCall[] = []
  const offsets: number[] = []
  let clock = 0
  while (calls.length < options.events) {
    while (active.length < CONCURRENT_VISITS && idle.length > 0) {
      const [persona] = idle.splice(random.int(0, idle.length - 1), 1)
      if (persona) active.push({ persona, calls: nextVisit(persona, random), next: 0 })
    }
    const slot = random.int(0, active.length - 1)
    const visit = active[slot]
    const call = visit?.calls[visit.next]
    if (visit === undefined || call === undefined) break
    visit.next += 1
    clock += random.int(1, 20) * 1000 + random.int(0, 999)
    calls.push(call)
    offsets.push(clock)
    if (visit.next >= visit.calls.length) {
      active.splice(slot, 1)
      idle.push(visit.persona)
    }
  }
  calls.forEach((call, i) => {
    call.params.timestamp = new Date(
      options.endTime - (clock - (offsets[i] ?? clock)),
    ).toISOString()
  })
  return calls
}
