/**
 * JSON Schema → TypeScript type text, for generated tracking code. Covers what plans use:
 * `type` (one or a list), `enum`, `const`, objects with `properties`/`required`/
 * `additionalProperties`, arrays (`items`, tuple `prefixItems`), `anyOf`/`oneOf` (union),
 * `allOf` (intersection), `nullable`, and `$ref` to a JSON pointer within the same schema
 * (`#/definitions/…`, `#/$defs/…`), inlined. A recursive `$ref` becomes `unknown` past
 * {@link MAX_REF_DEPTH} levels. `format` never changes the type (a date-time is a string).
 * Anything it cannot express is `unknown`, never an error.
 */

type Schema = Record<string, unknown>

export const MAX_REF_DEPTH = 8

/** The TypeScript type of `schema`; `root` resolves `$ref`; `indent` is the current depth. */
export function schemaType(schema: unknown, root: Schema, indent = 0, refs: string[] = []): string {
  if (schema === true || schema === undefined) return 'unknown'
  if (schema === false) return 'never'
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return 'unknown'
  const s = schema as Schema
  if (typeof s.$ref === 'string') {
    if (refs.filter((r) => r === s.$ref).length >= 1 || refs.length >= MAX_REF_DEPTH) {
      return 'unknown'
    }
    const target = resolvePointer(root, s.$ref)
    return target === undefined ? 'unknown' : schemaType(target, root, indent, [...refs, s.$ref])
  }
  if ('const' in s) return literal(s.const)
  if (Array.isArray(s.enum)) return s.enum.length === 0 ? 'never' : s.enum.map(literal).join(' | ')
  const parts: string[] = []
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key]
    if (Array.isArray(list) && list.length > 0) {
      parts.push(union(list.map((item) => schemaType(item, root, indent, refs))))
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    parts.push(s.allOf.map((item) => paren(schemaType(item, root, indent, refs))).join(' & '))
  }
  const own = ownType(s, root, indent, refs)
  if (own !== null) parts.push(own)
  if (parts.length === 0) return 'unknown'
  let type = parts.length === 1 ? (parts[0] as string) : parts.map(paren).join(' & ')
  if (s.nullable === true) type = union([type, 'null'])
  return type
}

function ownType(s: Schema, root: Schema, indent: number, refs: string[]): string | null {
  const types = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : []
  if (types.length === 0) {
    if (s.properties !== undefined || s.additionalProperties !== undefined) {
      return objectType(s, root, indent, refs)
    }
    if (s.items !== undefined || s.prefixItems !== undefined) {
      return arrayType(s, root, indent, refs)
    }
    return null
  }
  return union(
    types.map((type) => {
      switch (type) {
        case 'string':
          return 'string'
        case 'number':
        case 'integer':
          return 'number'
        case 'boolean':
          return 'boolean'
        case 'null':
          return 'null'
        case 'array':
          return arrayType(s, root, indent, refs)
        case 'object':
          return objectType(s, root, indent, refs)
        default:
          return 'unknown'
      }
    }),
  )
}

function arrayType(s: Schema, root: Schema, indent: number, refs: string[]): string {
  if (Array.isArray(s.prefixItems)) {
    const items = s.prefixItems.map((item) => schemaType(item, root, indent, refs))
    return `[${items.join(', ')}]`
  }
  if (Array.isArray(s.items)) {
    return `[${s.items.map((item) => schemaType(item, root, indent, refs)).join(', ')}]`
  }
  const item = schemaType(s.items, root, indent, refs)
  return isCompound(item) ? `Array<${item}>` : `${item}[]`
}

/** An object type literal with one documented line per property. */
export function objectType(s: Schema, root: Schema, indent: number, refs: string[] = []): string {
  const properties = (s.properties ?? {}) as Record<string, unknown>
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
  const pad = '  '.repeat(indent + 1)
  const lines: string[] = []
  for (const [name, property] of Object.entries(properties)) {
    const doc = docComment(property, pad)
    if (doc !== '') lines.push(doc)
    const optional = required.has(name) ? '' : '?'
    lines.push(
      `${pad}${propertyName(name)}${optional}: ${schemaType(property, root, indent + 1, refs)}`,
    )
  }
  const extra = s.additionalProperties
  if (extra !== undefined && extra !== false) {
    lines.push(
      `${pad}[key: string]: ${extra === true ? 'unknown' : schemaType(extra, root, indent + 1, refs)}`,
    )
  }
  if (lines.length === 0) return 'Record<string, unknown>'
  return `{\n${lines.join('\n')}\n${'  '.repeat(indent)}}`
}

/** A `/** … *\/` block from a schema's `description` (and `format`, `title`), or ''. */
export function docComment(schema: unknown, pad: string): string {
  if (schema === null || typeof schema !== 'object') return ''
  const s = schema as Schema
  const text: string[] = []
  if (typeof s.title === 'string' && s.title !== '') text.push(s.title)
  if (typeof s.description === 'string' && s.description !== '') text.push(s.description)
  if (typeof s.format === 'string') text.push(`Format: ${s.format}.`)
  if (text.length === 0) return ''
  const lines = text.join('\n\n').replace(/\*\//g, '*\\/').split('\n')
  if (lines.length === 1) return `${pad}/** ${lines[0]} */`
  return [`${pad}/**`, ...lines.map((l) => `${pad} *${l === '' ? '' : ` ${l}`}`), `${pad} */`].join(
    '\n',
  )
}

/** Follows a local JSON pointer (`#/definitions/a`); undefined when it leads nowhere. */
function resolvePointer(root: Schema, ref: string): unknown {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

function literal(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value)
  }
  return 'unknown'
}

function union(types: string[]): string {
  const unique = [...new Set(types)]
  if (unique.includes('unknown')) return 'unknown'
  return unique.join(' | ')
}

function paren(type: string): string {
  return isCompound(type) ? `(${type})` : type
}

/** Whether a type text has a `|` or `&` outside braces, brackets and angle brackets. */
function isCompound(type: string): boolean {
  let depth = 0
  let quoted = false
  let escaped = false
  for (const c of type) {
    if (quoted) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') quoted = false
      continue
    }
    if (c === '"') quoted = true
    else if (c === '{' || c === '[' || c === '<' || c === '(') depth += 1
    else if (c === '}' || c === ']' || c === '>' || c === ')') depth -= 1
    else if (depth === 0 && (c === '|' || c === '&')) return true
  }
  return false
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name)
}
