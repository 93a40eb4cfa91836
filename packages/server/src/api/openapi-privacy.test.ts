import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { createClassifier, type FieldInventoryStore } from '../privacy/index.js'
import { openApiDocument } from './openapi.js'
import { registerPrivacyRoutes } from './privacy-routes.js'

describe('OpenAPI document: privacy routes', () => {
  it('documents every privacy route and no other privacy path', async () => {
    const app = Fastify()
    const routes: string[] = []
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      for (const method of methods) {
        if (method !== 'HEAD') routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`)
      }
    })
    registerPrivacyRoutes(app, {
      inventory: {} as FieldInventoryStore,
      classifier: () => createClassifier(),
      rules: () => [],
      sourceName: () => null,
    })
    await app.ready()
    await app.close()
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/privacy') || path.includes('/schema'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    expect(documented.sort()).toEqual(routes.sort())
  })
})
