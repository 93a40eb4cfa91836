import type { FastifyInstance } from 'fastify'
import type { RetentionRunReport, RetentionService } from '../retention/index.js'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

function reportToJson(report: RetentionRunReport): Record<string, unknown> {
  return {
    ...report,
    startedAt: iso(report.startedAt),
    finishedAt: iso(report.finishedAt),
    oldestEventAt: iso(report.oldestEventAt),
  }
}

/**
 * `GET/PUT /api/v1/retention/policies` (PUT refused with RETENTION_MANAGED when the config
 * file has a `retention` section), `GET /api/v1/retention/status` and `POST
 * /api/v1/retention/run` (runs now, or joins the run in progress, and answers its report).
 */
export function registerRetentionRoutes(app: FastifyInstance, retention: RetentionService): void {
  app.get('/api/v1/retention/policies', () => retention.policies())

  app.put('/api/v1/retention/policies', async (request) => {
    await retention.setPolicies(request.body)
    return retention.policies()
  })

  app.get('/api/v1/retention/status', () => {
    const status = retention.status()
    return {
      ...status,
      lastRun: status.lastRun === null ? null : reportToJson(status.lastRun),
      lastError:
        status.lastError === null ? null : { ...status.lastError, at: iso(status.lastError.at) },
      nextRunAt: iso(status.nextRunAt),
    }
  })

  app.post('/api/v1/retention/run', async () => reportToJson(await retention.runNow()))
}
