import type { FastifyInstance } from 'fastify'
import type { Registry } from '../platform/metrics/index.js'

/**
 * `/health` (the process is up), `/ready` (the store answers; 503 otherwise, and while
 * shutting down) and `/metrics` (Prometheus text format).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { ping: () => Promise<void>; registry: Registry; isStopping: () => boolean },
): void {
  app.get('/health', () => ({ status: 'ok' }))
  app.get('/ready', async (_request, reply) => {
    if (deps.isStopping()) return reply.code(503).send({ status: 'stopping' })
    try {
      await deps.ping()
      return { status: 'ready' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'store not reachable' })
    }
  })
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.registry.metrics()
    return reply.type(deps.registry.contentType).send(body)
  })
}
