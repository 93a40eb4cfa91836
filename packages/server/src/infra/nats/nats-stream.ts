/** Ensures the JetStream stream a NATS destination publishes into. */
import type { NatsStreams } from './nats-client.js'

/** JetStream's error code for "stream not found". */
const STREAM_NOT_FOUND = 10059

function isStreamNotFound(error: unknown): boolean {
  const api = (error as { api_error?: { err_code?: unknown } } | null)?.api_error
  return api?.err_code === STREAM_NOT_FOUND
}

/**
 * Makes sure stream `name` captures `filter`: creates it (file storage, JetStream's defaults,
 * including the 2-minute duplicate window) when missing, or adds `filter` to its subjects
 * when it exists without it. Idempotent. Overlapping filters are the server's to refuse
 * (the call then rejects and delivery retries).
 */
export async function ensureStream(
  streams: NatsStreams,
  name: string,
  filter: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  let subjects: string[]
  try {
    subjects = (await streams.info(name)).config.subjects ?? []
  } catch (error) {
    if (!isStreamNotFound(error)) throw error
    await streams.add({ name, subjects: [filter] })
    return 'created'
  }
  if (subjects.includes(filter)) return 'unchanged'
  await streams.update(name, { subjects: [...subjects, filter] })
  return 'updated'
}
