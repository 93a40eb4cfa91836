import { z } from 'zod'
import type { Source } from './source.js'

const writeKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'a write key is 8 to 128 characters of A-Z, a-z, 0-9, _ and -')

const origin = z.string().refine((value) => value === '*' || /^https?:\/\/[^/\s]+$/.test(value), {
  message: 'an origin is `*` or scheme://host[:port] with no path, e.g. https://shop.example.com',
})

/** One source in the config file. Exactly one of `writeKey` or `writeKeys` is required. */
export const sourceConfigSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id is 1 to 64 characters of A-Z, a-z, 0-9, _ and -')
      .describe('Stable id of the source, used in the API and in stored events.'),
    name: z.string().min(1).max(200).describe('Display name.'),
    writeKey: writeKey.optional().describe('The write key clients send.'),
    writeKeys: z.array(writeKey).min(1).optional().describe('Several valid write keys (rotation).'),
    allowedOrigins: z
      .array(origin)
      .optional()
      .describe('Browser origins allowed to send; absent allows all.'),
    rateLimit: z
      .strictObject({
        perSecond: z.number().positive().describe('Sustained requests per second.'),
        burst: z.number().int().positive().optional().describe('Burst size; default perSecond.'),
      })
      .optional()
      .describe('Per-source request rate limit; absent means unlimited.'),
  })
  .refine((s) => (s.writeKey === undefined) !== (s.writeKeys === undefined), {
    message: 'give exactly one of writeKey or writeKeys',
  })

export type SourceConfig = z.infer<typeof sourceConfigSchema>

/** Problems zod cannot see: duplicate ids and write keys across sources. */
export function checkSourcesUnique(
  sources: readonly SourceConfig[],
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = []
  const ids = new Set<string>()
  const keys = new Set<string>()
  sources.forEach((s, i) => {
    if (ids.has(s.id)) {
      problems.push({ path: `sources.${i}.id`, message: `duplicate source id ${s.id}` })
    }
    ids.add(s.id)
    for (const key of s.writeKeys ?? [s.writeKey ?? '']) {
      if (keys.has(key)) {
        problems.push({ path: `sources.${i}`, message: 'write key used by two sources' })
      }
      keys.add(key)
    }
  })
  return problems
}

/** A config-file source as a managed {@link Source}. */
export function toManagedSource(config: SourceConfig, loadedAt: number): Source {
  const keys = config.writeKeys ?? (config.writeKey === undefined ? [] : [config.writeKey])
  return {
    id: config.id,
    name: config.name,
    writeKeys: keys.map((key) => ({ key, expiresAt: null })),
    allowedOrigins: config.allowedOrigins ?? null,
    rateLimit: config.rateLimit
      ? {
          perSecond: config.rateLimit.perSecond,
          burst: config.rateLimit.burst ?? Math.ceil(config.rateLimit.perSecond),
        }
      : null,
    managed: true,
    createdAt: loadedAt,
    updatedAt: loadedAt,
  }
}
