import type { FastifyInstance } from 'fastify'
import { isAuthorizedAdmin } from '../api/admin-auth.js'
import {
  registerEventRoutes,
  registerSourceRoutes,
  type AdminRouteDeps,
} from '../api/admin-routes.js'
import { registerAdminAuditHooks, type AuditHooks } from '../api/audit-hooks.js'
import { registerAuditRoutes, type AuditRouteDeps } from '../api/audit-routes.js'
import { ApiErrors } from '../api/errors.js'
import { registerConsentRoutes, type ConsentRouteDeps } from '../api/consent-routes.js'
import { registerDestinationRoutes, type DestinationRouteDeps } from '../api/destination-routes.js'
import { registerIdentityRoutes, type IdentityRouteDeps } from '../api/identity-routes.js'
import { registerRegulationRoutes, type RegulationRouteDeps } from '../api/regulation-routes.js'
import { registerQualityRoutes } from '../api/quality-routes.js'
import { openApiDocument } from '../api/openapi.js'
import { registerQuarantineRoutes, type QuarantineRouteDeps } from '../api/quarantine-routes.js'
import { registerPrivacyRoutes, type PrivacyRouteDeps } from '../api/privacy-routes.js'
import { registerRetentionRoutes } from '../api/retention-routes.js'
import { registerStreamRoutes } from '../api/stream-routes.js'
import {
  registerTrackingPlanRoutes,
  type TrackingPlanRouteDeps,
} from '../api/tracking-plan-routes.js'
import type { LogTailer } from '../events/index.js'
import type { Clock } from '../platform/clock.js'
import type { QualityService } from '../quality/index.js'
import { AppError, PlatformErrors } from '../platform/errors/index.js'
import type { RetentionService } from '../retention/index.js'

export interface AdminApiDeps extends AdminRouteDeps {
  adminTokens: () => readonly string[]
  tailer: LogTailer
  identityRoutes: IdentityRouteDeps
  destinationRoutes: DestinationRouteDeps
  trackingPlanRoutes: TrackingPlanRouteDeps
  quarantineRoutes: QuarantineRouteDeps
  /** Privacy routes (inventory, matchers, classify, observed schema); absent: not served. */
  privacyRoutes?: PrivacyRouteDeps
  regulationRoutes: RegulationRouteDeps
  consentRoutes: ConsentRouteDeps
  /** The audit log: hooks record every change and personal-data read; routes query it. */
  audit: AuditRouteDeps & { clock: Clock }
  retention: RetentionService
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
export async function registerAdminApi(
  app: FastifyInstance,
  deps: AdminApiDeps,
): Promise<AuditHooks> {
  app.get('/api/docs', () => openApiDocument())
  let hooks: AuditHooks | null = null
  await app.register((api, _options, done) => {
    // Every request of this scope, routes registered later included (see api/audit-hooks.ts).
    hooks = registerAdminAuditHooks(api, deps.audit)
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
    registerTrackingPlanRoutes(api, deps.trackingPlanRoutes)
    registerQuarantineRoutes(api, deps.quarantineRoutes)
    if (deps.privacyRoutes) registerPrivacyRoutes(api, deps.privacyRoutes)
    registerRegulationRoutes(api, deps.regulationRoutes)
    registerConsentRoutes(api, deps.consentRoutes)
    registerAuditRoutes(api, deps.audit)
    registerRetentionRoutes(api, deps.retention)
    registerQualityRoutes(api, { quality: deps.quality, now: () => deps.clock.now() })
    done()
  })
  if (hooks === null) throw new Error('admin API scope was not registered')
  return hooks
}
