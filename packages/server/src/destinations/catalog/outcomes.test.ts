import { describe, expect, it } from 'vitest'
import type { DeliveryOutcome } from '../driver.js'
import { HttpTransportError } from '../http-client.js'
import { loadRuntime } from './core.js'
import { createMasker, toSample } from './mask.js'
import {
  combineOutcomes,
  createOutcomeContext,
  outcomeOfEntry,
  outcomeOfError,
  outcomeOfResults,
  toCode,
} from './outcomes.js'

const runtime = loadRuntime()
const mask = createMasker({ apiKey: 's3cr3t-key', region: 'eu', short: 'ab' }, ['apiKey', 'short'])
const ctx = (exchange = null) =>
  createOutcomeContext({ runtime, now: Date.parse('2026-01-01T00:00:00Z'), mask, exchange })

type Ctor = new (...args: unknown[]) => Error
const make = (name: keyof typeof runtime.core, ...args: unknown[]): Error =>
  new (runtime.core[name] as unknown as Ctor)(...args)

describe('catalog outcomes', () => {
  it('masks secrets (plain and URL-encoded) and credential headers in samples', () => {
    expect(mask('key=s3cr3t-key&x=ab')).toBe('key=***&x=ab')
    const sample = toSample(
      {
        request: {
          method: 'POST',
          url: 'https://api.example.com/?k=s3cr3t-key',
          headers: { authorization: 'Basic abc', 'x-other': 's3cr3t-key' },
          body: '{"api_key":"s3cr3t-key"}',
          timeoutMs: 1,
        },
        response: { status: 401, headers: {}, body: 'bad key s3cr3t-key' },
      },
      mask,
    )
    expect(JSON.stringify(sample)).not.toContain('s3cr3t-key')
    expect(sample.request.headers.authorization).toBe('***')
  })

  it('classifies thrown errors with stable codes', () => {
    const wrapped = new Error('outer', { cause: new HttpTransportError('ECONNRESET', 'reset') })
    expect(outcomeOfError(wrapped, ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'ECONNRESET' },
    })
    expect(outcomeOfError(new HttpTransportError('EGRESS_BLOCKED', 'no'), ctx())).toMatchObject({
      status: 'failed',
    })
    expect(outcomeOfError(make('RetryableError', 'later', 503), ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'RETRYABLE_ERROR', httpStatus: 503 },
    })
    expect(outcomeOfError(make('PayloadValidationError', 'no email'), ctx())).toMatchObject({
      status: 'failed',
      error: { code: 'PAYLOAD_VALIDATION_FAILED' },
    })
    expect(
      outcomeOfError(make('InvalidAuthenticationError', 'bad s3cr3t-key'), ctx()),
    ).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_AUTHENTICATION', message: 'bad ***' },
    })
    expect(
      outcomeOfError(make('IntegrationError', 'nope', 'NotImplemented', 501), ctx()),
    ).toMatchObject({
      status: 'failed',
      error: { code: 'NOT_IMPLEMENTED' },
    })
    expect(outcomeOfError(make('APIError', 'busy', 503), ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'HTTP_503' },
    })
    expect(outcomeOfError(make('SelfTimeoutError', 'slow'), ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'TIMEOUT' },
    })
    expect(outcomeOfError(new TypeError('x is undefined'), ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'DESTINATION_ERROR' },
    })
    expect(toCode('Misconfigured required field')).toBe('MISCONFIGURED_REQUIRED_FIELD')
  })

  it('reads onEvent results and multistatus entries', () => {
    expect(outcomeOfResults([{ output: 'not subscribed' }], ctx())).toMatchObject({
      status: 'skipped',
    })
    expect(
      outcomeOfResults([{ output: 'not subscribed' }, { output: 'Action Executed' }], ctx()),
    ).toEqual({ status: 'delivered' })
    expect(outcomeOfResults([{ output: 'Invalid subscription : x' }], ctx())).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_SUBSCRIPTION' },
    })
    expect(outcomeOfEntry({ status: 200 }, ctx())).toEqual({ status: 'delivered' })
    expect(
      outcomeOfEntry(
        {
          status: 400,
          errormessage: 'Payload is either invalid or does not match the subscription',
        },
        ctx(),
      ),
    ).toBeNull()
    expect(outcomeOfEntry({ status: 429, errortype: 'TOO_MANY_REQUESTS' }, ctx())).toMatchObject({
      status: 'retry',
      error: { code: 'HTTP_429' },
    })
  })

  it('combines parts: retry over failed over delivered over skipped', () => {
    const retry = (afterMs?: number): DeliveryOutcome => ({
      status: 'retry',
      ...(afterMs ? { afterMs } : {}),
      error: { code: 'HTTP_429', message: '' },
    })
    const failed: DeliveryOutcome = { status: 'failed', error: { code: 'HTTP_400', message: '' } }
    expect(combineOutcomes([])).toMatchObject({ status: 'skipped' })
    expect(combineOutcomes([{ status: 'delivered' }, failed])).toBe(failed)
    expect(combineOutcomes([failed, retry(1000), retry(5000)])).toMatchObject({ afterMs: 5000 })
  })
})
