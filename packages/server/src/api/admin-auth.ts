import { timingSafeEqual } from 'node:crypto'

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Extracts and checks an admin token: `Authorization: Bearer <token>`, or `access_token` in
 * the query string for EventSource streams, which cannot set headers. Comparison is
 * constant-time. `tokens()` is read on every call, so a config reload takes effect at once.
 */
export function isAuthorizedAdmin(
  authorization: string | undefined,
  queryToken: string | undefined,
  tokens: () => readonly string[],
): boolean {
  let presented: string | undefined
  if (authorization !== undefined && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    presented = authorization.slice(7).trim()
  } else {
    presented = queryToken
  }
  if (presented === undefined || presented === '') return false
  return tokens().some((token) => sameSecret(token, presented))
}
