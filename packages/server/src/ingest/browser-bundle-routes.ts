import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { SourceService } from '../sources/index.js'
import { buildCdnSettings } from './cdn-settings.js'

const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/
const SAFE_FILE = /^[A-Za-z0-9_.-]+\.js(\.map)?$/

function analyticsNextUmdDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@segment/analytics-next/package.json')), 'dist', 'umd')
}

/**
 * Serves what Segment's CDN serves to browsers, from the `@segment/analytics-next` package:
 * the standalone bundle at `/analytics.js/v1/<writeKey>/analytics.min.js` (its write-key
 * placeholder filled in, so the standard snippet works with only its host changed), its lazy
 * chunks under `/analytics-next/bundles/`, and per-source settings at
 * `/v1/projects/<writeKey>/settings` that point the library back at this server.
 */
export function registerBrowserBundleRoutes(
  app: FastifyInstance,
  deps: { sources: SourceService },
): void {
  const umdDir = analyticsNextUmdDir()
  let standalone: string | null = null

  app.get<{ Params: { writeKey: string } }>('/v1/projects/:writeKey/settings', (request, reply) => {
    reply.header('access-control-allow-origin', '*')
    const source = deps.sources.byWriteKey(request.params.writeKey)
    if (!source) {
      return reply.code(404).send({
        success: false,
        error: { code: 'INGEST_UNKNOWN_WRITE_KEY', message: 'The write key is not valid.' },
      })
    }
    const protocol = request.protocol === 'https' ? 'https' : 'http'
    return reply.send(
      buildCdnSettings({
        writeKey: request.params.writeKey,
        apiHost: `${request.host}/v1`,
        protocol,
      }),
    )
  })

  app.get<{ Params: { writeKey: string } }>(
    '/analytics.js/v1/:writeKey/analytics.min.js',
    (request, reply) => {
      const { writeKey } = request.params
      if (!SAFE_KEY.test(writeKey)) return reply.code(400).send('invalid write key')
      standalone ??= readFileSync(join(umdDir, 'standalone.js'), 'utf8')
      reply.header('access-control-allow-origin', '*')
      reply.header('cache-control', 'public, max-age=300')
      return reply
        .type('application/javascript; charset=utf-8')
        .send(standalone.replaceAll('__WRITE_KEY__', writeKey))
    },
  )

  app.get<{ Params: { file: string } }>('/analytics-next/bundles/:file', (request, reply) => {
    const { file } = request.params
    if (!SAFE_FILE.test(file)) return reply.code(404).send('not found')
    let content: Buffer
    try {
      content = readFileSync(join(umdDir, file))
    } catch {
      return reply.code(404).send('not found')
    }
    reply.header('access-control-allow-origin', '*')
    reply.header('cache-control', 'public, max-age=31536000, immutable')
    return reply
      .type(file.endsWith('.map') ? 'application/json' : 'application/javascript; charset=utf-8')
      .send(content)
  })
}
