/**
 * The one error base class of the project. Every expected failure has a stable,
 * SCREAMING_SNAKE `code` with a domain prefix, an HTTP status for the edges that map it, and
 * optional `details`. Codes are catalogued in docs/errors.md; a test keeps the two in sync.
 */
export class AppError extends Error {
  readonly code: string
  readonly httpStatus: number
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(
    code: string,
    message: string,
    options: { httpStatus?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.httpStatus = options.httpStatus ?? 500
    this.details = options.details
  }
}

/** Options accepted by an {@link ErrorFactory}. */
export interface ErrorOptions {
  details?: Record<string, unknown>
  cause?: unknown
}

/** A factory for one error code, made by {@link defineError}. */
export interface ErrorFactory {
  readonly code: string
  readonly httpStatus: number
  (message?: string, options?: ErrorOptions): AppError
}

const registry = new Map<string, ErrorFactory>()

/**
 * Declares an error code once, Fastify-style. Calling the returned factory builds an
 * {@link AppError}; `message` overrides the default text. Declaring a code twice throws,
 * so codes stay unique across domains.
 */
export function defineError(
  code: string,
  defaultMessage: string,
  httpStatus: number,
): ErrorFactory {
  if (registry.has(code)) throw new Error(`error code declared twice: ${code}`)
  const build = (message?: string, options: ErrorOptions = {}): AppError =>
    new AppError(code, message ?? defaultMessage, { httpStatus, ...options })
  const factory = Object.assign(build, { code, httpStatus })
  registry.set(code, factory)
  return factory
}

/** Every code declared so far (used by the docs-sync test). */
export function declaredErrorCodes(): string[] {
  return [...registry.keys()].sort()
}

/** True when `error` is an {@link AppError} with the given factory's code. */
export function isError(error: unknown, factory: ErrorFactory): error is AppError {
  return error instanceof AppError && error.code === factory.code
}

/** Errors that belong to no domain. */
export const PlatformErrors = {
  internal: defineError('INTERNAL_ERROR', 'Internal error.', 500),
  notFound: defineError('NOT_FOUND', 'No route matches this method and path.', 404),
  badRequest: defineError('BAD_REQUEST', 'The request is not valid.', 400),
} as const
