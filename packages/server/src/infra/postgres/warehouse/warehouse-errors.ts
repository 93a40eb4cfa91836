/**
 * How a PostgreSQL or network error affects a load. Pure. Codes of the outcomes
 * (`DeliveryError.code`) are stable:
 * - `WAREHOUSE_UNAVAILABLE`: no connection (refused, reset, DNS, server shutting down) → retry;
 * - `WAREHOUSE_TIMEOUT`: statement, lock or connect timeout → retry;
 * - `WAREHOUSE_BUSY`: serialization failure, deadlock, out of resources → retry;
 * - `WAREHOUSE_ACCESS`: authentication, missing database or privilege → retry (an operator
 *   fixes it; the engine's retry horizon bounds the wait);
 * - `WAREHOUSE_STALE_SCHEMA`: a table or column we knew of is gone → reload the catalog, retry;
 * - `WAREHOUSE_DATA_ERROR`: a row the database refuses (constraint, value) → isolate the row;
 * - `WAREHOUSE_STOPPED`: the engine stopped while rows were being isolated → retry.
 */

export const WAREHOUSE_ERROR_CODES = [
  'WAREHOUSE_UNAVAILABLE',
  'WAREHOUSE_TIMEOUT',
  'WAREHOUSE_BUSY',
  'WAREHOUSE_ACCESS',
  'WAREHOUSE_STALE_SCHEMA',
  'WAREHOUSE_DATA_ERROR',
  'WAREHOUSE_STOPPED',
] as const
export type WarehouseErrorCode = (typeof WAREHOUSE_ERROR_CODES)[number]

/** A classified error: what to tell the engine, and the database's own code when it has one. */
export interface WarehouseError {
  code: WarehouseErrorCode
  message: string
  /** The SQLSTATE or the Node error code (`ECONNREFUSED`), when known. */
  cause: string | undefined
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** SQLSTATEs (or their two-character classes) by the outcome they give; data errors otherwise. */
const SQLSTATE_RULES: ReadonlyArray<[WarehouseErrorCode, ReadonlySet<string>]> = [
  ['WAREHOUSE_STALE_SCHEMA', new Set(['42703', '42P01', '3F000'])],
  ['WAREHOUSE_TIMEOUT', new Set(['57014', '55P03'])],
  ['WAREHOUSE_UNAVAILABLE', new Set(['08', '57P01', '57P02', '57P03'])],
  ['WAREHOUSE_ACCESS', new Set(['28', '3D000', '42501'])],
  ['WAREHOUSE_BUSY', new Set(['40', '53', '54', '58', 'XX'])],
]

function classifySqlState(state: string): WarehouseErrorCode {
  const group = state.slice(0, 2)
  for (const [code, states] of SQLSTATE_RULES) {
    if (states.has(state) || states.has(group)) return code
  }
  return 'WAREHOUSE_DATA_ERROR'
}

/** Classifies what a query or connection threw. Errors with no code are taken as transport. */
export function classifyWarehouseError(error: unknown): WarehouseError {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !NETWORK_CODES.has(code)) {
    return { code: classifySqlState(code), message, cause: code }
  }
  const cause = typeof code === 'string' ? code : undefined
  if (cause === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return { code: 'WAREHOUSE_TIMEOUT', message, cause }
  }
  return { code: 'WAREHOUSE_UNAVAILABLE', message, cause }
}

/** True when the error is about the rows rather than the connection or the schema. */
export function isDataError(error: WarehouseError): boolean {
  return error.code === 'WAREHOUSE_DATA_ERROR'
}
