import { defineError } from '../platform/errors/index.js'

/** Why one event was refused. Each is a 400 on single-event routes and a rejection in a batch. */
export const EventErrors = {
  notObject: defineError('EVENT_NOT_OBJECT', 'The event must be a JSON object.', 400),
  unknownType: defineError(
    'EVENT_UNKNOWN_TYPE',
    'The event type must be one of identify, track, page, screen, group, alias.',
    400,
  ),
  missingIdentity: defineError(
    'EVENT_MISSING_IDENTITY',
    'The event needs a userId or an anonymousId.',
    400,
  ),
  missingEventName: defineError('EVENT_MISSING_NAME', 'A track event needs a string `event`.', 400),
  missingGroupId: defineError('EVENT_MISSING_GROUP_ID', 'A group event needs a `groupId`.', 400),
  missingPreviousId: defineError(
    'EVENT_MISSING_PREVIOUS_ID',
    'An alias event needs a `userId` and a `previousId`.',
    400,
  ),
  invalidField: defineError('EVENT_INVALID_FIELD', 'A field of the event has the wrong type.', 400),
  invalidTimestamp: defineError(
    'EVENT_INVALID_TIMESTAMP',
    'A timestamp of the event is not a valid ISO-8601 date.',
    400,
  ),
  invalidMessageId: defineError(
    'EVENT_INVALID_MESSAGE_ID',
    'The messageId must be a string of at most 100 characters.',
    400,
  ),
  tooLarge: defineError('EVENT_TOO_LARGE', 'The event is larger than 32 KB.', 400),
  tooDeep: defineError('EVENT_TOO_DEEP', 'The event is nested more than 64 levels deep.', 400),
} as const
