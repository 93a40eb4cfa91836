import { useEffect } from 'react'

/** Destination state and lag change on their own: reload every `ms` while the page is open. */
export function useRefresh(reload: () => void, ms = 5_000): void {
  useEffect(() => {
    const timer = window.setInterval(reload, ms)
    return () => window.clearInterval(timer)
  }, [reload, ms])
}
