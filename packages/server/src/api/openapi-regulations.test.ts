import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type {
  CorrectionService,
  RegulationService,
  RegulationStore,
  RestrictionService,
} from '../regulations/index.js'
import { openApiDocument } from './openapi.js'
import { registerRegulationRoutes } from './regulation-routes.js'
import type { SubjectAccessDeps } from './subject-access-routes.js'

/** Every method and path the regulation routes register, in OpenAPI form (`{param}`). */
async function registeredRoutes(): Promise<string[]> {
  const app = Fastify()
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const path = route.url.startsWith('/api/v1/regulations')
      ? route.url.replace(':id', '{regulateId}')
      : route.url.replace(/:(\w+)/g, '{$1}')
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  })
  registerRegulationRoutes(app, {
    regulations: {} as RegulationService,
    store: {} as RegulationStore,
    restrictions: {} as RestrictionService,
    corrections: {} as CorrectionService,
    catchUp: () => Promise.resolve(),
    access: {} as SubjectAccessDeps,
  })
  await app.ready()
  await app.close()
  return routes.sort()
}

describe('OpenAPI regulation paths', () => {
  it('documents exactly the regulation routes', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> }
    const documented = Object.entries(doc.paths)
      .filter(
        ([path]) =>
          path.includes('/regulations') ||
          path.includes('/suppressions') ||
          path.includes('/subject-access') ||
          path.endsWith('/restriction') ||
          path.endsWith('/profiles/{id}/traits') ||
          path.endsWith('/trait-corrections'),
      )
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((key) => key !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort()
    expect(documented).toEqual(await registeredRoutes())
    expect(documented).toHaveLength(11)
  })
})
