/**
 * FQL's grammar, parsed by recursive descent into a small tree. Precedence, loosest first:
 * `or`, `and`, unary `!`, comparisons (`= != < <= > >= in`), operands. Operands are literals
 * (`'a'`, `"a"`, `1.5`, `true`, `false`, `null`), list literals (`['a', 1]`), paths and
 * function calls; parentheses group. A bare operand used as a condition is true only when
 * its value is the boolean `true` (`properties.enabled`).
 */
import type { JsonValue } from '../../protocol/index.js'
import { FUNCTION_ARITY, isFqlFunctionName, type FqlFunctionName } from './fql-functions.js'
import { lexFql, type FqlToken } from './fql-lexer.js'

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in'

/** A parsed FQL expression. */
export type FqlExpr =
  | { kind: 'literal'; value: JsonValue }
  | { kind: 'path'; segments: string[] }
  | { kind: 'call'; name: FqlFunctionName; args: FqlExpr[] }
  | { kind: 'not'; operand: FqlExpr }
  | { kind: 'logic'; op: 'and' | 'or'; left: FqlExpr; right: FqlExpr }
  | { kind: 'compare'; op: CompareOp; left: FqlExpr; right: FqlExpr }

export type ParseResult = { ok: true; expr: FqlExpr } | { ok: false; error: string }

/** Parses FQL source; never throws. */
export function parseFqlExpression(source: string): ParseResult {
  const lexed = lexFql(source)
  if (!lexed.ok) return lexed
  const parser = new Parser(lexed.tokens)
  try {
    const expr = parser.parseOr()
    parser.expectEnd()
    return { ok: true, expr }
  } catch (error) {
    // Only SyntaxProblem is thrown on purpose; anything else (a stack overflow on absurd
    // nesting) is still reported as a parse error, so a bad filter never crashes its caller.
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/** Thrown inside the parser only, turned into a value by {@link parseFqlExpression}. */
class SyntaxProblem extends Error {}

class Parser {
  private index = 0

  constructor(private readonly tokens: FqlToken[]) {}

  parseOr(): FqlExpr {
    let left = this.parseAnd()
    while (this.isWord('or')) {
      this.index++
      left = { kind: 'logic', op: 'or', left, right: this.parseAnd() }
    }
    return left
  }

  expectEnd(): void {
    const token = this.peek()
    if (token.kind !== 'end') throw this.unexpected(token)
  }

  private parseAnd(): FqlExpr {
    let left = this.parseUnary()
    while (this.isWord('and')) {
      this.index++
      left = { kind: 'logic', op: 'and', left, right: this.parseUnary() }
    }
    return left
  }

  private parseUnary(): FqlExpr {
    if (this.isPunct('!')) {
      this.index++
      return { kind: 'not', operand: this.parseUnary() }
    }
    return this.parseComparison()
  }

  private parseComparison(): FqlExpr {
    const left = this.parseOperand()
    const token = this.peek()
    if (token.kind === 'op') {
      this.index++
      return { kind: 'compare', op: token.value, left, right: this.parseOperand() }
    }
    if (this.isWord('in')) {
      this.index++
      return { kind: 'compare', op: 'in', left, right: this.parseOperand() }
    }
    return left
  }

  private parseOperand(): FqlExpr {
    const token = this.take()
    switch (token.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value }
      case 'word':
        if (token.value === 'true' || token.value === 'false') {
          return { kind: 'literal', value: token.value === 'true' }
        }
        if (token.value === 'null') return { kind: 'literal', value: null }
        throw this.unexpected(token)
      case 'path':
        return this.isPunct('(')
          ? this.parseCall(token)
          : { kind: 'path', segments: token.segments }
      case 'punct':
        if (token.value === '(') return this.parseGroup()
        if (token.value === '[') return this.parseList()
        throw this.unexpected(token)
      case 'op':
      case 'end':
        throw this.unexpected(token)
    }
  }

  private parseGroup(): FqlExpr {
    const inner = this.parseOr()
    this.expectPunct(')')
    return inner
  }

  private parseList(): FqlExpr {
    const items: JsonValue[] = []
    if (this.isPunct(']')) {
      this.index++
      return { kind: 'literal', value: items }
    }
    for (;;) {
      const item = this.parseOperand()
      if (item.kind !== 'literal' || Array.isArray(item.value)) {
        throw new SyntaxProblem('a list holds only strings, numbers, true, false and null')
      }
      items.push(item.value)
      if (this.isPunct(']')) break
      this.expectPunct(',')
    }
    this.index++
    return { kind: 'literal', value: items }
  }

  private parseCall(token: Extract<FqlToken, { kind: 'path' }>): FqlExpr {
    const name = token.segments.length === 1 ? token.segments[0] : undefined
    if (name === undefined || !isFqlFunctionName(name)) {
      throw new SyntaxProblem(`unknown function '${token.segments.join('.')}' at ${token.at}`)
    }
    this.index++
    const args: FqlExpr[] = []
    while (!this.isPunct(')')) {
      if (args.length > 0) this.expectPunct(',')
      args.push(this.parseOr())
    }
    this.index++
    if (args.length !== FUNCTION_ARITY[name]) {
      throw new SyntaxProblem(
        `${name}() takes ${FUNCTION_ARITY[name]} argument(s), got ${args.length}`,
      )
    }
    return { kind: 'call', name, args }
  }

  private peek(): FqlToken {
    // The lexer always ends the list with an `end` token, and the index never passes it.
    return this.tokens[this.index] ?? { kind: 'end', at: -1 }
  }

  private take(): FqlToken {
    const token = this.peek()
    if (token.kind !== 'end') this.index++
    return token
  }

  private isWord(value: string): boolean {
    const token = this.peek()
    return token.kind === 'word' && token.value === value
  }

  private isPunct(value: string): boolean {
    const token = this.peek()
    return token.kind === 'punct' && token.value === value
  }

  private expectPunct(value: string): void {
    const token = this.peek()
    if (!this.isPunct(value)) throw this.unexpected(token, `expected '${value}'`)
    this.index++
  }

  private unexpected(token: FqlToken, expected?: string): SyntaxProblem {
    const found = token.kind === 'end' ? 'end of expression' : `${describe(token)} at ${token.at}`
    return new SyntaxProblem(expected ? `${expected}, found ${found}` : `unexpected ${found}`)
  }
}

function describe(token: FqlToken): string {
  switch (token.kind) {
    case 'path':
      return `'${token.segments.join('.')}'`
    case 'string':
      return `string '${token.value}'`
    case 'number':
      return `number ${token.value}`
    case 'word':
    case 'op':
    case 'punct':
      return `'${token.value}'`
    case 'end':
      return 'end of expression'
  }
}
