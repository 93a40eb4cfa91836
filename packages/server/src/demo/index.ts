/**
 * Sample traffic for trying Tessera: simulated visitors and customers of a small shop,
 * sent through `@segment/analytics-node` to a running server. See README.md.
 */
export type { DemoCall } from './demo-call.js'
export { generateTraffic, type TrafficOptions } from './generate-traffic.js'
export { describeCalls, runDemo, type DemoOptions } from './run-demo.js'
export { sendTraffic, type SendOptions, type SendSummary } from './send-traffic.js'
