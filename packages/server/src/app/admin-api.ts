import type { FastifyInstance } from 'fastify'
import { isAuthorizedAdmin } from '../api/admin-auth.js'
import {
  registerEventRoutes,
  registerSourceRoutes,
  type AdminRouteDeps,
} from '../api/admin-routes.js'
import { ApiErrors } from '../api/errors.js'
import { registerDestinationRoutes, type DestinationRouteDeps } from '../api/destination-routes.js'
import { registerIdentityRoutes, type IdentityRouteDeps } from '../api/identity-routes.js'
import { registerQualityRoutes } from '../api/quality-routes.js'
import { openApiDocument } from '../api/openapi.js'
import { registerStreamRoutes } from '../api/stream-routes.js'
import type { LogTailer } from '../events/index.js'
import type { QualityService } from '../quality/index.js'
import { AppError, PlatformErrors } from '../platform/errors/index.js'

export interface AdminApiDeps extends AdminRouteDeps {
  adminTokens: () => readonly string[]
  tailer: LogTailer
  identityRoutes: IdentityRouteDeps
  destinationRoutes: DestinationRouteDeps
  quality: QualityService
  onError: (error: unknown, requestId: string) => void
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  const e = error as { code?: string; statusCode?: number; message?: string }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return PlatformErrors.badRequest(e.message, { details: { cause: e.code } })
  }
  return PlatformErrors.internal(undefined, { cause: error })
}

/**
 * The admin API under `/api/v1` (Bearer admin token) and its OpenAPI document at `/api/docs`.
 * Errors are answered in one shape: `{ error: { code, message, details, requestId } }`;
 * unknown failures are a 500 with a generic message, their cause logged.
 */
export async function registerAdminApi(app: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  app.get('/api/docs', () => openApiDocument())
  await app.register((api, _options, done) => {
    api.addHook('onRequest', (request, _reply, next) => {
      const token = (request.query as { access_token?: string } | undefined)?.access_token
      if (!isAuthorizedAdmin(request.headers.authorization, token, deps.adminTokens)) {
        next(ApiErrors.unauthorized())
        return
      }
      next()
    })
    api.setErrorHandler((error, request, reply) => {
      const appError = toAppError(error)
      if (appError.httpStatus >= 500) deps.onError(error, request.id)
      return reply.code(appError.httpStatus).send({
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details ? { details: appError.details } : {}),
          requestId: request.id,
        },
      })
    })
    api.get('/api/v1/whoami', () => ({ role: 'admin' }))
    registerSourceRoutes(api, deps)
    registerEventRoutes(api, deps)
    registerStreamRoutes(api, { tailer: deps.tailer })
    registerIdentityRoutes(api, deps.identityRoutes)
    registerDestinationRoutes(api, deps.destinationRoutes)
    registerQualityRoutes(api, { quality: deps.quality, now: () => deps.clock.now() })
    done()
  })
}
