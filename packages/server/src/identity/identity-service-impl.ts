/**
 * The identity service (`IdentityService`): splits, explain, and the rules in force. The rules
 * live in an {@link IdentityRulesHolder}: from the config file's `identity` section (managed,
 * read-only here) or else from the `identity.rules` setting, edited through `setRules`.
 */
import type { Clock } from '../platform/clock.js'
import { compileIdentityRules, identityConfigSchema, type IdentityConfig } from './config.js'
import { rebuildComponents } from './engine-rebuild.js'
import { IdentityErrors } from './errors.js'
import { shortestPath } from './explain.js'
import type { IdentityService, SplitRequest, SplitResult } from './identity-service.js'
import type { IdentityStore, IdentityTx } from './identity-store.js'
import { identifierKey, type Collection, type Identifier } from './model.js'
import type { ProfileQuery } from './profile-query.js'
import type { IdentityRules } from './rules.js'

/** Settings key of the rules edited through the API. */
export const IDENTITY_RULES_SETTING = 'identity.rules'

/** Most edges explain reads for one profile (a profile holds at most `identifierCap` ids). */
const EXPLAIN_EDGE_LIMIT = 50_000

/** The rules in force, swapped atomically by `setRules`. */
export interface IdentityRulesHolder {
  /** The compiled rules: the runner reads them for every batch. */
  rules(): IdentityRules
  config(): IdentityConfig
  /** True when the config file defines the rules (the API may not change them). */
  readonly managed: boolean
  replace(config: IdentityConfig): void
}

export function createIdentityRulesHolder(initial: {
  config: IdentityConfig
  managed: boolean
}): IdentityRulesHolder {
  let config = initial.config
  let rules = compileIdentityRules(config)
  return {
    rules: () => rules,
    config: () => config,
    managed: initial.managed,
    replace(next) {
      rules = compileIdentityRules(next)
      config = next
    },
  }
}

/**
 * The rules at startup: the config file's section when it has one (`fileConfig`, managed);
 * otherwise the stored `identity.rules` setting, or the defaults when there is none. A stored
 * setting that no longer validates falls back to the defaults and is reported to `onInvalid`.
 */
export async function loadIdentityRules(options: {
  store: IdentityStore
  fileConfig: IdentityConfig | null
  onInvalid?: (issues: string[]) => void
}): Promise<IdentityRulesHolder> {
  if (options.fileConfig !== null) {
    return createIdentityRulesHolder({ config: options.fileConfig, managed: true })
  }
  const stored = await options.store.getSetting(IDENTITY_RULES_SETTING)
  const parsed = identityConfigSchema.safeParse(stored ?? {})
  if (!parsed.success) {
    options.onInvalid?.(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const config = parsed.success ? parsed.data : identityConfigSchema.parse({})
  return createIdentityRulesHolder({ config, managed: false })
}

export interface IdentityServiceDeps {
  store: IdentityStore
  query: ProfileQuery
  clock: Clock
  rules: IdentityRulesHolder
}

export function createIdentityService(deps: IdentityServiceDeps): IdentityService {
  return {
    split: (collection, request) => split(deps, collection, request),
    explain: (collection, a, b) => explain(deps, collection, a, b),
    rules: () => ({ config: deps.rules.config(), managed: deps.rules.managed }),
    setRules: (config, actor) => setRules(deps, config, actor),
  }
}

/**
 * One transaction: checks every identifier exists in the collection (`IDENTITY_NOT_FOUND`
 * otherwise, and nothing is kept), adds the override, re-resolves the components holding the
 * identifiers from empty with it applied, writes the new state and a `split` rebuild record.
 */
async function split(
  deps: IdentityServiceDeps,
  collection: Collection,
  request: SplitRequest,
): Promise<SplitResult> {
  const rules = deps.rules.rules()
  const ids = request.kind === 'block' ? [request.identifier] : [request.a, request.b]
  for (const id of ids) checkIdentifier(id, rules)
  if (request.kind === 'separate' && identifierKey(request.a) === identifierKey(request.b)) {
    throw IdentityErrors.invalidIdentifier('A split must name two different identifiers.')
  }
  return deps.store.transact(async (tx) => {
    const componentIds = await componentsOf(tx, collection, ids)
    const now = deps.clock.now()
    const override = await tx.addOverride({
      collection,
      kind: request.kind,
      a: request.kind === 'block' ? request.identifier : request.a,
      b: request.kind === 'block' ? null : request.b,
      reason: request.reason,
      actor: request.actor,
      createdAt: now,
    })
    const load =
      componentIds.length === 0
        ? { identifiers: [], profiles: [], components: [], overrides: [], events: [] }
        : await tx.loadComponents(componentIds)
    const outcome = rebuildComponents({
      rules,
      load,
      groups: [{ collection, componentIds, extra: [] }],
      reason: 'split',
      actor: request.actor,
      now,
      overrides: [override],
    })
    await tx.write(outcome.write)
    const rebuild = outcome.records[0]
    if (rebuild === undefined) throw new Error('a split rebuild made no record')
    await tx.recordRebuild(rebuild)
    return { override, rebuild }
  })
}

/**
 * The components of the identifiers; `IDENTITY_NOT_FOUND` for one never seen. An identifier
 * a `block` override already took out of the graph counts as found (in no component), so the
 * same block twice leaves the same graph.
 */
async function componentsOf(
  tx: IdentityTx,
  collection: Collection,
  ids: readonly Identifier[],
): Promise<string[]> {
  const keys = ids.map(identifierKey)
  const slice = await tx.loadSlice(collection, keys)
  const components = new Set<string>()
  for (const key of keys) {
    const found = slice.identifiers.find(
      (r) => r.collection === collection && identifierKey(r) === key,
    )
    if (found !== undefined) components.add(found.componentId)
    else if (!slice.overrides.some((o) => o.kind === 'block' && identifierKey(o.a) === key)) {
      throw IdentityErrors.notFound(`No identifier ${key} in ${collection}.`, {
        details: { identifier: key },
      })
    }
  }
  return [...components]
}

function checkIdentifier(id: Identifier, rules: IdentityRules): void {
  if (id.type === '' || id.value === '' || rules.isBlocked(id.type, id.value)) {
    throw IdentityErrors.invalidIdentifier(undefined, {
      details: { identifier: identifierKey(id) },
    })
  }
}

/**
 * The shortest path of edges linking `a` to `b` on `a`'s profile; `IDENTITY_NOT_FOUND` when
 * `a` is on no profile; not connected when `b` is not on the same profile.
 */
async function explain(
  deps: IdentityServiceDeps,
  collection: Collection,
  a: Identifier,
  b: Identifier,
): ReturnType<IdentityService['explain']> {
  const profile = await deps.query.findByIdentifier(collection, a)
  if (profile === null) {
    throw IdentityErrors.notFound(undefined, { details: { identifier: identifierKey(a) } })
  }
  const other = await deps.query.findByIdentifier(collection, b)
  if (other === null || other.id !== profile.id) {
    return { connected: false, profileId: profile.id, path: [] }
  }
  const edges = await deps.query.edges(profile.id, EXPLAIN_EDGE_LIMIT)
  const path = shortestPath(edges, a, b)
  return { connected: path !== null, profileId: profile.id, path: path ?? [] }
}

/**
 * Validates `config` against the `identity` section schema (`IDENTITY_INVALID_RULES` with the
 * issues), refuses when the config file manages the rules (`IDENTITY_RULES_MANAGED`), stores it
 * as given under {@link IDENTITY_RULES_SETTING}, then puts it in force. Returns it with the
 * defaults filled in.
 */
async function setRules(
  deps: IdentityServiceDeps,
  config: unknown,
  actor: string,
): Promise<IdentityConfig> {
  if (deps.rules.managed) throw IdentityErrors.rulesManaged()
  const parsed = identityConfigSchema.safeParse(config)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    throw IdentityErrors.invalidRules(
      `The identity rules are not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  await deps.store.putSetting(IDENTITY_RULES_SETTING, config, actor)
  deps.rules.replace(parsed.data)
  return parsed.data
}
