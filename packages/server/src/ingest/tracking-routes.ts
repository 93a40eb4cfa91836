import type { FastifyInstance } from 'fastify'

const CORS_HEADERS = 'Content-Type, Authorization, Content-Encoding, X-Retry-Count'

/**
 * CORS preflight for the tracking API (`OPTIONS /v1/*`). Browsers rarely send one (analytics.js
 * posts `text/plain` to avoid it), but a page that sets `Authorization` or JSON does. The
 * origin is echoed here; the POST itself is refused with 403 when the source does not allow
 * the origin. The POST routes are served by {@link createRawTrackingHandler}.
 */
export function registerTrackingPreflight(app: FastifyInstance): void {
  app.options('/v1/*', (request, reply) => {
    const origin = request.headers.origin
    if (origin !== undefined) {
      reply.header('access-control-allow-origin', origin)
      reply.header('access-control-allow-credentials', 'true')
      reply.header('vary', 'Origin')
    }
    reply.header('access-control-allow-methods', 'POST, OPTIONS')
    reply.header('access-control-allow-headers', CORS_HEADERS)
    reply.header('access-control-max-age', '86400')
    return reply.code(204).send()
  })
}
