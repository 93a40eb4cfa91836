export {
  AppError,
  defineError,
  declaredErrorCodes,
  isError,
  type ErrorFactory,
  type ErrorOptions,
} from './app-error.js'
