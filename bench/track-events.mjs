// The tracking traffic the ingest and memory benchmarks send: one realistic analytics.js track
// event (about 650 bytes), each with a unique messageId so nothing is deduplicated away.

/** A function of a sequence number that returns the JSON of one track event of run `runId`. */
function trackEvents(runId) {
  return (id) =>
    `{"type":"track","messageId":"${runId}-${id}","anonymousId":"anon-${id % 5000}","userId":"user-${id % 3000}","event":"Product Viewed","properties":{"product_id":"sku-${id % 700}","name":"Trail running shoe","price":119.99,"currency":"USD","category":"Footwear","position":${id % 12}},"context":{"library":{"name":"analytics.js","version":"next-1.84.3"},"page":{"path":"/products/trail","url":"https://shop.example.com/products/trail","title":"Trail shoe"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36","locale":"en-US"},"timestamp":"2026-11-24T10:00:00.000Z","sentAt":"2026-11-24T10:00:00.100Z"}`
}

/**
 * autocannon requests for source `writeKey`: `single()` posts one event to `/v1/track`,
 * `batch()` 100 events to `/v1/batch`. Every event of the run, whichever request carries it, has
 * its own sequence number, so no two share a messageId.
 */
export function trackRequests(writeKey) {
  const trackEvent = trackEvents(Date.now().toString(36))
  const headers = {
    authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    'content-type': 'application/json',
  }
  let seq = 0
  return {
    single: () => ({
      method: 'POST',
      path: '/v1/track',
      headers,
      setupRequest: (req) => ({ ...req, body: trackEvent(seq++) }),
    }),
    batch: () => ({
      method: 'POST',
      path: '/v1/batch',
      headers,
      setupRequest: (req) => {
        const events = []
        for (let i = 0; i < 100; i++) events.push(trackEvent(seq++))
        return {
          ...req,
          body: `{"batch":[${events.join(',')}],"sentAt":"2026-11-24T10:00:00.100Z"}`,
        }
      },
    }),
  }
}
