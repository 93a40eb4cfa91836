// Event generators of `npm run bench:identity`: stored-event entries shaped like real traffic,
// with known people, so the graph grows to a chosen size and the measured mix is realistic.

const T0 = Date.parse('2026-11-01T00:00:00.000Z')

/** A log entry for the event store (`EventStore.apply`), as the pipeline writes it. */
export function entry(offset, event, sourceId = 'bench') {
  const name = event.type === 'track' ? event.event : (event.name ?? null)
  return {
    kind: 'event',
    offset,
    record: {
      messageId: event.messageId,
      sourceId,
      type: event.type,
      name,
      userId: event.userId ?? null,
      anonymousId: event.anonymousId ?? null,
      receivedAt: Date.parse(event.timestamp),
      timestamp: Date.parse(event.timestamp),
      payload: JSON.stringify(event),
    },
  }
}

const context = (i) => ({
  library: { name: 'analytics.js', version: 'next-1.84.3' },
  page: { path: '/products/trail', url: 'https://shop.example.com/products/trail' },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
  ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
})

/** Person `p`'s identifiers: one anonymous id, a user id and an email (three identifiers). */
export const person = (p) => ({
  anonymousId: `anon-${p}`,
  userId: `user-${p}`,
  email: `person${p}@example.com`,
})

/** The seeding event of person `p`: an identify carrying all three identifiers. */
export function seedEvent(p, runId) {
  const who = person(p)
  return {
    type: 'identify',
    messageId: `${runId}-seed-${p}`,
    ...who,
    traits: { email: who.email, name: `Person ${p}`, plan: p % 3 === 0 ? 'pro' : 'free' },
    context: context(p),
    timestamp: new Date(T0 + p).toISOString(),
  }
}

/**
 * The measured mix, event `i` of the run, over `people` seeded people, at a time after the
 * seed: 50% tracks by a known person, 20% pages by a known browser, 15% identifies with a
 * trait change, 10% tracks by a new anonymous visitor, 4% a new browser identifying as a known
 * user (an attach), 1% late events (an hour old: a rebuild of the person's component).
 */
export function mixedEvent(i, people, runId, random) {
  const p = Math.floor(random() * people)
  const who = person(p)
  const base = {
    messageId: `${runId}-mix-${i}`,
    context: context(i),
    timestamp: new Date(T0 + 86_400_000 + i * 10).toISOString(),
  }
  const r = random()
  if (r < 0.5) {
    return {
      ...base,
      type: 'track',
      event: 'Product Viewed',
      userId: who.userId,
      anonymousId: who.anonymousId,
      properties: { sku: `sku-${i % 700}`, price: 119.99 },
    }
  }
  if (r < 0.7)
    return {
      ...base,
      type: 'page',
      name: 'Trail shoe',
      anonymousId: who.anonymousId,
      properties: { path: '/products/trail' },
    }
  if (r < 0.85)
    return {
      ...base,
      type: 'identify',
      userId: who.userId,
      traits: { plan: i % 2 ? 'pro' : 'team', last_order: i },
    }
  if (r < 0.95)
    return {
      ...base,
      type: 'track',
      event: 'Signup Viewed',
      anonymousId: `${runId}-new-${i}`,
      properties: {},
    }
  if (r < 0.99)
    return {
      ...base,
      type: 'identify',
      userId: who.userId,
      anonymousId: `${runId}-browser-${i}`,
      traits: { email: who.email },
    }
  return {
    ...base,
    type: 'track',
    event: 'Offline Purchase',
    userId: who.userId,
    properties: { total: 42 },
    timestamp: new Date(T0 + 86_400_000 + i * 10 - 3_600_000).toISOString(),
  }
}

/** A small seeded PRNG (mulberry32), so runs are comparable. */
export function seededRandom(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
