import { FILTER_ACTION_TYPES, type FilterActionType } from '../../api/destination-types'
import { ACTION_LABELS, newAction, type ActionDraft, type FilterDraft } from './filterModel'

function ActionRow({
  id,
  action,
  onChange,
  onRemove,
}: {
  id: string
  action: ActionDraft
  onChange: (a: ActionDraft) => void
  onRemove: () => void
}) {
  return (
    <div className="dest-filter-action" data-testid="filter-action">
      <div>
        <label htmlFor={`${id}-type`}>Action</label>
        <select
          id={`${id}-type`}
          value={action.type}
          onChange={(e) => onChange({ ...action, type: e.target.value as FilterActionType })}
        >
          {FILTER_ACTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {ACTION_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      {action.type === 'sample' && (
        <>
          <div>
            <label htmlFor={`${id}-percent`}>Share kept (0–1)</label>
            <input
              id={`${id}-percent`}
              value={action.percent}
              onChange={(e) => onChange({ ...action, percent: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor={`${id}-path`}>Sample on (optional)</label>
            <input
              id={`${id}-path`}
              placeholder="userId"
              value={action.path}
              onChange={(e) => onChange({ ...action, path: e.target.value })}
            />
          </div>
        </>
      )}
      {(action.type === 'drop_properties' || action.type === 'allow_properties') && (
        <div className="grow">
          <label htmlFor={`${id}-fields`}>Fields (object path → keys)</label>
          <input
            id={`${id}-fields`}
            className="dest-code dest-wide-input"
            value={action.fields}
            onChange={(e) => onChange({ ...action, fields: e.target.value })}
          />
        </div>
      )}
      <button type="button" className="button secondary small" onClick={onRemove}>
        Remove action
      </button>
    </div>
  )
}

interface FilterEditorProps {
  index: number
  draft: FilterDraft
  readOnly: boolean
  onChange: (draft: FilterDraft) => void
  onRemove: () => void
}

/** One filter: a title, its FQL condition and its actions, in order. */
export function FilterEditor({ index, draft, readOnly, onChange, onRemove }: FilterEditorProps) {
  const id = `filter-${index}`
  const setAction = (j: number, a: ActionDraft): void =>
    onChange({ ...draft, actions: draft.actions.map((old, k) => (k === j ? a : old)) })
  return (
    <fieldset className="dest-filter" disabled={readOnly} data-testid="filter">
      <legend>{draft.title || `Filter ${index + 1}`}</legend>
      <div className="toolbar">
        <div>
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            value={draft.title}
            onChange={(e) => onChange({ ...draft, title: e.target.value })}
          />
        </div>
        <div className="grow">
          <label htmlFor={`${id}-if`}>If (FQL)</label>
          <input
            id={`${id}-if`}
            className="dest-code dest-wide-input"
            value={draft.if}
            placeholder='event = "Order Completed"'
            onChange={(e) => onChange({ ...draft, if: e.target.value })}
          />
        </div>
        <label className="radio dest-check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => onChange({ ...draft, enabled: e.target.checked })}
          />
          Enabled
        </label>
      </div>
      {draft.actions.map((action, j) => (
        <ActionRow
          key={j}
          id={`${id}-action-${j}`}
          action={action}
          onChange={(a) => setAction(j, a)}
          onRemove={() => onChange({ ...draft, actions: draft.actions.filter((_, k) => k !== j) })}
        />
      ))}
      <div className="dest-actions">
        <button
          type="button"
          className="button secondary small"
          onClick={() => onChange({ ...draft, actions: [...draft.actions, newAction()] })}
        >
          Add action
        </button>
        <button type="button" className="button secondary small" onClick={onRemove}>
          Remove filter
        </button>
      </div>
    </fieldset>
  )
}
