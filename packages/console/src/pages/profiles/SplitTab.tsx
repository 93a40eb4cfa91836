import { useState } from 'react'
import type { ProfileDetail, SplitRequest, SplitResult } from '../../api/identity-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import { ErrorNote } from './parts'
import { profilesApi } from './profilesApi'
import { describeSplit, SplitForm } from './SplitForm'
import { SplitOutcome } from './SplitOutcome'

interface ConfirmProps {
  request: SplitRequest
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}

function ConfirmSplit({ request, busy, onConfirm, onCancel }: ConfirmProps) {
  return (
    <div className="danger-zone split-confirm" data-testid="split-confirm">
      <p>
        {describeSplit(request)} Reason: “{request.reason}”.
      </p>
      <button type="button" className="button danger" disabled={busy} onClick={onConfirm}>
        {busy ? 'Splitting…' : 'Confirm split'}
      </button>
      <button type="button" className="button secondary" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}

/** Undo a wrong merge: store a block or separate override and re-resolve the events. */
export function SplitTab({
  profile,
  onChanged,
}: {
  profile: ProfileDetail
  onChanged: () => void
}) {
  const api = useApi()
  const [request, setRequest] = useState<SplitRequest | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<{ done: SplitResult; before: ProfileDetail } | null>(null)
  const confirm = (): void => {
    if (!request) return
    const before = profile
    setBusy(true)
    setError(null)
    profilesApi.split(api, profile.id, request).then(
      (done) => {
        setResult({ done, before })
        setRequest(null)
        setBusy(false)
        onChanged()
      },
      (err: unknown) => {
        setError(errorMessage(err))
        setBusy(false)
      },
    )
  }
  if (result) return <SplitOutcome result={result.done} before={result.before} />
  return (
    <>
      <p className="help tab-intro">
        A split is kept as an override that every later resolution honours; the events of the
        profile are resolved again at once.
      </p>
      {request ? (
        <ConfirmSplit
          request={request}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => setRequest(null)}
        />
      ) : (
        <SplitForm profile={profile} onReview={setRequest} />
      )}
      <ErrorNote error={error} />
    </>
  )
}
