import { PII_CLASSES, type PiiRuleView } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { ClassBadge } from './parts'
import { privacyApi } from './privacyApi'

const ACTION_TEXT: Record<PiiRuleView['action'], string> = {
  block: 'block (field removed)',
  hash: 'hash (HMAC-SHA256)',
  mask: 'mask (shape kept)',
  allow: 'allow',
}

function RuleRow({ rule }: { rule: PiiRuleView }) {
  return (
    <tr data-testid="pii-rule">
      <td>
        <ClassBadge value={rule.class} />
      </td>
      <td>{ACTION_TEXT[rule.action]}</td>
      <td>
        {rule.scope === 'global' ? (
          'global (before storing)'
        ) : (
          <>
            destinations{' '}
            {(rule.destinations ?? []).map((d) => (
              <code key={d} className="privacy-chip">
                {d}
              </code>
            ))}
          </>
        )}
      </td>
      <td>
        {rule.stage === 'ingest' ? (
          <span className="badge ok" title="Applied by the store step before events are stored.">
            at ingest
          </span>
        ) : (
          <span className="badge ok" title="Applied in these destinations' delivery lanes.">
            at delivery
          </span>
        )}
      </td>
    </tr>
  )
}

/** The configured PII rules per class, global (at ingest) and per destination (at delivery). */
export function PiiRulesSection() {
  const api = useApi()
  const rules = useLoad(() => privacyApi.rules(api), [api])
  const list = rules.data?.data ?? []
  const unruled = PII_CLASSES.filter((c) => !list.some((r) => r.class === c))
  return (
    <div className="card">
      <h2>PII rules</h2>
      <p className="help">
        From the config file (privacy.pii.rules). Global rules act in the store step, before events
        are stored; per-destination rules in those destinations’ delivery lanes. In one scope the
        strictest action of a class wins (block, hash, mask, allow).
      </p>
      <ErrorNote error={rules.error} />
      {rules.data && list.length === 0 && (
        <p className="muted" data-testid="no-pii-rules">
          No rules: every class reaches every store and destination as sent.
        </p>
      )}
      {list.length > 0 && (
        <table className="table" aria-label="PII rules">
          <thead>
            <tr>
              <th>Class</th>
              <th>Action</th>
              <th>Scope</th>
              <th>Enforced</th>
            </tr>
          </thead>
          <tbody>
            {list.map((rule, i) => (
              <RuleRow key={i} rule={rule} />
            ))}
          </tbody>
        </table>
      )}
      {rules.data && list.length > 0 && unruled.length > 0 && (
        <p className="help">No rule for {unruled.join(', ')}: allowed everywhere.</p>
      )}
    </div>
  )
}
