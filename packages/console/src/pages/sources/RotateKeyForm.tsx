import { useState } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { useFormSubmit } from '../../components/useFormSubmit'

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
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    onRotated(await api.rotateWriteKey(sourceId, Number(grace)))
  })

  return (
    <form className="inline-form" aria-label="Rotate write key" onSubmit={onSubmit}>
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
