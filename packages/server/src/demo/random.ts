/** A deterministic source of randomness: the same seed gives the same sequence everywhere. */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** `length` lowercase hex characters. */
  hex(length: number): string
  /** A version-4-shaped UUID (what browsers put in `ajs_anonymous_id`). */
  uuid(): string
}

/** Turns any seed (a number, or text such as `--seed spring-demo`) into 32 bits (FNV-1a). */
export function seedToInt(seed: number | string): number {
  if (typeof seed === 'number' && Number.isInteger(seed)) return seed >>> 0
  let hash = 0x811c9dc5
  for (const char of String(seed)) {
    hash ^= char.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/**
 * mulberry32: tiny, fast and good enough for simulated traffic (not for secrets). Its whole
 * state is one 32-bit integer, so runs are reproducible from the seed alone.
 */
export function createRandom(seed: number | string): Random {
  let state = seedToInt(seed)
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const hex = (length: number): string => {
    let out = ''
    while (out.length < length) out += Math.floor(next() * 16).toString(16)
    return out
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)] as T
    },
    hex,
    uuid: () => {
      const variant = '89ab'[int(0, 3)] ?? '8'
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`
    },
  }
}
