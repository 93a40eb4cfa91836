import { sql, type Kysely } from 'kysely'
import type { IdentityMatch, IdentityMatchRow } from '../../quality/index.js'
import type { TesseraDatabase } from './database.js'

/**
 * {@link IdentityMatch} over identity resolution's tables (`profiles`, `identity_identifiers`;
 * on SQLite in identity.db, attached to the store's connection and named unqualified). A
 * profile is an anonymous visitor when it holds an `anonymous_id` first seen at the profile's
 * own first sighting and no `user_id` or `email` first seen then; it is known when it holds a
 * `user_id` or `email` now. Buckets are `floor(first_seen / bucketMs) * bucketMs`.
 */
export class KyselyIdentityMatch implements IdentityMatch {
  constructor(private readonly db: Kysely<TesseraDatabase>) {}

  async matchRate(filter: {
    sourceId?: string
    since: number
    until: number
    bucketMs: number
  }): Promise<IdentityMatchRow[]> {
    const bucketMs = sql`CAST(${filter.bucketMs} AS bigint)`
    const source =
      filter.sourceId === undefined ? sql`` : sql`AND p.first_source_id = ${filter.sourceId}`
    const result = await sql<{
      bucket: number | string
      anonymous: number | string
      known: number | string
    }>`
      SELECT (p.first_seen / ${bucketMs}) * ${bucketMs} AS bucket,
        COUNT(*) AS anonymous,
        SUM(CASE WHEN EXISTS (
          SELECT 1 FROM identity_identifiers k
          WHERE k.profile_id = p.id AND k.type IN ('user_id', 'email')
        ) THEN 1 ELSE 0 END) AS known
      FROM profiles p
      WHERE p.collection = 'users'
        AND p.first_seen >= ${filter.since} AND p.first_seen < ${filter.until}
        ${source}
        AND EXISTS (
          SELECT 1 FROM identity_identifiers a
          WHERE a.profile_id = p.id AND a.type = 'anonymous_id' AND a.first_seen = p.first_seen
        )
        AND NOT EXISTS (
          SELECT 1 FROM identity_identifiers n
          WHERE n.profile_id = p.id AND n.type IN ('user_id', 'email')
            AND n.first_seen = p.first_seen
        )
      GROUP BY 1
      ORDER BY 1
    `.execute(this.db)
    return result.rows.map((r) => ({
      bucket: Number(r.bucket),
      anonymous: Number(r.anonymous),
      known: Number(r.known),
    }))
  }
}
