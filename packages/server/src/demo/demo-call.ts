import type {
  AliasParams,
  GroupParams,
  IdentifyParams,
  PageParams,
  TrackParams,
} from '@segment/analytics-node'

/**
 * One call the demo makes on `@segment/analytics-node`, as plain JSON-safe data: the method
 * (`type`) and the params object passed to it. `params.timestamp` is an ISO-8601 string.
 */
export type DemoCall =
  | { type: 'identify'; params: IdentifyParams }
  | { type: 'track'; params: TrackParams }
  | { type: 'page'; params: PageParams }
  | { type: 'screen'; params: PageParams }
  | { type: 'group'; params: GroupParams }
  | { type: 'alias'; params: AliasParams }

/** The `context` object of a call. */
export type DemoContext = NonNullable<TrackParams['context']>
