/**
 * FQL conditions (segment-compat.md §6.1), compiled once into closures.
 *
 * Why a layer over `@segment/destination-subscriptions` 3.37.0 and not that library alone:
 * its `parseFql` silently mis-parses `x in [...]` (it compares with the string `[`), rejects
 * `lowercase()`/`uppercase()`/`length()`/`typeof()`, handles `!` only before `contains` and
 * `match`, turns `match` into a prefix or suffix test, gives mixed `and`/`or` no precedence,
 * cannot nest parentheses, ignores conditions on fields other than `type`, `event`, `name`,
 * `userId`, `properties.*`, `traits.*`, `context.*`, and cannot read escaped paths. So this
 * layer tokenizes and parses FQL itself (fql-lexer.ts, fql-parser.ts), resolves paths and
 * runs functions, `in`, `!`, globs and list equality itself, and hands every comparison the
 * library evaluates correctly to its `validate()` (delegated-compare.ts).
 *
 * Why not `@segment/fql-ts`: it is a lexer and parser only (no evaluator), it is not a
 * dependency of this package (only a transitive one), and its AST would still need the same
 * evaluator; parsing FQL is the small part.
 */
import type { JsonObject, JsonValue } from '../../protocol/index.js'
import { compileDelegated, type DelegatedCompare } from './delegated-compare.js'
import { fqlContains, fqlMatch, strictEquals, UNARY_FUNCTIONS } from './fql-functions.js'
import { parseFqlExpression, type FqlExpr } from './fql-parser.js'
import { compileGlob } from './glob.js'

/**
 * A compiled condition. `matches` never throws: it returns true or false, or null when the
 * condition could not be evaluated on that event. Null is falsy, so a trigger does not fire;
 * a destination filter must treat it as "drop the event" (Segment never leaks on errors).
 */
export type CompiledFql =
  { ok: true; matches: (event: object) => boolean | null } | { ok: false; error: string }

/**
 * Compiles an FQL condition. `all` matches every event. Equality is strictly typed (`'1'` is
 * not `1`), ordering is false unless both sides are numbers, a missing field is `null`,
 * `and` binds tighter than `or`. Malformed text, an unknown function, a wrong argument
 * count or a malformed literal `match` pattern give `{ ok: false, error }`.
 *
 * @example
 * const fql = compileFql('type = "track" and lowercase(event) in ["signed up", "login"]')
 * if (fql.ok && fql.matches(event)) …
 */
export function compileFql(text: string): CompiledFql {
  if (text.trim() === 'all') return { ok: true, matches: () => true }
  const parsed = parseFqlExpression(text)
  if (!parsed.ok) return { ok: false, error: parsed.error }
  let root: Getter
  try {
    root = compileExpr(parsed.expr)
  } catch (error) {
    if (error instanceof CompileProblem) return { ok: false, error: error.message }
    throw error
  }
  return {
    ok: true,
    matches: (event) => {
      try {
        // Events are parsed JSON; the getters read them defensively (own keys, type checks).
        return root(event as JsonObject) === true
      } catch {
        return null
      }
    },
  }
}

type Getter = (event: JsonObject) => JsonValue

/** Thrown while compiling only, turned into `{ ok: false }` by {@link compileFql}. */
class CompileProblem extends Error {}

function compileExpr(expr: FqlExpr): Getter {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value
      return () => value
    }
    case 'path':
      return compilePath(expr.segments)
    case 'not': {
      const operand = compileExpr(expr.operand)
      return (e) => operand(e) !== true
    }
    case 'logic': {
      const left = compileExpr(expr.left)
      const right = compileExpr(expr.right)
      return expr.op === 'and'
        ? (e) => left(e) === true && right(e) === true
        : (e) => left(e) === true || right(e) === true
    }
    case 'compare':
      return compileCompare(expr)
    case 'call':
      return compileCall(expr)
  }
}

/**
 * A path read from the event: own keys of objects, decimal indexes of lists; anything
 * missing, or a step into a string, number or boolean, gives null.
 */
export function compilePath(segments: readonly string[]): Getter {
  return (event) => {
    let current: JsonValue = event
    for (const segment of segments) {
      if (current === null || typeof current !== 'object') return null
      if (Array.isArray(current)) {
        current = /^\d+$/.test(segment) ? (current[Number(segment)] ?? null) : null
      } else {
        current = Object.hasOwn(current, segment) ? (current[segment] ?? null) : null
      }
    }
    return current
  }
}

type CompareExpr = Extract<FqlExpr, { kind: 'compare' }>
type CallExpr = Extract<FqlExpr, { kind: 'call' }>

function compileCompare(expr: CompareExpr): Getter {
  const left = compileExpr(expr.left)
  const delegated = delegateCompare(expr)
  if (delegated !== null) {
    return expr.op === '!=' ? (e) => !delegated(left(e)) : (e) => delegated(left(e))
  }
  const right = compileExpr(expr.right)
  switch (expr.op) {
    case '=':
      return (e) => strictEquals(left(e), right(e))
    case '!=':
      return (e) => !strictEquals(left(e), right(e))
    case 'in':
      return (e) => {
        const list = right(e)
        if (!Array.isArray(list)) return false
        const value = left(e)
        return list.some((item) => strictEquals(value, item))
      }
    case '<':
      return numeric(left, right, (a, b) => a < b)
    case '<=':
      return numeric(left, right, (a, b) => a <= b)
    case '>':
      return numeric(left, right, (a, b) => a > b)
    case '>=':
      return numeric(left, right, (a, b) => a >= b)
  }
}

/** The destination-subscriptions comparison for `<x> op <literal>`, when it has one. */
function delegateCompare(expr: CompareExpr): DelegatedCompare | null {
  if (expr.right.kind !== 'literal' || expr.op === 'in') return null
  return compileDelegated(expr.op === '!=' ? '=' : expr.op, expr.right.value)
}

function numeric(left: Getter, right: Getter, test: (a: number, b: number) => boolean): Getter {
  return (e) => {
    const a = left(e)
    const b = right(e)
    return typeof a === 'number' && typeof b === 'number' && test(a, b)
  }
}

function compileCall(expr: CallExpr): Getter {
  const [first, second] = expr.args.map(compileExpr)
  if (first === undefined) throw new CompileProblem(`${expr.name}() needs an argument`)
  const literal = expr.args[1]?.kind === 'literal' ? expr.args[1].value : undefined
  if (expr.name === 'contains') {
    const delegated = literal === undefined ? null : compileDelegated('contains', literal)
    if (delegated !== null) return (e) => delegated(first(e))
    return twoArguments(expr, first, second, fqlContains)
  }
  if (expr.name === 'match') {
    if (typeof literal !== 'string') return twoArguments(expr, first, second, fqlMatch)
    const glob = compileGlob(literal)
    if (!glob.ok) throw new CompileProblem(glob.error)
    return (e) => {
      const value = first(e)
      return typeof value === 'string' && glob.regex.test(value)
    }
  }
  const fn = UNARY_FUNCTIONS[expr.name]
  return (e) => fn(first(e))
}

function twoArguments(
  expr: CallExpr,
  first: Getter,
  second: Getter | undefined,
  fn: (a: JsonValue, b: JsonValue) => boolean,
): Getter {
  if (second === undefined) throw new CompileProblem(`${expr.name}() needs two arguments`)
  return (e) => fn(first(e), second(e))
}
