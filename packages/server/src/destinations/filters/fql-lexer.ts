/**
 * FQL's tokens (Segment's Filter Query Language, segment-compat.md §6.1). The tokenizer is
 * ours because `@segment/destination-subscriptions` silently mis-parses `in [...]`, `!(...)`,
 * nested parentheses and escaped paths; see fql.ts for what is still delegated to it.
 */

/** Words with a meaning of their own when written as a bare, unescaped path. */
export type FqlWord = 'and' | 'or' | 'in' | 'true' | 'false' | 'null'

/** One token; `at` is the offset in the source, for error messages. */
export type FqlToken =
  | { kind: 'path'; segments: string[]; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'word'; value: FqlWord; at: number }
  | { kind: 'op'; value: '=' | '!=' | '<' | '<=' | '>' | '>='; at: number }
  | { kind: 'punct'; value: '!' | '(' | ')' | '[' | ']' | ','; at: number }
  | { kind: 'end'; at: number }

export type LexResult = { ok: true; tokens: FqlToken[] } | { ok: false; error: string }

const WORDS: ReadonlySet<string> = new Set<FqlWord>(['and', 'or', 'in', 'true', 'false', 'null'])
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y
/** Characters a path segment may hold without a `\` escape (Segment: `a-z A-Z 0-9 _ -`). */
const SEGMENT_CHAR = /[A-Za-z0-9_-]/
const PATH_START = /[A-Za-z_\\]/

/** Splits FQL source into tokens, ending with an `end` token. */
export function lexFql(source: string): LexResult {
  const tokens: FqlToken[] = []
  let i = 0
  while (i < source.length) {
    const c = source.charAt(i)
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
      continue
    }
    const read = readToken(source, i)
    if (typeof read === 'string') return { ok: false, error: read }
    tokens.push(read.token)
    i = read.next
  }
  tokens.push({ kind: 'end', at: source.length })
  return { ok: true, tokens }
}

type Read = { token: FqlToken; next: number } | string

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>'] as const
const PUNCTUATION = ['!', '(', ')', '[', ']', ','] as const

function readToken(source: string, at: number): Read {
  const symbol = readSymbol(source, at)
  if (symbol !== null) return symbol
  const c = source.charAt(at)
  if (c === '"' || c === "'") return readString(source, at)
  NUMBER.lastIndex = at
  const number = NUMBER.exec(source)
  if (number) {
    return { token: { kind: 'number', value: Number(number[0]), at }, next: at + number[0].length }
  }
  if (PATH_START.test(c)) return readPath(source, at)
  return `unexpected character '${c}' at ${at}`
}

/** An operator or punctuation; two-character operators first, so `!=` is not `!` then `=`. */
function readSymbol(source: string, at: number): Read | null {
  const op = OPERATORS.find((candidate) => source.startsWith(candidate, at))
  if (op !== undefined) return { token: { kind: 'op', value: op, at }, next: at + op.length }
  const punct = PUNCTUATION.find((candidate) => source.startsWith(candidate, at))
  if (punct !== undefined) return { token: { kind: 'punct', value: punct, at }, next: at + 1 }
  return null
}

/**
 * A quoted string, `'…'` or `"…"`. Backslashes are kept as written (a `match` pattern needs
 * its `\*`), except that `\` before the closing quote character puts that quote in the string.
 */
function readString(source: string, at: number): Read {
  const quote = source.charAt(at)
  let value = ''
  let i = at + 1
  while (i < source.length) {
    const c = source.charAt(i)
    if (c === quote) return { token: { kind: 'string', value, at }, next: i + 1 }
    if (c === '\\' && source.charAt(i + 1) === quote) {
      value += quote
      i += 2
      continue
    }
    value += c
    i++
  }
  return `unterminated string starting at ${at}`
}

/**
 * A dotted path such as `context.library.name` or `properties.product\ 1.price`: `\x` puts
 * any character `x` (a dot included) into the segment. A single unescaped segment that is
 * `and`, `or`, `in`, `true`, `false` or `null` is that keyword.
 */
function readPath(source: string, at: number): Read {
  const segments: string[] = []
  let segment = ''
  let escaped = false
  let i = at
  for (; i < source.length; i++) {
    const c = source.charAt(i)
    if (c === '\\') {
      if (i + 1 >= source.length) return `dangling '\\' at ${i}`
      segment += source.charAt(++i)
      escaped = true
    } else if (c === '.') {
      if (segment === '') return `empty path segment at ${i}`
      segments.push(segment)
      segment = ''
    } else if (SEGMENT_CHAR.test(c)) {
      segment += c
    } else {
      break
    }
  }
  if (segment === '') return `path ends with '.' at ${i - 1}`
  segments.push(segment)
  const only = segments[0]
  if (segments.length === 1 && !escaped && only !== undefined && isWord(only)) {
    return { token: { kind: 'word', value: only, at }, next: i }
  }
  return { token: { kind: 'path', segments, at }, next: i }
}

function isWord(text: string): text is FqlWord {
  return WORDS.has(text)
}
