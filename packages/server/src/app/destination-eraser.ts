import type { DestinationService, HttpClient, KindResolver } from '../destinations/index.js'
import type { Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import { valuesOfType, type DestinationEraser } from '../regulations/index.js'

/** How long a forwarded deletion may take per destination. */
const DELETE_TIMEOUT_MS = 30_000

/**
 * Forwards data-subject deletions to destinations: the enabled destinations whose kind
 * declares `supportsDeletion` get `deleteSubject` on a driver built for the call (then closed),
 * in the main process, apart from the delivery engine's lanes. Others are listed unsupported.
 */
export function createDestinationEraser(deps: {
  service: DestinationService
  kinds: KindResolver
  http: HttpClient
  logger: Logger
  clock: Clock
}): DestinationEraser {
  return {
    async list() {
      const out = []
      for (const config of await deps.service.configs()) {
        if (!config.enabled) continue
        const kind = await deps.kinds(config.type)
        out.push({
          id: config.id,
          name: config.name,
          supportsDeletion: kind?.supportsDeletion === true,
        })
      }
      return out
    },
    async erase(destinationId, { regulationId, subject }) {
      const config = (await deps.service.configs()).find((c) => c.id === destinationId)
      if (!config) throw new Error(`destination '${destinationId}' no longer exists`)
      const kind = await deps.kinds(config.type)
      if (!kind) throw new Error(`unknown destination type '${config.type}'`)
      const driver = await kind.create(config, {
        http: deps.http,
        logger: deps.logger,
        clock: deps.clock,
      })
      try {
        if (!driver.deleteSubject) throw new Error('the destination does not support deletion')
        const outcome = await driver.deleteSubject(
          {
            regulationId,
            userIds: valuesOfType(subject, 'user_id'),
            anonymousIds: valuesOfType(subject, 'anonymous_id'),
            identifiers: subject.identifiers,
          },
          {
            attempt: 1,
            signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
            timeoutMs: DELETE_TIMEOUT_MS,
          },
        )
        if (outcome.status === 'failed') {
          throw new Error(`${outcome.error.code}: ${outcome.error.message}`)
        }
        return outcome.removed ?? { requests: 1 }
      } finally {
        await driver.close()
      }
    },
  }
}
