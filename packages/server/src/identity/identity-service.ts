import type {
  Collection,
  Identifier,
  IdentityEdge,
  IdentityOverride,
  RebuildRecord,
} from './model.js'
import type { IdentityConfig } from './config.js'

/** What a split asks for (see README.md, Overrides). */
export type SplitRequest =
  | { kind: 'block'; identifier: Identifier; reason: string; actor: string }
  | { kind: 'separate'; a: Identifier; b: Identifier; reason: string; actor: string }

export interface SplitResult {
  override: IdentityOverride
  rebuild: RebuildRecord
}

/** Answer of explain: the shortest path of edges linking `a` to `b` on one profile. */
export interface ExplainResult {
  connected: boolean
  profileId: string | null
  /** Edges from `a` to `b` in order; empty when not connected (or `a` equals `b`). */
  path: IdentityEdge[]
}

/**
 * Identity operations for the admin API, composed by `app/`. Every method is safe to call
 * while the pipeline resolves (each write is one serialized `IdentityStore.transact`).
 */
export interface IdentityService {
  /**
   * Records the override and rebuilds the components holding its identifiers: their events
   * are re-resolved from empty in order-key order and traits rebuilt. Idempotent in effect:
   * the same override twice leaves the same graph. Fails with `IDENTITY_NOT_FOUND` when an
   * identifier is unknown.
   */
  split(collection: Collection, request: SplitRequest): Promise<SplitResult>
  /** Why `a` and `b` are on one profile, as a path of edges. */
  explain(collection: Collection, a: Identifier, b: Identifier): Promise<ExplainResult>
  /** The rules in force, as config (defaults filled in) and whether the config file manages them. */
  rules(): { config: IdentityConfig; managed: boolean }
  /**
   * Replaces the rules (API edit; stored in `settings`); `IDENTITY_RULES_MANAGED` when the
   * config file defines them. Applies to events resolved from then on.
   */
  setRules(config: unknown, actor: string): Promise<IdentityConfig>
}
