import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type { IdentityService, ProfileQuery } from '../identity/index.js'
import { registerIdentityRoutes } from './identity-routes.js'
import { openApiDocument } from './openapi.js'
import { PROFILE_API_ENDPOINTS, registerProfileApi } from './profile-api-routes.js'

/** Every method and path the identity routes register, in OpenAPI form (`{param}`). */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  })
  const profiles = {} as ProfileQuery
  await registerProfileApi(app, {
    profiles,
    spaceId: () => null,
    tokens: () => [],
    onError: () => undefined,
  })
  await app.register((api, _options, done) => {
    registerIdentityRoutes(api, {
      profiles,
      identity: {} as IdentityService,
      catchUp: () => Promise.resolve(),
    })
    done()
  })
  await app.ready()
  await app.close()
  // The Profile API is one wildcard route dispatching on the last path segment.
  const wildcard = 'GET /v1/spaces/{spaceId}/collections/{collection}/profiles/*'
  expect(routes).toContain(wildcard)
  const endpoints = Object.keys(PROFILE_API_ENDPOINTS).map(
    (name) => `GET /v1/spaces/{spaceId}/collections/{collection}/profiles/{externalId}/${name}`,
  )
  return [...routes.filter((route) => route !== wildcard), ...endpoints].sort()
}

describe('OpenAPI identity paths', () => {
  it('documents exactly the identity and Profile API routes', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      // Restriction and trait-correction routes belong to regulations
      // (openapi-regulations.test.ts).
      .filter(([path]) => path.includes('/profiles') || path.includes('/identity/'))
      .filter(
        ([path]) =>
          !/\/api\/v1\/profiles\/\{id\}\/(restriction|traits|trait-corrections)$/.test(path),
      )
      // Consent and preferences of a profile are the consent routes' (openapi-consent.test.ts).
      .filter(([path]) => path.includes('/profiles') || path.includes('/identity/'))
      .filter(([path]) => !/\/(consent|preferences)$/.test(path))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((key) => key !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    expect(documented).toEqual(await registeredRoutes())
    expect(documented).toHaveLength(16)
  })

  it('declares the Profile API security scheme its operations use', () => {
    const doc = openApiDocument() as {
      components: { securitySchemes: Record<string, { scheme: string }> }
    }
    expect(doc.components.securitySchemes.profileApiToken?.scheme).toBe('basic')
  })
})
