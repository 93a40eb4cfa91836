import { useState } from 'react'
import { useApi } from '../../auth'
import { plansApi } from './plansApi'
import { planErrorText } from './ruleModel'

export interface QuarantineActions {
  note: string | null
  error: string | null
  setNote: (note: string | null) => void
  /** Replays the events in one call, oldest first; reports replayed and failed ones. */
  replay: (ids: string[]) => Promise<void>
  /** Discards the events one by one; stops at the first failure. */
  discard: (ids: string[]) => Promise<void>
}

/** Replay and discard with their outcome as a note or an error; `done` runs after success. */
export function useQuarantineActions(done: () => void): QuarantineActions {
  const api = useApi()
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const act = async (action: () => Promise<string>): Promise<void> => {
    setError(null)
    setNote(null)
    try {
      setNote(await action())
      done()
    } catch (err) {
      setError(planErrorText(err))
    }
  }
  return {
    note,
    error,
    setNote,
    replay: (ids) =>
      act(async () => {
        const result = await plansApi.replay(api, ids)
        const failed = result.failed.map((f) => `${f.id}: ${f.code}`).join(', ')
        return `Replayed ${result.replayed}${failed ? `; failed ${failed}` : ''}.`
      }),
    discard: (ids) =>
      act(async () => {
        for (const id of ids) await plansApi.discard(api, id)
        return `Discarded ${ids.length}.`
      }),
  }
}
