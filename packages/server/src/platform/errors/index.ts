export {
  AppError,
  defineError,
  declaredErrorCodes,
  isError,
  PlatformErrors,
  type ErrorFactory,
  type ErrorOptions,
} from './app-error.js'
