import { join } from 'node:path'

/** Where each file of the embedded store lives in `dataDir`. */
export function sqliteFilePaths(dataDir: string): {
  store: string
  identity: string
  quality: string
  fields: string
  delivery: string
} {
  return {
    store: join(dataDir, 'tessera.db'),
    identity: join(dataDir, 'identity.db'),
    quality: join(dataDir, 'quality.db'),
    fields: join(dataDir, 'fields.db'),
    delivery: join(dataDir, 'delivery.db'),
  }
}
