/**
 * The built-in `webhook` destination: POSTs (or PUTs) Segment-spec events as JSON to a URL,
 * one per request or in `{"batch":[…]}` bodies, optionally signed. See README.md for the body
 * shapes, headers and the receiver's signature check.
 */
import { createHash } from 'node:crypto'
import type {
  DeletionOutcome,
  DeletionRequest,
  DeliveryContext,
  DeliveryOutcome,
  DestinationDriver,
  DestinationKind,
  DriverDeps,
} from '../driver.js'
import { HttpTransportError, type HttpRequest } from '../http-client.js'
import type { DeliveryEvent, DestinationConfig } from '../model.js'
import { buildExchangeSample } from './exchange-sample.js'
import { outcomeFromResponse, outcomeFromTransportError } from './http-outcome.js'
import { formatSettingsIssues, parseSettings } from './settings-issues.js'
import { SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from './webhook-signature.js'
import {
  WEBHOOK_MAX_BATCH,
  WEBHOOK_SECRETS,
  webhookJsonSchema,
  webhookSettingsSchema,
  type WebhookSettings,
} from './webhook-settings.js'

export { verifyWebhookSignature, signWebhookBody } from './webhook-signature.js'
export { webhookSettingsSchema, type WebhookSettings } from './webhook-settings.js'

/** The event as stored when filters left it untouched (no re-serialization), else serialized. */
function eventJson(event: DeliveryEvent): string {
  return event.json ?? JSON.stringify(event.event)
}

/** `{"batch":[e1,e2,…]}` by concatenating each event's JSON text. */
export function buildBatchBody(events: readonly DeliveryEvent[]): string {
  let body = '{"batch":['
  for (let i = 0; i < events.length; i++) {
    if (i > 0) body += ','
    body += eventJson(events[i] as DeliveryEvent)
  }
  return `${body}]}`
}

/** A batch's idempotency key: hex SHA-256 of its messageIds, in order, newline-separated. */
export function batchIdempotencyKey(events: readonly DeliveryEvent[]): string {
  const hash = createHash('sha256')
  for (const event of events) hash.update(event.messageId).update('\n')
  return hash.digest('hex')
}

/**
 * Delivers to one webhook URL. `deliver` splits the events into requests of `batchSize`,
 * sends them concurrently (the shared HTTP agent bounds connections), and gives every event
 * of a request that request's outcome. Requests are not ordered among themselves; receivers
 * dedupe with `idempotency-key` (deliveries are at least once, a retried batch may differ).
 */
class WebhookDriver implements DestinationDriver {
  readonly #host: string
  readonly #secrets: string[]

  constructor(
    private readonly settings: WebhookSettings,
    private readonly deps: DriverDeps,
  ) {
    this.#host = new URL(settings.url).host
    this.#secrets = settings.secret === undefined ? [] : [settings.secret]
  }

  async deliver(
    events: readonly DeliveryEvent[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]> {
    const size = this.settings.batchSize
    const chunks: DeliveryEvent[][] = []
    for (let i = 0; i < events.length; i += size) chunks.push(events.slice(i, i + size))
    const outcomes = await Promise.all(chunks.map((chunk) => this.#send(chunk, ctx)))
    return chunks.flatMap((chunk, i) => chunk.map(() => outcomes[i] as DeliveryOutcome))
  }

  /** Builds the request for `events`: single mode when `batchSize` is 1, batch mode otherwise. */
  buildRequest(events: readonly DeliveryEvent[], ctx: DeliveryContext): HttpRequest {
    const single = this.settings.batchSize === 1
    const first = events[0] as DeliveryEvent
    const body = single ? eventJson(first) : buildBatchBody(events)
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    for (const [name, value] of Object.entries(this.settings.headers)) {
      headers[name.toLowerCase()] = value
    }
    if (single) {
      headers['x-tessera-message-id'] = first.messageId
      headers['idempotency-key'] = first.messageId
    } else {
      headers['idempotency-key'] = batchIdempotencyKey(events)
    }
    if (this.settings.secret !== undefined) {
      const timestamp = Math.floor(this.deps.clock.now() / 1000)
      headers[TIMESTAMP_HEADER] = String(timestamp)
      headers[SIGNATURE_HEADER] = `v1=${signWebhookBody(this.settings.secret, timestamp, body)}`
    }
    return {
      method: this.settings.method,
      url: this.settings.url,
      headers,
      body,
      timeoutMs: this.settings.timeoutMs ?? ctx.timeoutMs,
      signal: ctx.signal,
    }
  }

  async #send(events: readonly DeliveryEvent[], ctx: DeliveryContext): Promise<DeliveryOutcome> {
    const request = this.buildRequest(events, ctx)
    try {
      const response = await this.deps.http.send(request)
      return outcomeFromResponse(response, this.#host, {
        now: this.deps.clock.now(),
        sample: () => buildExchangeSample(request, response, this.#secrets),
      })
    } catch (error) {
      // The port rejects only with HttpTransportError; anything else is a bug, rethrown.
      if (!(error instanceof HttpTransportError)) throw error
      return outcomeFromTransportError(error, buildExchangeSample(request, null, this.#secrets))
    }
  }

  /**
   * POSTs a Segment-style delete call, `{"type":"delete","userId",…}`, signed like events,
   * with the regulation id as `messageId` and idempotency key. 2xx is success; anything else
   * fails (the regulation runner retries).
   */
  async deleteSubject(request: DeletionRequest, ctx: DeliveryContext): Promise<DeletionOutcome> {
    const body = JSON.stringify({
      type: 'delete',
      messageId: request.regulationId,
      userId: request.userIds[0] ?? null,
      anonymousId: request.anonymousIds[0] ?? null,
      userIds: request.userIds,
      anonymousIds: request.anonymousIds,
      identifiers: request.identifiers,
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      context: { regulationId: request.regulationId },
    })
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-tessera-message-id': request.regulationId,
      'idempotency-key': request.regulationId,
    }
    for (const [name, value] of Object.entries(this.settings.headers)) {
      headers[name.toLowerCase()] = value
    }
    if (this.settings.secret !== undefined) {
      const timestamp = Math.floor(this.deps.clock.now() / 1000)
      headers[TIMESTAMP_HEADER] = String(timestamp)
      headers[SIGNATURE_HEADER] = `v1=${signWebhookBody(this.settings.secret, timestamp, body)}`
    }
    const http: HttpRequest = {
      method: 'POST',
      url: this.settings.url,
      headers,
      body,
      timeoutMs: this.settings.timeoutMs ?? ctx.timeoutMs,
      signal: ctx.signal,
    }
    try {
      const response = await this.deps.http.send(http)
      if (response.status >= 200 && response.status < 300) return { status: 'deleted' }
      return {
        status: 'failed',
        error: {
          code: `HTTP_${response.status}`,
          message: `the webhook answered ${response.status}`,
          httpStatus: response.status,
        },
      }
    } catch (error) {
      if (!(error instanceof HttpTransportError)) throw error
      return { status: 'failed', error: { code: error.code, message: error.message } }
    }
  }

  close(): Promise<void> {
    // Connections belong to the shared HttpClient.
    return Promise.resolve()
  }
}

/** The `webhook` destination type. */
export function createWebhookKind(): DestinationKind {
  return {
    type: 'webhook',
    title: 'Webhook',
    description: 'Sends events as JSON to an HTTP endpoint, one per request or in batches.',
    settings: {
      schema: webhookSettingsSchema,
      jsonSchema: webhookJsonSchema,
      secrets: WEBHOOK_SECRETS,
    },
    maxBatchSize: WEBHOOK_MAX_BATCH,
    usesSubscriptions: false,
    supportsDeletion: true,
    validate(config: DestinationConfig): Promise<string[]> {
      const parsed = webhookSettingsSchema.safeParse(config.settings)
      return Promise.resolve(parsed.success ? [] : formatSettingsIssues(parsed.error))
    },
    create(config: DestinationConfig, deps: DriverDeps): Promise<DestinationDriver> {
      // Inside the executor, so invalid settings reject instead of throwing synchronously.
      return new Promise((resolve) => {
        const settings = parseSettings(webhookSettingsSchema, config.settings, 'webhook')
        resolve(new WebhookDriver(settings, deps))
      })
    },
  }
}
