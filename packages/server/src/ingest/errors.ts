import { defineError } from '../platform/errors/index.js'

/** Request-level failures of the tracking API. */
export const IngestErrors = {
  invalidJson: defineError('INGEST_INVALID_JSON', 'The request body is not valid JSON.', 400),
  invalidBatch: defineError(
    'INGEST_INVALID_BATCH',
    'The body must be an object with a `batch` array.',
    400,
  ),
  tooManyEvents: defineError(
    'INGEST_TOO_MANY_EVENTS',
    'A batch may hold at most 2,500 events.',
    400,
  ),
  expandedBatchTooLarge: defineError(
    'INGEST_EXPANDED_BATCH_TOO_LARGE',
    'With the batch-level context and integrations merged into each event, the events of this batch would take more than 16 MB.',
    413,
  ),
  eventTooLarge: defineError('INGEST_EVENT_TOO_LARGE', 'A single event may be at most 32 KB.', 400),
  payloadTooLarge: defineError(
    'INGEST_PAYLOAD_TOO_LARGE',
    'A batch request may be at most 500 KB.',
    413,
  ),
  unsupportedEncoding: defineError(
    'INGEST_UNSUPPORTED_ENCODING',
    'Content-Encoding must be gzip, deflate or absent.',
    415,
  ),
  badEncoding: defineError(
    'INGEST_BAD_ENCODING',
    'The compressed body cannot be decompressed.',
    400,
  ),
  missingWriteKey: defineError(
    'INGEST_MISSING_WRITE_KEY',
    'Send the write key as the Basic auth username or as `writeKey` in the body.',
    401,
  ),
  unknownWriteKey: defineError('INGEST_UNKNOWN_WRITE_KEY', 'The write key is not valid.', 401),
  originNotAllowed: defineError(
    'INGEST_ORIGIN_NOT_ALLOWED',
    'This origin may not send events to this source.',
    403,
  ),
  unknownRoute: defineError(
    'INGEST_UNKNOWN_ROUTE',
    'There is no tracking route with this name.',
    404,
  ),
  rateLimited: defineError('INGEST_RATE_LIMITED', 'Too many requests for this source.', 429),
  shuttingDown: defineError(
    'INGEST_SHUTTING_DOWN',
    'The server is shutting down; nothing was stored, retry against another instance or later.',
    503,
  ),
  unavailable: defineError(
    'INGEST_UNAVAILABLE',
    'The event store is not available; nothing was stored, retry later.',
    503,
  ),
} as const
