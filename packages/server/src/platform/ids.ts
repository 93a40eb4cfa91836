import { randomBytes, randomUUID } from 'node:crypto'

/** A prefixed random id such as `src_8f3k2...` for internal objects. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`
}

/** A write key: 32 url-safe characters, unguessable. */
export function newWriteKey(): string {
  return randomBytes(24).toString('base64url')
}

/** A secret token (admin tokens). */
export function newToken(): string {
  return `tsk_${randomBytes(24).toString('base64url')}`
}

/** A message id in the shape Segment's HTTP API assigns when a client sends none. */
export function newMessageId(): string {
  return `api-${randomUUID()}`
}
