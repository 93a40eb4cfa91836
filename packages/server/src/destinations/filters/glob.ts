/**
 * FQL's `match(s, pattern)` glob (segment-compat.md §6.1): `*` any run of characters
 * (possibly empty), `?` exactly one character, `[abc]` one of the listed characters, `[a-z]` a
 * range, `[^…]` none of them, `\x` the character `x` itself. The pattern must match the whole
 * string, case-sensitively; `/` is an ordinary character. Characters are Unicode code points.
 */

export type GlobResult = { ok: true; regex: RegExp } | { ok: false; error: string }

/** Compiles a glob to an anchored regular expression, or says why the pattern is malformed. */
export function compileGlob(pattern: string): GlobResult {
  const chars = Array.from(pattern)
  let source = ''
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? ''
    if (c === '*') {
      source += '.*'
    } else if (c === '?') {
      source += '.'
    } else if (c === '\\') {
      const next = chars[++i]
      if (next === undefined) return { ok: false, error: `pattern '${pattern}' ends with '\\'` }
      source += literal(next)
    } else if (c === '[') {
      const set = readSet(chars, i + 1)
      if (set === null) return { ok: false, error: `unclosed '[' in pattern '${pattern}'` }
      source += set.source
      i = set.end
    } else {
      source += literal(c)
    }
  }
  return { ok: true, regex: new RegExp(`^${source}$`, 'su') }
}

/** Tests `text` against a glob; a malformed pattern matches nothing. */
export function globMatches(text: string, pattern: string): boolean {
  const compiled = compileGlob(pattern)
  return compiled.ok && compiled.regex.test(text)
}

/** Reads a `[…]` set starting after its `[`; returns the regex class and the index of `]`. */
function readSet(chars: string[], start: number): { source: string; end: number } | null {
  let i = start
  let negate = false
  if (chars[i] === '^') {
    negate = true
    i++
  }
  let body = ''
  let first = true
  for (; i < chars.length; i++) {
    let c = chars[i] ?? ''
    if (c === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i }
    first = false
    if (c === '\\') {
      const escaped = chars[++i]
      if (escaped === undefined) return null
      c = escaped
    }
    const range = readRange(chars, i, c)
    if (range === null) return null
    body += range.source
    i = range.end
  }
  return null
}

/** `c` alone, or the range `c-x` when a `-` and an end follow; null for a reversed range. */
function readRange(chars: string[], i: number, c: string): { source: string; end: number } | null {
  const to = chars[i + 2]
  if (chars[i + 1] !== '-' || to === undefined || to === ']') return { source: literal(c), end: i }
  if (to === '\\' || (to.codePointAt(0) ?? 0) < (c.codePointAt(0) ?? 0)) return null
  return { source: `${literal(c)}-${literal(to)}`, end: i + 2 }
}

/** One character as a regex atom that means exactly that character, in or out of a class. */
function literal(c: string): string {
  return `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`
}
