import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type { ConsentHistory, PreferenceService } from '../consent/index.js'
import type { ProfileQuery } from '../identity/index.js'
import { registerConsentRoutes } from './consent-routes.js'
import { openApiDocument } from './openapi.js'

describe('OpenAPI consent paths', () => {
  it('documents exactly the consent and preference routes', async () => {
    const app = Fastify()
    const routes: string[] = []
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      const path = route.url.replace(/:(\w+)/g, '{$1}')
      for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
    })
    await app.register((api, _options, done) => {
      registerConsentRoutes(api, {
        profiles: {} as ProfileQuery,
        consentHistory: {} as ConsentHistory,
        preferences: {} as PreferenceService,
        categories: () => [],
        catchUp: () => Promise.resolve(),
      })
      done()
    })
    await app.ready()
    await app.close()
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      .filter(([path]) => /\/(consent|preferences)$/.test(path))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((key) => key !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    expect(documented).toEqual(routes.sort())
    expect(documented.length).toBeGreaterThan(0)
  })
})
