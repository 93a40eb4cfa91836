import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configSchema, type TesseraConfig } from '../app/config.js'
import { startPlatform, type Platform } from '../app/create-platform.js'
import type { OpenedStores } from '../app/open-storage.js'
import type { ActivePlans } from '../plans/index.js'
import { createLogger } from '../platform/logger/index.js'

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789'
export const TEST_WRITE_KEY = 'test_write_key_0001'

export interface TestPlatform {
  platform: Platform
  url: string
  dataDir: string
  writeKey: string
  adminToken: string
  /** fetch against the platform with the admin token. */
  admin: (path: string, init?: RequestInit) => Promise<Response>
  close: () => Promise<void>
}

/**
 * Starts a real platform on a random port with a temp data dir (or the given storage), one
 * managed source (`test-source`, key {@link TEST_WRITE_KEY}) and a known admin token. Call
 * `close()` in afterEach/afterAll: it stops the platform and deletes the data dir.
 */
export async function startTestPlatform(
  overrides: Partial<Record<keyof TesseraConfig, unknown>> & { storage?: unknown } = {},
  options: { stores?: OpenedStores; activePlans?: ActivePlans } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-test-'))
  const config = configSchema.parse({
    server: { port: 0, host: '127.0.0.1', logLevel: 'silent' },
    storage: { dataDir },
    adminTokens: [TEST_ADMIN_TOKEN],
    sources: [{ id: 'test-source', name: 'Test source', writeKey: TEST_WRITE_KEY }],
    ...overrides,
  })
  const logger = createLogger({ level: 'silent' })
  const platform = await startPlatform({
    config,
    logger,
    createDefaultSource: false,
    ...(options.stores ? { stores: options.stores } : {}),
    ...(options.activePlans ? { activePlans: options.activePlans } : {}),
  })
  return {
    platform,
    url: platform.url,
    dataDir,
    writeKey: TEST_WRITE_KEY,
    adminToken: TEST_ADMIN_TOKEN,
    admin: (path, init = {}) =>
      fetch(`${platform.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init.headers ?? {}) },
      }),
    close: async () => {
      await platform.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
