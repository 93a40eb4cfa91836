import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from './openapi.js'
import { registerQuarantineRoutes, type QuarantineRouteDeps } from './quarantine-routes.js'

describe('OpenAPI: quarantine and violations', () => {
  it('documents every route quarantine-routes.ts registers', async () => {
    const app = Fastify()
    const routes: string[] = []
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      const path = route.url.replace(/:(\w+)/g, '{$1}')
      for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
    })
    await app.register((api, _options, done) => {
      registerQuarantineRoutes(api, {} as QuarantineRouteDeps)
      done()
    })
    await app.ready()
    await app.close()
    const paths = (
      openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> }
    ).paths
    expect(routes.length).toBe(7)
    for (const route of routes) {
      const [method = '', path = ''] = route.split(' ')
      expect(paths[path]?.[method.toLowerCase()], route).toBeDefined()
    }
  })
})
