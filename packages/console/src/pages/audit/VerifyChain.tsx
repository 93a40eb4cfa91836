import { useState } from 'react'
import type { AuditVerification } from '../../api/governance-types'
import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { errorMessage } from '../../components/useLoad'
import { auditApi } from './auditApi'

const REASON: Record<NonNullable<AuditVerification['reason']>, string> = {
  hash: 'its hash does not match its content',
  link: 'it does not link to the entry before it',
  gap: 'entries before it are missing',
}

function Result({ result }: { result: AuditVerification }) {
  if (result.intact) {
    return (
      <p className="audit-verify intact" role="status" data-testid="verify-result">
        Chain intact: {result.checked} entries checked.
      </p>
    )
  }
  return (
    <p className="audit-verify broken" role="status" data-testid="verify-result">
      Chain broken at entry {result.firstBrokenId ?? '?'}:{' '}
      {result.reason ? REASON[result.reason] : 'unknown reason'} ({result.checked} entries checked).
    </p>
  )
}

/** Walks the hash chain of the whole log and says whether it is intact. */
export function VerifyChain() {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<AuditVerification | null>(null)
  const [error, setError] = useState<string | null>(null)
  const verify = (): void => {
    setBusy(true)
    setError(null)
    setResult(null)
    auditApi.verify(api).then(
      (answer) => {
        setResult(answer)
        setBusy(false)
      },
      (err: unknown) => {
        setError(errorMessage(err))
        setBusy(false)
      },
    )
  }
  return (
    <div className="audit-verify-box">
      <button type="button" className="button secondary" disabled={busy} onClick={verify}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      {result && <Result result={result} />}
      <ErrorNote error={error} />
    </div>
  )
}
