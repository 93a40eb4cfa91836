import type { CatalogAction, CatalogDetail } from '../../api/destination-types'
import { presetDrafts, type SubscriptionDraft } from './formModel'

function actionsOf(detail: CatalogDetail): Array<[string, CatalogAction]> {
  return Array.isArray(detail.actions) ? [] : Object.entries(detail.actions)
}

/** The action's fields, required ones starred, for the mapping's help. */
function fieldList(action: CatalogAction | undefined): string {
  if (!action) return ''
  return Object.entries(action.fields)
    .map(([key, f]) => (f.required ? `${key}*` : key))
    .join(', ')
}

interface RowProps {
  index: number
  draft: SubscriptionDraft
  actions: Array<[string, CatalogAction]>
  onChange: (draft: SubscriptionDraft) => void
  onRemove: () => void
}

function SubscriptionRow({ index, draft, actions, onChange, onRemove }: RowProps) {
  const id = (field: string): string => `subscription-${index}-${field}`
  const action = actions.find(([key]) => key === draft.partnerAction)?.[1]
  return (
    <fieldset className="dest-subscription" data-testid="subscription">
      <legend>{draft.name || `Subscription ${index + 1}`}</legend>
      <div className="dest-subscription-grid">
        <div>
          <label htmlFor={id('name')}>Name</label>
          <input
            id={id('name')}
            value={draft.name}
            onChange={(e) => onChange({ ...draft, name: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={id('action')}>Action</label>
          <select
            id={id('action')}
            value={draft.partnerAction}
            onChange={(e) => onChange({ ...draft, partnerAction: e.target.value })}
          >
            {!action && <option value={draft.partnerAction}>{draft.partnerAction || '—'}</option>}
            {actions.map(([key, a]) => (
              <option key={key} value={key}>
                {a.title}
              </option>
            ))}
          </select>
        </div>
        <label className="radio">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => onChange({ ...draft, enabled: e.target.checked })}
          />
          Enabled
        </label>
      </div>
      <label htmlFor={id('subscribe')}>Trigger (FQL)</label>
      <input
        id={id('subscribe')}
        className="dest-code dest-wide-input"
        value={draft.subscribe}
        placeholder='type = "track"'
        onChange={(e) => onChange({ ...draft, subscribe: e.target.value })}
      />
      <label htmlFor={id('mapping')}>Mapping (JSON)</label>
      <textarea
        id={id('mapping')}
        className="dest-code"
        rows={4}
        spellCheck={false}
        value={draft.mapping}
        onChange={(e) => onChange({ ...draft, mapping: e.target.value })}
      />
      <p className="help">
        Fields left out take the action’s defaults. {action && `Fields: ${fieldList(action)}.`}
      </p>
      <button type="button" className="button secondary small" onClick={onRemove}>
        Remove subscription
      </button>
    </fieldset>
  )
}

interface SubscriptionsEditorProps {
  detail: CatalogDetail
  drafts: SubscriptionDraft[]
  onChange: (drafts: SubscriptionDraft[]) => void
}

/** A catalog destination's subscriptions: which action runs for which events, and how. */
export function SubscriptionsEditor({ detail, drafts, onChange }: SubscriptionsEditorProps) {
  const actions = actionsOf(detail)
  const add = (): void => {
    const [key, action] = actions[0] ?? ['', undefined]
    onChange([
      ...drafts,
      {
        name: '',
        partnerAction: key,
        subscribe: action?.defaultSubscription ?? 'type = "track"',
        mapping: '{}',
        enabled: true,
      },
    ])
  }
  return (
    <div className="dest-subscriptions">
      {drafts.length === 0 && (
        <p className="muted">No subscriptions: the catalog’s default setup runs.</p>
      )}
      {drafts.map((draft, i) => (
        <SubscriptionRow
          key={i}
          index={i}
          draft={draft}
          actions={actions}
          onChange={(next) => onChange(drafts.map((d, j) => (j === i ? next : d)))}
          onRemove={() => onChange(drafts.filter((_, j) => j !== i))}
        />
      ))}
      <div className="dest-actions">
        <button
          type="button"
          className="button secondary"
          onClick={add}
          disabled={actions.length === 0}
        >
          Add subscription
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={() => onChange(presetDrafts(detail))}
        >
          Reset to the default setup
        </button>
      </div>
    </div>
  )
}
