import { useState, type FormEvent, type ReactNode } from 'react'
import { REGULATION_TYPES, type RegulationType } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useFormSubmit } from '../../components/useFormSubmit'
import { navigate } from '../../router'
import { isDeleting, parseIds, requestUrl, SUBJECT_TYPES, TYPE_HELP } from './model'
import { requestsApi, type CreateRegulation } from './requestsApi'

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="request-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  )
}

function ConfirmDelete({
  request,
  busy,
  onConfirm,
  onCancel,
}: {
  request: CreateRegulation
  busy: boolean
  onConfirm: (e: FormEvent<HTMLFormElement>) => void
  onCancel: () => void
}) {
  const n = request.subjectIds.length
  return (
    <form
      className="danger-zone request-confirm"
      data-testid="request-confirm"
      aria-label="Confirm deletion"
      onSubmit={onConfirm}
    >
      <p>
        {request.regulationType} erases every stored event, profile and identifier of {n}{' '}
        {n === 1 ? 'subject' : 'subjects'} ({request.subjectIds.join(', ')}). This cannot be undone.
      </p>
      <button type="submit" className="button danger" disabled={busy}>
        {busy ? 'Creating…' : 'Confirm deletion'}
      </button>
      <button type="button" className="button secondary" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </form>
  )
}

/** Creates a data-subject request; deleting types ask for a confirmation first. */
export function CreateRequestForm() {
  const api = useApi()
  const [type, setType] = useState<RegulationType>('DELETE_INTERNAL')
  const [subjectType, setSubjectType] = useState<string>('USER_ID')
  const [ids, setIds] = useState('')
  const [pending, setPending] = useState<CreateRegulation | null>(null)
  const create = async (body: CreateRegulation): Promise<void> => {
    const id = await requestsApi.create(api, body)
    navigate(requestUrl(id))
  }
  const form = useFormSubmit(async () => {
    const body = { regulationType: type, subjectType, subjectIds: parseIds(ids) }
    if (body.subjectIds.length === 0) throw new Error('Enter at least one subject id.')
    if (isDeleting(type)) setPending(body)
    else await create(body)
  })
  const confirm = useFormSubmit(async () => {
    if (pending) await create(pending)
  })
  return (
    <div className="card">
      <h2>New request</h2>
      <form className="request-form" aria-label="New request" onSubmit={form.onSubmit}>
        <Field id="request-type" label="Type">
          <select
            id="request-type"
            value={type}
            onChange={(e) => setType(e.target.value as RegulationType)}
          >
            {REGULATION_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
        <Field id="request-subject-type" label="Subject type">
          <input
            id="request-subject-type"
            list="subject-types"
            required
            value={subjectType}
            onChange={(e) => setSubjectType(e.target.value)}
          />
          <datalist id="subject-types">
            {SUBJECT_TYPES.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </Field>
        <Field id="request-ids" label="Subject ids (one per line)">
          <textarea
            id="request-ids"
            rows={3}
            required
            value={ids}
            onChange={(e) => setIds(e.target.value)}
          />
        </Field>
        <p className="help">{TYPE_HELP[type]}</p>
        {!pending && (
          <button type="submit" className="button" disabled={form.busy}>
            Create request
          </button>
        )}
      </form>
      {pending && (
        <ConfirmDelete
          request={pending}
          busy={confirm.busy}
          onConfirm={confirm.onSubmit}
          onCancel={() => setPending(null)}
        />
      )}
      <ErrorNote error={form.error ?? confirm.error} />
    </div>
  )
}
