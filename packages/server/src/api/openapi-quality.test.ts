import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type { QualityService } from '../quality/index.js'
import { openApiDocument } from './openapi.js'
import { registerQualityRoutes } from './quality-routes.js'

/** Every method and path the quality routes register, in OpenAPI form (`{param}`). */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  })
  await app.register((api, _options, done) => {
    registerQualityRoutes(api, { quality: {} as QualityService, now: () => 0 })
    done()
  })
  await app.ready()
  await app.close()
  return routes.sort()
}

describe('OpenAPI data-quality paths', () => {
  it('documents exactly the quality routes', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/quality/'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((key) => key !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    expect(documented).toEqual(await registeredRoutes())
    expect(documented).toHaveLength(10)
  })
})
