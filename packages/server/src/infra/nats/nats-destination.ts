/**
 * The built-in `nats` destination: publishes each event's JSON to a NATS JetStream subject,
 * with the event's `messageId` as JetStream `msgID`, so the stream's duplicate window drops
 * replays of an event published shortly before.
 */
import type {
  DeliveryContext,
  DeliveryOutcome,
  DestinationDriver,
  DestinationKind,
  DriverDeps,
} from '../../destinations/driver.js'
import type { DeliveryEvent, DestinationConfig } from '../../destinations/model.js'
import type { Logger } from '../../platform/logger/index.js'
import { formatSettingsIssues, parseSettings } from '../../destinations/builtin/settings-issues.js'
import { connectNats, type NatsConnection, type NatsConnectOptions } from './nats-client.js'
import { describeNatsError, natsFailureOutcome } from './nats-outcome.js'
import {
  NATS_SECRETS,
  natsJsonSchema,
  natsSettingsSchema,
  type NatsSettings,
} from './nats-settings.js'
import { ensureStream } from './nats-stream.js'
import { renderSubject, streamFilter } from './nats-subject.js'

export { natsSettingsSchema, type NatsSettings } from './nats-settings.js'

const encoder = new TextEncoder()

/**
 * One destination's publisher. One connection, opened on the first `deliver` and reused by
 * every later one (reopened if it closed for good); a failed connect or stream setup (refused,
 * bad credentials, conflicting stream) gives every event of that call a retry outcome. A batch is published concurrently, then all acks
 * are awaited; each event gets its own outcome (JetStream may store them out of seq order).
 */
class NatsDriver implements DestinationDriver {
  #connection: Promise<NatsConnection> | undefined
  #closed = false

  constructor(
    private readonly settings: NatsSettings,
    private readonly connectOptions: NatsConnectOptions,
    private readonly logger: Logger,
  ) {}

  async deliver(
    events: readonly DeliveryEvent[],
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome[]> {
    if (this.#closed || ctx.signal.aborted) {
      const code = this.#closed ? 'CLIENT_CLOSED' : 'ABORTED'
      return events.map(() => ({ status: 'retry', error: { code, message: `delivery ${code}` } }))
    }
    let connection: NatsConnection
    try {
      connection = await this.#connect()
    } catch (error) {
      // Not about these events (server down, credentials, stream setup): always retried, so
      // fixing the setup lets them through; the retry horizon bounds it.
      const outcome: DeliveryOutcome = { status: 'retry', error: describeNatsError(error).error }
      return events.map(() => outcome)
    }
    const js = connection.jetstream()
    const timeout = this.settings.timeoutMs ?? ctx.timeoutMs
    const acks = await Promise.allSettled(
      events.map((event) =>
        js.publish(
          renderSubject(this.settings.subject, event),
          encoder.encode(event.json ?? JSON.stringify(event.event)),
          { msgID: event.messageId, timeout },
        ),
      ),
    )
    return acks.map((ack) =>
      ack.status === 'fulfilled' ? { status: 'delivered' } : natsFailureOutcome(ack.reason),
    )
  }

  /** The open connection; connects (and ensures the stream) when there is none or it closed. */
  async #connect(): Promise<NatsConnection> {
    this.#connection ??= this.#open()
    const pending = this.#connection
    try {
      const connection = await pending
      if (!connection.isClosed()) return connection
    } catch (error) {
      if (this.#connection === pending) this.#connection = undefined
      throw error
    }
    // Closed for good (e.g. credentials revoked): open a new one.
    if (this.#connection === pending) this.#connection = undefined
    this.#connection ??= this.#open()
    return this.#connection
  }

  async #open(): Promise<NatsConnection> {
    const connection = await connectNats(this.connectOptions)
    void connection.closed().then((error) => {
      if (error) {
        this.logger.warn(
          { err: error, name: this.connectOptions.name },
          'nats destination connection closed',
        )
      }
    })
    const filter = streamFilter(this.settings.subject)
    if (this.settings.stream === undefined || filter === null) return connection
    try {
      const { streams } = await connection.jetstreamManager()
      const change = await ensureStream(streams, this.settings.stream, filter)
      if (change !== 'unchanged') {
        this.logger.info(
          { stream: this.settings.stream, filter, change },
          'nats destination stream',
        )
      }
      return connection
    } catch (error) {
      await connection.drain().catch(() => undefined)
      throw error
    }
  }

  /** Drains the connection (publishes in flight complete). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    const connection = await this.#connection?.catch(() => undefined)
    this.#connection = undefined
    if (connection !== undefined && !connection.isClosed()) await connection.drain()
  }
}

function connectOptions(config: DestinationConfig, settings: NatsSettings): NatsConnectOptions {
  return {
    servers: settings.servers,
    name: `tessera-destination-${config.id}`,
    timeout: settings.timeoutMs ?? config.delivery.timeoutMs,
    ...(settings.user === undefined ? {} : { user: settings.user }),
    ...(settings.password === undefined ? {} : { pass: settings.password }),
    ...(settings.token === undefined ? {} : { token: settings.token }),
  }
}

/** The `nats` destination type (JetStream publish, one event per message). */
export function createNatsKind(): DestinationKind {
  return {
    type: 'nats',
    title: 'NATS JetStream',
    description:
      'Publishes each event as JSON to a NATS JetStream subject, deduplicated by messageId.',
    settings: { schema: natsSettingsSchema, jsonSchema: natsJsonSchema, secrets: NATS_SECRETS },
    maxBatchSize: 1_000,
    usesSubscriptions: false,
    validate(config: DestinationConfig): Promise<string[]> {
      const parsed = natsSettingsSchema.safeParse(config.settings)
      return Promise.resolve(parsed.success ? [] : formatSettingsIssues(parsed.error))
    },
    create(config: DestinationConfig, deps: DriverDeps): Promise<DestinationDriver> {
      // Inside the executor, so invalid settings reject instead of throwing synchronously.
      return new Promise((resolve) => {
        const settings = parseSettings(natsSettingsSchema, config.settings, 'nats')
        resolve(new NatsDriver(settings, connectOptions(config, settings), deps.logger))
      })
    },
  }
}
