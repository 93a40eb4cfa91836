/**
 * The subset of the `nats` client the destination uses, declared locally (Kysely's
 * `PostgresPool` style) so the driver depends on a small interface; `connectNats` is the one
 * place that calls the library.
 */
import { connect } from 'nats'

export interface NatsPubAck {
  stream: string
  seq: number
  /** True when the stream already had this `msgID` within its duplicate window. */
  duplicate: boolean
}

export interface NatsJetStream {
  publish(
    subject: string,
    data: Uint8Array,
    options: { msgID: string; timeout: number },
  ): Promise<NatsPubAck>
}

export interface NatsStreams {
  info(name: string): Promise<{ config: { subjects?: string[] } }>
  add(config: { name: string; subjects: string[] }): Promise<unknown>
  update(name: string, config: { subjects: string[] }): Promise<unknown>
  delete(name: string): Promise<boolean>
}

export interface NatsConnection {
  jetstream(): NatsJetStream
  jetstreamManager(): Promise<{ streams: NatsStreams }>
  /** Resolves when the connection closes for good, with the error that closed it, if any. */
  closed(): Promise<void | Error>
  isClosed(): boolean
  drain(): Promise<void>
}

export interface NatsConnectOptions {
  servers: string | string[]
  name: string
  user?: string
  pass?: string
  token?: string
  /** Connect timeout, ms. */
  timeout: number
}

/**
 * Opens a connection. It reconnects on its own after a disconnect, indefinitely (publishes in
 * the meantime time out); only the first connect fails fast (e.g. `CONNECTION_REFUSED`).
 */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  return connect({ ...options, maxReconnectAttempts: -1 })
}
