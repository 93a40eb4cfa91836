/**
 * The event tester: sends one event to a destination (stored or unsaved) and reports every
 * request it made with its answer, and the outcome. Destination filters do not apply (as in
 * Segment's tester); the routing decision is reported beside it.
 */
import {
  createRouter,
  integrationNames,
  type DestinationConfig,
  type DestinationKind,
  type DeliveryOutcome,
  type ExchangeSample,
  type HttpClient,
} from '../destinations/index.js'
import type { Clock } from '../platform/clock.js'
import type { Logger } from '../platform/logger/index.js'
import { newMessageId } from '../platform/ids.js'
import type { SegmentEvent } from '../protocol/index.js'

export interface TestResult {
  outcome: DeliveryOutcome
  /** What routing would do with the event (filters, integrations, source). */
  routing: { kept: true } | { kept: false; reason: string }
  exchanges: ExchangeSample[]
  durationMs: number
}

const BODY_CHARS = 8_192

/** An {@link HttpClient} that records every exchange it passes on. */
function recording(http: HttpClient, exchanges: ExchangeSample[]): HttpClient {
  return {
    async send(request) {
      const body =
        request.body === undefined
          ? ''
          : typeof request.body === 'string'
            ? request.body
            : Buffer.from(request.body).toString('utf8')
      const sample: ExchangeSample = {
        request: {
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: body.slice(0, BODY_CHARS),
        },
        response: null,
      }
      exchanges.push(sample)
      const response = await http.send(request)
      sample.response = { ...response, body: response.body.slice(0, BODY_CHARS) }
      return response
    },
  }
}

export async function testDestination(options: {
  config: DestinationConfig
  kind: DestinationKind
  event: Record<string, unknown>
  http: HttpClient
  logger: Logger
  clock: Clock
  /** Secret setting values, masked in the recorded exchanges. */
  secrets: string[]
}): Promise<TestResult> {
  const { config, kind, clock } = options
  const now = clock.now()
  const event = {
    type: 'track',
    messageId: newMessageId(),
    timestamp: new Date(now).toISOString(),
    receivedAt: new Date(now).toISOString(),
    ...options.event,
  } as unknown as SegmentEvent
  const json = JSON.stringify(event)
  const queued = {
    seq: 0,
    messageId: event.messageId,
    sourceId: config.sourceIds?.[0] ?? 'test',
    receivedAt: now,
    payload: json,
  }
  const decision = createRouter(config, integrationNames(config, kind)).route(queued)
  const exchanges: ExchangeSample[] = []
  const driver = await kind.create(config, {
    http: recording(options.http, exchanges),
    logger: options.logger,
    clock,
  })
  const started = clock.now()
  try {
    const [outcome] = await driver.deliver(
      [
        {
          seq: 0,
          messageId: event.messageId,
          sourceId: queued.sourceId,
          receivedAt: now,
          event,
          json,
        },
      ],
      { attempt: 1, signal: new AbortController().signal, timeoutMs: config.delivery.timeoutMs },
    )
    return {
      outcome: outcome ?? { status: 'skipped', reason: 'no outcome' },
      routing: 'kept' in decision ? { kept: true } : { kept: false, reason: decision.filtered },
      exchanges: exchanges.map((x) => mask(x, options.secrets)),
      durationMs: clock.now() - started,
    }
  } finally {
    await driver.close()
  }
}

function mask(sample: ExchangeSample, secrets: string[]): ExchangeSample {
  const hide = (text: string): string =>
    secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text)
  const headers = (h: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(h).map(([k, v]) => [
        k,
        /authorization|signature|secret|token|api[-_]?key|password/i.test(k) ? '***' : hide(v),
      ]),
    )
  return {
    request: {
      ...sample.request,
      url: hide(sample.request.url),
      headers: headers(sample.request.headers),
      body: hide(sample.request.body),
    },
    response: sample.response
      ? {
          ...sample.response,
          headers: headers(sample.response.headers),
          body: hide(sample.response.body),
        }
      : null,
  }
}
