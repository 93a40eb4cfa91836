// The tracking traffic the ingest and memory benchmarks send: one realistic analytics.js track
// event (about 650 bytes), each with a unique messageId so nothing is deduplicated away.

/** A function of a sequence number that returns the JSON of one track event of run `runId`. */
export function trackEvents(runId) {
  return (id) =>
    `{"type":"track","messageId":"${runId}-${id}","anonymousId":"anon-${id % 5000}","userId":"user-${id % 3000}","event":"Product Viewed","properties":{"product_id":"sku-${id % 700}","name":"Trail running shoe","price":119.99,"currency":"USD","category":"Footwear","position":${id % 12}},"context":{"library":{"name":"analytics.js","version":"next-1.84.3"},"page":{"path":"/products/trail","url":"https://shop.example.com/products/trail","title":"Trail shoe"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36","locale":"en-US"},"timestamp":"2026-11-24T10:00:00.000Z","sentAt":"2026-11-24T10:00:00.100Z"}`
}

/** The body of a `/v1/batch` request of `events` (JSON strings). */
export function batchBody(events) {
  return `{"batch":[${events.join(',')}],"sentAt":"2026-11-24T10:00:00.100Z"}`
}
