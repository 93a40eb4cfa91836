import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** The built console: packages/console/dist, next to this package. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url))

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Tessera</title>
<p>The console is not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds first).</p>`

/**
 * Serves the console's static files at `/` and falls back to `index.html` for client-side
 * routes (any GET outside `/api`, `/v1` and the operational endpoints).
 */
export async function registerConsoleRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${CONSOLE_DIST}index.html`)
  if (built) {
    await app.register(fastifyStatic, {
      root: CONSOLE_DIST,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const isApi = /^\/(api|v1)(\/|$)/.test(path)
    if (request.method === 'GET' && !isApi) {
      if (!built) return reply.type('text/html').send(NOT_BUILT)
      return reply.sendFile('index.html')
    }
    return reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: 'No route matches this method and path.',
        requestId: request.id,
      },
    })
  })
}
