import { defineError } from '../platform/errors/index.js'

export const SourcesErrors = {
  notFound: defineError('SOURCES_NOT_FOUND', 'No source has this id.', 404),
  managed: defineError(
    'SOURCES_MANAGED',
    'This source is defined in the config file and is read-only through the API.',
    409,
  ),
  idTaken: defineError('SOURCES_ID_TAKEN', 'A source with this id already exists.', 409),
  writeKeyTaken: defineError('SOURCES_WRITE_KEY_TAKEN', 'This write key is already in use.', 409),
} as const
