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
export * from './errors.js'
export * from './secret-box.js'
export * from './stats.js'
export { createDeliveryEngine, integrationNames } from './engine.js'
export type {
  DeliveryEngine,
  DeliveryEngineOptions,
  EngineDestinationStatus,
  KindResolver,
} from './engine.js'
export type { LaneStatus } from './lane.js'
export { createRouter, type RouteDecision, type Router } from './route.js'
export { scopePayloads, type DeliveryPayloadScope } from './pii-scope.js'
export { validateDestination, type ValidationResult } from './validate-destination.js'
export {
  createDestinationService,
  type DestinationRecord,
  type DestinationService,
  type DestinationServiceOptions,
} from './destination-service.js'
export { createWebhookKind, verifyWebhookSignature, signWebhookBody } from './builtin/webhook.js'
export * from './catalog/index.js'
export { compileFilters, integrationsAllow } from './filters/index.js'
