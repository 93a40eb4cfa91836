import { useState, type FormEvent } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'

const DEFAULT_GRACE_SECONDS = 86_400

/** Issues a new write key; the old one keeps working for the grace period. */
export function RotateKeyForm({
  sourceId,
  onRotated,
}: {
  sourceId: string
  onRotated: (source: Source) => void
}) {
  const api = useApi()
  const [grace, setGrace] = useState(String(DEFAULT_GRACE_SECONDS))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onRotated(await api.rotateWriteKey(sourceId, Number(grace)))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="inline-form" aria-label="Rotate write key" onSubmit={(e) => void submit(e)}>
      <label htmlFor="grace-seconds">Old key keeps working for (seconds)</label>
      <input
        id="grace-seconds"
        type="number"
        min={0}
        max={30 * 86_400}
        step={1}
        required
        value={grace}
        onChange={(e) => setGrace(e.target.value)}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Rotating…' : 'Rotate write key'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
