/**
 * Custom matchers from config (`privacy.pii.matchers`), tried before the defaults: on the key or
 * on the value, exact, regular expression, or similar (Dice coefficient of character bigrams
 * above a threshold, 0.7 by default), each with synonyms. A matcher of class `none` marks what
 * it matches as not PII, which is how a default is overridden.
 */
import { normalizeKey } from './key-tokens.js'
import type { PiiClass } from './model.js'

export interface CustomMatcherConfig {
  name: string
  on: 'key' | 'value'
  type: 'exact' | 'regex' | 'similar'
  pattern: string
  synonyms: string[]
  class: PiiClass | 'none'
  /** Kind reported (default: the matcher's name). */
  kind?: string
  /** Similarity above which `similar` matches (0 to 1). */
  threshold: number
}

export interface CompiledCustomMatcher {
  config: CustomMatcherConfig
  /** Whether the key (raw) or the value (a string) matches. */
  test(subject: string): boolean
}

function bigrams(text: string): Map<string, number> {
  const compact = text.toLowerCase().replace(/\s+/g, '')
  const out = new Map<string, number>()
  for (let i = 0; i < compact.length - 1; i++) {
    const gram = compact.slice(i, i + 2)
    out.set(gram, (out.get(gram) ?? 0) + 1)
  }
  return out
}

/** Sørensen–Dice coefficient of the character bigrams of two strings (0 to 1). */
export function diceCoefficient(a: string, b: string): number {
  if (a === b) return 1
  const x = bigrams(a)
  const y = bigrams(b)
  let sizeX = 0
  let sizeY = 0
  let common = 0
  for (const n of x.values()) sizeX += n
  for (const [gram, n] of y) {
    sizeY += n
    common += Math.min(n, x.get(gram) ?? 0)
  }
  return sizeX + sizeY === 0 ? 0 : (2 * common) / (sizeX + sizeY)
}

/** Compiles one matcher. Throws on an invalid regular expression (config validation checks it). */
export function compileCustomMatcher(config: CustomMatcherConfig): CompiledCustomMatcher {
  const patterns = [config.pattern, ...config.synonyms]
  const norm = (s: string): string =>
    config.on === 'key' ? normalizeKey(s) : s.trim().toLowerCase()
  if (config.type === 'regex') {
    const res = patterns.map((p) => new RegExp(p, 'u'))
    return { config, test: (s) => res.some((re) => re.test(s)) }
  }
  const wanted = patterns.map(norm)
  if (config.type === 'exact') {
    const set = new Set(wanted)
    return { config, test: (s) => set.has(norm(s)) }
  }
  return {
    config,
    test: (s) => {
      const subject = norm(s)
      return wanted.some((w) => diceCoefficient(subject, w) > config.threshold)
    },
  }
}
