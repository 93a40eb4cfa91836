/**
 * Every destination type the platform knows: the built-in ones (webhook, NATS JetStream
 * subject, PostgreSQL warehouse) and Segment's catalog, each catalog destination loaded on
 * first use. Built-in names win over catalog slugs.
 */
import {
  createCatalogRegistry,
  createWebhookKind,
  type CatalogRegistry,
  type DestinationKind,
  type KindResolver,
} from '../destinations/index.js'
import { createNatsKind } from '../infra/nats/nats-destination.js'
import { createPostgresWarehouseKind } from '../infra/postgres/warehouse/index.js'

export interface DestinationKinds {
  resolve: KindResolver
  builtins: readonly DestinationKind[]
  catalog: CatalogRegistry
}

export function createDestinationKinds(): DestinationKinds {
  const builtins = [createWebhookKind(), createNatsKind(), createPostgresWarehouseKind()]
  const byType = new Map(builtins.map((kind) => [kind.type, kind]))
  const catalog = createCatalogRegistry()
  return {
    builtins,
    catalog,
    resolve: async (type) => byType.get(type) ?? (await catalog.kind(type)),
  }
}
