/**
 * Destinations: the model and config of destinations, the driver contract, the HTTP port,
 * retry policy, the delivery engine and its storage ports. See README.md.
 */
export * from './model.js'
export type * from './driver.js'
export * from './http-client.js'
export * from './classify.js'
export * from './backoff.js'
export * from './config.js'
export * from './delivery-store.js'
