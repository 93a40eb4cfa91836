import { pino, type Logger } from 'pino'

export type { Logger }

/**
 * JSON logger. Secrets and personal data never reach the logs: authorization headers, write
 * keys, tokens and request bodies are redacted by path, and request logging records method,
 * route and status only.
 */
export function createLogger(options: {
  level: string
  destination?: NodeJS.WritableStream
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'tessera' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.writeKey',
          '*.token',
          '*.adminToken',
          '*.password',
          'body',
          '*.body',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? process.stdout,
  )
}
