import { describe, expect, it } from 'vitest'
import { describeNatsError, natsFailureOutcome } from './nats-outcome.js'

describe('nats outcomes', () => {
  it('classifies client errors', () => {
    expect(describeNatsError({ code: '503', message: 'no responders' })).toEqual({
      error: { code: 'NATS_NO_RESPONDERS', message: 'no responders' },
      permanent: false,
    })
    expect(describeNatsError({ code: 'TIMEOUT', message: 't' }).permanent).toBe(false)
    expect(describeNatsError({ code: 'CONNECTION_REFUSED', message: 'r' }).error.code).toBe(
      'ECONNREFUSED',
    )
    expect(describeNatsError({ code: 'MAX_PAYLOAD_EXCEEDED', message: 'big' }).permanent).toBe(true)
    expect(describeNatsError({ code: 'BAD_SUBJECT', message: 'bad' }).permanent).toBe(true)
    const tooBig = { code: '400', message: 'x', api_error: { code: 400, err_code: 10054 } }
    expect(describeNatsError(tooBig)).toMatchObject({
      error: { code: 'NATS_JS_10054' },
      permanent: true,
    })
    const storeFailed = { code: '503', message: 'x', api_error: { code: 503, err_code: 10077 } }
    expect(describeNatsError(storeFailed).permanent).toBe(false)
    expect(natsFailureOutcome({ code: 'DISCONNECT', message: 'd' })).toEqual({
      status: 'retry',
      error: { code: 'NATS_DISCONNECT', message: 'd' },
    })
    expect(natsFailureOutcome(new Error('odd'))).toMatchObject({
      status: 'retry',
      error: { code: 'NATS_UNKNOWN' },
    })
  })
})
