import { useCallback, useEffect, useState } from 'react'
import { errorMessage } from './useLoad'

/** One page of a cursor-paged API: its rows and the cursor of the following page (or null). */
export interface CursorPage<T> {
  data: T[]
  next: string | null
}

export interface CursorPages<T> {
  rows: T[]
  loading: boolean
  error: string | null
  /** 1-based number of the page shown. */
  page: number
  hasNext: boolean
  hasPrevious: boolean
  next: () => void
  previous: () => void
  /** Loads the page shown again (after a change). */
  reload: () => void
}

/**
 * Page-at-a-time browsing of a cursor-paged API: starts at the first page on mount and when
 * `deps` change, goes forward with the `next` cursor and back through the cursors already
 * seen. Results of superseded loads are dropped.
 */
export function useCursorPages<T>(
  load: (cursor: string | undefined) => Promise<CursorPage<T>>,
  deps: readonly unknown[],
): CursorPages<T> {
  // cursors[i] opens page i + 1; the first page has none.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined])
  const [result, setResult] = useState<CursorPage<T> | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [generation, setGeneration] = useState(0)
  const run = useCallback(load, deps)

  useEffect(() => setCursors([undefined]), [run])

  const cursor = cursors[cursors.length - 1]
  useEffect(() => {
    let current = true
    setLoading(true)
    run(cursor).then(
      (page) => {
        if (!current) return
        setResult(page)
        setError(null)
        setLoading(false)
      },
      (err: unknown) => {
        if (!current) return
        setError(errorMessage(err))
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
  }, [run, cursor, generation])

  const nextCursor = result?.next ?? null
  return {
    rows: result?.data ?? [],
    loading,
    error,
    page: cursors.length,
    hasNext: nextCursor !== null,
    hasPrevious: cursors.length > 1,
    next: () => {
      if (nextCursor !== null) setCursors((list) => [...list, nextCursor])
    },
    previous: () => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)),
    reload: () => setGeneration((g) => g + 1),
  }
}
