/**
 * The parts of Segment's `@segment/actions-core` runtime the catalog uses, declared as narrow
 * local interfaces (the package's own typings pull in `json-schema` and do not resolve as ESM)
 * and loaded as its CommonJS build through `createRequire`: the ESM build uses extensionless
 * directory imports that Node refuses, and the catalog itself loads the CJS copy, so only that
 * copy makes `instanceof` checks (`HTTPError`, `Response`) hold.
 *
 * Loading is lazy and cached per process: nothing here runs at import.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** One input field of a destination's settings or of an action. */
export interface FieldDefinition {
  label?: string
  description?: string
  type: string
  required?: boolean
  multiple?: boolean
  default?: unknown
  choices?: ReadonlyArray<string | number | { label?: string; value: string | number }>
  properties?: Record<string, FieldDefinition>
}

export interface ActionDefinition {
  title: string
  description?: string
  fields: Record<string, FieldDefinition>
  perform: unknown
  performBatch?: unknown
}

export interface PresetDefinition {
  name: string
  partnerAction?: string
  subscribe?: string
  mapping?: Record<string, unknown>
  type?: string
}

/** A catalog destination's definition (`dist/destinations/<dir>`'s default export). */
export interface DestinationDefinition {
  name: string
  slug?: string
  mode: string
  description?: string
  authentication?: { scheme: string; fields?: Record<string, FieldDefinition> }
  presets?: PresetDefinition[]
  actions: Record<string, ActionDefinition>
  /** Deletes a person at the destination (the definition's own; called through the runtime). */
  onDelete?: unknown
}

/** A subscription as actions-core takes it. */
export interface CoreSubscription {
  partnerAction: string
  subscribe: string
  mapping: Record<string, unknown>
  name?: string
}

/** One per-event entry of a batch result. */
export interface MultiStatusEntry {
  status: number
  errortype?: string
  errormessage?: string
  body?: unknown
}

/** One entry of what `onEvent` / `onBatch` resolve with. */
export interface CoreResult {
  output?: string
  data?: unknown
  multistatus?: MultiStatusEntry[]
}

export interface CoreRunOptions {
  signal?: AbortSignal
}

/** A running destination (`new Destination(definition)`). */
export interface CoreDestination {
  /** Every response is appended here and never removed: clear it after each call. */
  responses: unknown[]
  onEvent(
    event: unknown,
    settings: Record<string, unknown>,
    options?: CoreRunOptions,
  ): Promise<CoreResult[]>
  onBatch(
    events: unknown[],
    settings: Record<string, unknown>,
    options?: CoreRunOptions,
  ): Promise<CoreResult[]>
  /** Throws an `AggregateAjvError` when settings do not match `authentication.fields`. */
  validateSettings(settings: Record<string, unknown>): void
  /**
   * Present when the definition has `onDelete`: deletes the person of a Segment `delete` event
   * (`userId`, `anonymousId`) at the destination; throws when the destination refuses.
   */
  onDelete?: (
    event: unknown,
    settings: Record<string, unknown>,
    options?: CoreRunOptions,
  ) => Promise<CoreResult>
}

/** A node-fetch 2 `Headers` (what actions-core's fetch module re-exports). */
export interface FetchHeaders {
  forEach(callback: (value: string, name: string) => void): void
}

/** A node-fetch 2 `Request`, as actions-core hands it to its fetch function. */
export interface FetchRequest {
  url: string
  method: string
  headers: FetchHeaders
  signal?: AbortSignal | null
  buffer(): Promise<Uint8Array>
}

export type FetchResponse = object

/** `dist/cjs/fetch.js`: its `default` is read at every call, so replacing it intercepts all. */
export interface FetchModule {
  default: (request: FetchRequest) => Promise<FetchResponse>
  Response: new (
    body: string,
    init: { status: number; headers: Record<string, string>; url: string },
  ) => FetchResponse
}

export type ErrorClass = abstract new (...args: never[]) => Error

export interface CoreModule {
  Destination: new (definition: DestinationDefinition) => CoreDestination
  HTTPError: ErrorClass
  IntegrationError: ErrorClass
  /** An IntegrationError for an API's answer, with that answer's status. */
  APIError: ErrorClass
  RetryableError: ErrorClass
  InvalidAuthenticationError: ErrorClass
  PayloadValidationError: ErrorClass
  SelfTimeoutError: ErrorClass
  RequestTimeoutError: ErrorClass
  defaultValues(fields: Record<string, FieldDefinition>): Record<string, unknown>
  /** Applies a mapping to an event; throws when a directive is malformed. */
  transform(mapping: Record<string, unknown>, data: unknown): Record<string, unknown>
  fieldsToJsonSchema(fields: Record<string, FieldDefinition>): Record<string, unknown>
}

export interface Runtime {
  core: CoreModule
  fetchModule: FetchModule
  /** `@segment/ajv-human-errors`' error class, the one actions-core throws. */
  AggregateAjvError: ErrorClass
  /** actions-core's `TimeoutError` (its own per-request timer). */
  TimeoutError: ErrorClass
  parseFql(fql: string): { error?: Error }
  /** CommonJS require rooted at this module (for the catalog's definitions). */
  require: NodeJS.Require
}

let runtime: Runtime | null = null

/** Loads actions-core (CJS) and its helpers once per process (~0.2–0.3 s, ~25 MiB). */
export function loadRuntime(): Runtime {
  if (runtime) return runtime
  const require = createRequire(import.meta.url)
  const coreEntry = require.resolve('@segment/actions-core')
  const fromCore = createRequire(coreEntry)
  const core = require('@segment/actions-core') as CoreModule
  const requestClient = fromCore(join(dirname(coreEntry), 'request-client.js')) as {
    TimeoutError: ErrorClass
  }
  runtime = {
    core,
    fetchModule: fromCore(join(dirname(coreEntry), 'fetch.js')) as FetchModule,
    AggregateAjvError: (fromCore('@segment/ajv-human-errors') as { AggregateAjvError: ErrorClass })
      .AggregateAjvError,
    TimeoutError: requestClient.TimeoutError,
    parseFql: (fromCore('@segment/destination-subscriptions') as Pick<Runtime, 'parseFql'>)
      .parseFql,
    require,
  }
  return runtime
}
