/**
 * Orders in which generated events reach the server. Resolution must give the same profiles
 * for every one of them (README.md of identity/, Invariants).
 */
import type { SeededRandom } from './seeded-random.js'
import type { ScenarioEvent } from './story.js'

/** As received: by `receivedAt` (offline phones' calls hours after their timestamps). */
export function arrivalOrder(events: readonly ScenarioEvent[]): ScenarioEvent[] {
  return [...events].sort(
    (a, b) => a.receivedAt - b.receivedAt || (a.messageId < b.messageId ? -1 : 1),
  )
}

/** Every event in a random position. */
export function shuffledOrder(
  events: readonly ScenarioEvent[],
  rng: SeededRandom,
): ScenarioEvent[] {
  return rng.shuffle(events)
}

/**
 * Arrival order with a `fraction` of the events held back: each is moved to a random later
 * position (up to the end), as events a queue redelivers or a client retries much later.
 */
export function lateOrder(
  events: readonly ScenarioEvent[],
  rng: SeededRandom,
  fraction: number,
): ScenarioEvent[] {
  const order = arrivalOrder(events)
  const keyed = order.map((event, i) => ({
    event,
    position: rng.chance(fraction) ? rng.int(i + 1, order.length) + 0.5 : i,
  }))
  return keyed.sort((a, b) => a.position - b.position).map((k) => k.event)
}
