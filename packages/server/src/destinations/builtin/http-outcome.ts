/**
 * Turns one HTTP exchange into a {@link DeliveryOutcome} through the domain's one
 * classification (classify.ts): delivered, retry (with `Retry-After` as `afterMs`) or failed.
 * Failures carry an {@link ExchangeSample}.
 */
import { classifyHttpResponse, classifyTransportError } from '../classify.js'
import type { DeliveryOutcome, ExchangeSample } from '../driver.js'
import type { HttpResponse, HttpTransportError } from '../http-client.js'

/** The outcome of an HTTP answer. `sample` is built only when the answer is not a success. */
export function outcomeFromResponse(
  response: HttpResponse,
  host: string,
  options: { now: number; sample: () => ExchangeSample },
): DeliveryOutcome {
  const classification = classifyHttpResponse(response.status, response.headers, options.now)
  if (classification.kind === 'ok') return { status: 'delivered' }
  const error = {
    code: `HTTP_${response.status}`,
    message: `${host} answered HTTP ${response.status}`,
    httpStatus: response.status,
    sample: options.sample(),
  }
  if (classification.kind === 'fail') return { status: 'failed', error }
  return classification.afterMs === undefined
    ? { status: 'retry', error }
    : { status: 'retry', afterMs: classification.afterMs, error }
}

/** The outcome of a request that got no answer. */
export function outcomeFromTransportError(
  failure: HttpTransportError,
  sample: ExchangeSample,
): DeliveryOutcome {
  const error = { code: failure.code, message: failure.message, sample }
  return classifyTransportError(failure.code).kind === 'fail'
    ? { status: 'failed', error }
    : { status: 'retry', error }
}
