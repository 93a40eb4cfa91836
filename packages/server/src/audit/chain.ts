import { createHash } from 'node:crypto'
import type { AuditEntry } from './model.js'

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/**
 * The canonical text of an entry: a JSON array of its fields in a fixed order, `details`
 * with its keys sorted (recursively), so the same entry always hashes the same way on every
 * store and Node version.
 */
export function canonicalEntry(entry: AuditEntry): string {
  return JSON.stringify([
    entry.id,
    entry.at,
    entry.actor,
    entry.action,
    entry.target.type,
    entry.target.id,
    entry.outcome,
    entry.requestId,
    entry.ip,
    sortKeys(entry.details),
  ])
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  )
}

/** `sha256(prevHash + canonicalEntry(entry))`, hex. */
export function chainHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash + canonicalEntry(entry))
    .digest('hex')
}
