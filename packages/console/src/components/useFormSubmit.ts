import { useState, type FormEvent } from 'react'
import { errorMessage } from './useLoad'

/**
 * State and handler of a form that runs one async action: `busy` while it runs, `error` (its
 * message, through `toMessage`) when it fails. The action's own success handling (navigation,
 * callbacks) happens inside it.
 */
export function useFormSubmit(
  action: () => Promise<void>,
  toMessage: (error: unknown) => string = errorMessage,
): { busy: boolean; error: string | null; onSubmit: (e: FormEvent<HTMLFormElement>) => void } {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (err) {
      setError(toMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return {
    busy,
    error,
    onSubmit: (e) => {
      e.preventDefault()
      void run()
    },
  }
}
