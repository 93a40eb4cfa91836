/**
 * Subject templates of the NATS destination: `tessera.events.{type}` with `{type}`,
 * `{sourceId}` and `{event}` placeholders. Substituted values are sanitized to subject-token
 * characters, so an event can never add tokens (`.`), wildcards (`*`, `>`) or whitespace.
 */
import type { DeliveryEvent } from '../../destinations/model.js'

export const PLACEHOLDERS = ['type', 'sourceId', 'event'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

const PLACEHOLDER = /\{([A-Za-z]+)\}/g
/** What a literal token may contain: anything visible but the separator and wildcards. */
const LITERAL_TOKEN = /^[^\s.*>{}]+$/
const MAX_TOKEN_CHARS = 128

/** `Order Completed` / `orderCompleted` / `order-completed!` → `order_completed`. */
export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
}

/** A value as one subject token: `[A-Za-z0-9_-]` only, `_` for anything else, never empty. */
export function sanitizeToken(value: string): string {
  const token = value.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, MAX_TOKEN_CHARS)
  return token === '' ? '_' : token
}

/** Problems with a template (empty tokens, wildcards, unknown placeholders); empty when valid. */
export function templateProblems(template: string): string[] {
  const problems: string[] = []
  for (const token of template.split('.')) {
    const names = [...token.matchAll(PLACEHOLDER)].map((m) => m[1] as string)
    for (const name of names) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
        problems.push(`unknown placeholder {${name}} (use {type}, {sourceId} or {event})`)
      }
    }
    const literal = token.replace(PLACEHOLDER, 'x')
    if (!LITERAL_TOKEN.test(literal)) {
      problems.push(`invalid token '${token}': empty, or contains whitespace, '*', '>' or braces`)
    }
  }
  return problems
}

/**
 * The stream subject filter that captures every subject of `template`: its literal leading
 * tokens plus `.>` (`tessera.events.{type}` → `tessera.events.>`), or the template itself
 * when it has no placeholder. Null when the first token has a placeholder (the filter would
 * be `>`, every subject of the account).
 */
export function streamFilter(template: string): string | null {
  const tokens = template.split('.')
  const firstDynamic = tokens.findIndex((token) => token.includes('{'))
  if (firstDynamic === -1) return template
  if (firstDynamic === 0) return null
  return `${tokens.slice(0, firstDynamic).join('.')}.>`
}

function eventToken(delivery: DeliveryEvent): string {
  const { event } = delivery
  const name =
    event.type === 'track'
      ? event.event
      : event.type === 'page' || event.type === 'screen'
        ? event.name
        : undefined
  return typeof name === 'string' && snakeCase(name) !== '' ? snakeCase(name) : event.type
}

/**
 * The subject of one event. `{event}` is the snake_cased track event name (page and screen:
 * their name), or the event type when there is none.
 */
export function renderSubject(template: string, delivery: DeliveryEvent): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    switch (name as Placeholder) {
      case 'type':
        return sanitizeToken(delivery.event.type)
      case 'sourceId':
        return sanitizeToken(delivery.sourceId)
      case 'event':
        return sanitizeToken(eventToken(delivery))
    }
  })
}
