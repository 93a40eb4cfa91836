/**
 * The global PII rules as a step of the store step's gate: after the tracking-plan step (plans
 * check what the client sent; these rules then rewrite what is stored), each event's
 * `properties`, `traits` and `context` are transformed as the rules without `destinations` say
 * (block, hash, mask or allow per class). An event whose payload changed is answered
 * `modified` and carries what was done in `context.privacy.pii` as `[{field, class, action}]`
 * (generic paths, never values); an untouched event passes as it came, and is only serialized
 * again by the gate when another step changed it.
 *
 * Deterministic and pure (the hash is keyed with the configured salt), so a batch retried after
 * a crash stores the same payloads. It never blocks: a blocked field is removed, the event kept.
 * Quarantined events are not transformed (they keep the payload as received, and a replay
 * passes this step again from the log).
 */
import type { GateStep } from '../../plans/index.js'
import type { JsonObject } from '../../protocol/index.js'
import { createClassifier } from '../pii/classifier.js'
import type { CustomMatcherConfig } from '../pii/custom-matchers.js'
import { actionsForScope, type PiiRule } from './rules.js'
import { createPiiTransform, SCANNED_SECTIONS, type PiiTransformResult } from './transform.js'

/** Name of the step (in `BlockReason.step` style). */
export const PII_STEP = 'pii'

/**
 * What the store step needs to apply the global rules, as plain data (it crosses to the store
 * worker thread in its worker data and in `{type:'pii'}` messages).
 */
export interface PiiIngestRules {
  /** The global rules (those without `destinations`); per-destination ones apply in delivery. */
  rules: PiiRule[]
  /** Custom matchers (`privacy.pii.matchers`): the classifier must match the config's. */
  matchers: CustomMatcherConfig[]
  /** Salt (HMAC key) of `hash`. */
  salt: string
}

/** The global transform of one event, as `PiiRuntime.ingest` gives it. */
export type PiiIngestTransform = (
  payload: Record<string, unknown>,
  sourceId: string,
) => PiiTransformResult

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * The `pii` gate step over a global transform. Every source is wanted (the rules are global);
 * build no step at all when there are no global rules, so events then pay nothing.
 */
export function createPiiGateStep(ingest: PiiIngestTransform): GateStep {
  return {
    name: PII_STEP,
    wants: () => true,
    check(event) {
      const payload = event.payload()
      const result = ingest(payload, event.record.sourceId)
      if (!result.changed) return { kind: 'pass' }
      // The transform copies what it changes; the gate serializes the shared parsed payload, so
      // the changed sections are put back into it.
      for (const section of SCANNED_SECTIONS) {
        const next = result.payload[section]
        if (next !== payload[section]) payload[section] = next as JsonObject
      }
      const context = isObject(payload.context) ? payload.context : {}
      const privacy = isObject(context.privacy) ? context.privacy : {}
      payload.context = {
        ...context,
        privacy: {
          ...privacy,
          pii: result.actions.map((a) => ({ field: a.field, class: a.class, action: a.action })),
        },
      }
      return { kind: 'modified' }
    },
  }
}

/**
 * The global rules of a config with what applying them needs, or null when none of them does
 * anything (no rule, or only `allow`): then the store step gets no `pii` step at all.
 */
export function piiIngestRules(
  config: { rules: readonly PiiRule[]; matchers: readonly CustomMatcherConfig[] },
  salt: string,
): PiiIngestRules | null {
  const rules = config.rules.filter((r) => r.destinations === undefined)
  if (actionsForScope(rules, undefined) === null) return null
  return { rules, matchers: [...config.matchers], salt }
}

/** The `pii` gate step of {@link piiIngestRules}' answer; null for null (no step). */
export function createPiiIngestStep(rules: PiiIngestRules | null): GateStep | null {
  if (rules === null) return null
  const transform = createPiiTransform(rules.rules, createClassifier(rules.matchers), {
    salt: rules.salt,
  })
  return createPiiGateStep((payload, sourceId) => transform(payload, { sourceId }))
}
