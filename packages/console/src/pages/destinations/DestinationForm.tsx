import { useMemo, useState } from 'react'
import type {
  CatalogDetail,
  DestinationConfig,
  DestinationRecord,
} from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { destinationsApi } from './destinationsApi'
import { DeliveryFields } from './DeliveryFields'
import { initialForm, settingsFields, slugify, toInput, type FormState } from './formModel'
import type { FieldSpec } from './settingsForm'
import { ErrorNote, Problems } from './parts'
import { SettingsFields } from './SettingsFields'
import { SourcePicker } from './SourcePicker'
import { SubscriptionsEditor } from './SubscriptionsEditor'

interface DestinationFormProps {
  detail: CatalogDetail
  /** The destination to edit; absent to create one. */
  original?: DestinationConfig
  onSaved: (record: DestinationRecord) => void
}

type Check = { kind: 'idle' } | { kind: 'valid' } | { kind: 'problems'; problems: string[] }

function NameFields({
  state,
  editing,
  onChange,
}: {
  state: FormState
  editing: boolean
  onChange: (s: FormState) => void
}) {
  const [idTouched, setIdTouched] = useState(editing)
  return (
    <div className="dest-fields">
      <div className="dest-field">
        <label htmlFor="dest-name">Name</label>
        <input
          id="dest-name"
          value={state.name}
          onChange={(e) =>
            onChange({
              ...state,
              name: e.target.value,
              id: idTouched ? state.id : slugify(e.target.value),
            })
          }
        />
      </div>
      <div className="dest-field">
        <label htmlFor="dest-id">
          ID <span className="required">*</span>
        </label>
        <input
          id="dest-id"
          required
          disabled={editing}
          value={state.id}
          onChange={(e) => {
            setIdTouched(true)
            onChange({ ...state, id: e.target.value })
          }}
        />
        <p className="help">Lower-case letters, digits, - and _; cannot change later.</p>
      </div>
      <div className="dest-field boolean">
        <label htmlFor="dest-enabled">Enabled</label>
        <input
          id="dest-enabled"
          type="checkbox"
          checked={state.enabled}
          onChange={(e) => onChange({ ...state, enabled: e.target.checked })}
        />
      </div>
    </div>
  )
}

interface SectionsProps {
  detail: CatalogDetail
  fields: FieldSpec[]
  state: FormState
  editing: boolean
  onChange: (state: FormState) => void
}

function FormSections({ detail, fields, state, editing, onChange: update }: SectionsProps) {
  return (
    <>
      <div className="card">
        <h2>Destination</h2>
        <NameFields state={state} editing={editing} onChange={update} />
        <SourcePicker
          value={state.sourceIds}
          onChange={(sourceIds) => update({ ...state, sourceIds })}
        />
      </div>
      <div className="card">
        <h2>Settings</h2>
        <SettingsFields
          fields={fields}
          values={state.settings}
          onChange={(settings) => update({ ...state, settings })}
        />
      </div>
      {detail.usesSubscriptions && (
        <div className="card">
          <h2>Subscriptions</h2>
          <SubscriptionsEditor
            detail={detail}
            drafts={state.subscriptions}
            onChange={(subscriptions) => update({ ...state, subscriptions })}
          />
        </div>
      )}
      <div className="card">
        <DeliveryFields state={state} onChange={update} />
      </div>
    </>
  )
}

interface FooterProps {
  check: Check
  error: string | null
  busy: boolean
  saveLabel: string
  onValidate: () => void
}

function FormFooter({ check, error, busy, saveLabel, onValidate }: FooterProps) {
  return (
    <>
      {check.kind === 'problems' && <Problems problems={check.problems} />}
      {check.kind === 'valid' && (
        <p className="dest-valid" data-testid="valid-note">
          The configuration is valid.
        </p>
      )}
      <ErrorNote error={error} />
      <div className="dest-actions">
        <button type="button" className="button secondary" disabled={busy} onClick={onValidate}>
          Validate
        </button>
        <button type="submit" className="button" disabled={busy}>
          {saveLabel}
        </button>
      </div>
    </>
  )
}

/** Configures a destination of one type: names, sources, settings, subscriptions, delivery. */
export function DestinationForm({ detail, original, onSaved }: DestinationFormProps) {
  const api = useApi()
  const fields = useMemo(() => settingsFields(detail), [detail])
  const [state, setState] = useState<FormState>(() => initialForm(detail, original))
  const [check, setCheck] = useState<Check>({ kind: 'idle' })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const update = (next: FormState): void => {
    setState(next)
    setCheck({ kind: 'idle' })
  }

  /** Reads the form and asks the server; returns the input when it is valid. */
  const validate = async () => {
    const { input, problems } = toInput(state, { type: detail.type, fields, original })
    const all =
      problems.length > 0 ? problems : (await destinationsApi.validate(api, input)).problems
    setCheck(all.length > 0 ? { kind: 'problems', problems: all } : { kind: 'valid' })
    return all.length > 0 ? null : input
  }
  const run = (save: boolean): void => {
    setBusy(true)
    setError(null)
    validate()
      .then(async (input) => {
        if (!input || !save) return
        onSaved(
          await (original
            ? destinationsApi.replace(api, original.id, input)
            : destinationsApi.create(api, input)),
        )
      })
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }

  return (
    <form
      className="dest-form"
      aria-label="Configure destination"
      onSubmit={(e) => {
        e.preventDefault()
        run(true)
      }}
    >
      <FormSections
        detail={detail}
        fields={fields}
        state={state}
        editing={original !== undefined}
        onChange={update}
      />
      <FormFooter
        check={check}
        error={error}
        busy={busy}
        saveLabel={original ? 'Save changes' : 'Create destination'}
        onValidate={() => run(false)}
      />
    </form>
  )
}
