import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/**
 * Who made an admin request, for audit entries and plan revisions: `admin:<8 hex>`, a
 * fingerprint of the admin token (never the token itself), optionally followed by the name a
 * client gives in `X-Tessera-Actor` (`admin:1a2b3c4d/alice@example.com`, at most 100
 * characters). Unauthenticated requests never reach the routes that call it.
 */
export function requestActor(request: FastifyRequest): string {
  const authorization = request.headers.authorization
  const query = request.query as { access_token?: unknown } | undefined
  const token =
    authorization !== undefined && authorization.slice(0, 7).toLowerCase() === 'bearer '
      ? authorization.slice(7).trim()
      : typeof query?.access_token === 'string'
        ? query.access_token
        : ''
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 8)
  const named = request.headers['x-tessera-actor']
  const name = typeof named === 'string' ? named.trim().slice(0, 100) : ''
  return name === '' ? `admin:${fingerprint}` : `admin:${fingerprint}/${name}`
}
