/**
 * The timeline of one scenario: events in the order they happen (strictly increasing
 * timestamps), each with the truth it carries. Clients (`clients.ts`) record into it.
 */
import type { SeededRandom } from './seeded-random.js'

/** What a scenario exercises; the report groups its numbers by kind. */
export const SCENARIO_KINDS = [
  'multi-device',
  'anonymous-only',
  'shared-device',
  'changed-email',
  'alias',
  'blocked-values',
  'limit-violation',
  'accounts',
  'offline-mobile',
] as const

export type ScenarioKind = (typeof SCENARIO_KINDS)[number]

/**
 * The truth of one event:
 * - `person`: the human who caused it;
 * - `expected`: the profile Segment's rules give it, as a label shared by the events of one
 *   profile (null when the event carries only blocked values and belongs to no profile);
 * - `account`: the account profile label of a group call, else null.
 */
export interface Truth {
  person: string
  expected: string | null
  account: string | null
}

/** One generated event, its delivery time and its truth. */
export interface ScenarioEvent extends Truth {
  kind: ScenarioKind
  scenario: string
  sourceId: string
  /** Event time (ms); the canonical order of the scenario. */
  timestamp: number
  /** When the server receives it (ms); arrival order sorts by it. */
  receivedAt: number
  messageId: string
  /** The Segment event as stored. */
  payload: Record<string, unknown>
}

/** Delivery latency of a call: `online` (ms), or `offline` (queued on a device for hours). */
export type Delivery = 'online' | 'offline'

export class Story {
  readonly events: ScenarioEvent[] = []
  private clock: number
  private sequence = 0

  /** Label prefix of the scenario's people and profiles, e.g. `s0042`. */
  readonly scenario: string

  constructor(
    readonly rng: SeededRandom,
    readonly kind: ScenarioKind,
    readonly index: number,
    start: number,
  ) {
    this.scenario = `s${String(index).padStart(4, '0')}`
    this.clock = start
  }

  /** A truth label of this scenario: `expected` defaults to the person's own profile. */
  truth(person: string, expected: string | null = person, account: string | null = null): Truth {
    const label = (name: string): string => `${this.scenario}:${name}`
    return {
      person: label(person),
      expected: expected === null ? null : label(expected),
      account: account === null ? null : label(account),
    }
  }

  /** Lets time pass (at least 1 ms, so the story's order is the timestamp order). */
  wait(minMs: number, maxMs: number): void {
    this.clock += Math.max(1, this.rng.int(minMs, maxMs))
  }

  /**
   * Records one call: assigns its messageId, timestamp (after a short random pause) and
   * receivedAt, and stores it with `truth`.
   */
  record(
    payload: Record<string, unknown>,
    options: { sourceId: string; truth: Truth; delivery?: Delivery },
  ): ScenarioEvent {
    this.wait(200, 90_000)
    this.sequence += 1
    const messageId = `${this.scenario}-${String(this.sequence).padStart(3, '0')}-${this.rng.hex(6)}`
    const timestamp = this.clock
    const latency =
      options.delivery === 'offline'
        ? this.rng.int(2 * 3_600_000, 30 * 3_600_000)
        : this.rng.int(20, 3_000)
    const event: ScenarioEvent = {
      ...options.truth,
      kind: this.kind,
      scenario: this.scenario,
      sourceId: options.sourceId,
      timestamp,
      receivedAt: timestamp + latency,
      messageId,
      payload: {
        ...payload,
        messageId,
        timestamp: new Date(timestamp).toISOString(),
        receivedAt: new Date(timestamp + latency).toISOString(),
      },
    }
    this.events.push(event)
    return event
  }
}
