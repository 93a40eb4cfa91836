import { useCallback, useEffect, useRef, useState } from 'react'
import type { Page } from '../../api/types'
import { errorMessage } from '../../components/useLoad'

export interface Paged<T> {
  items: T[]
  /** True while a page is loading. */
  loading: boolean
  error: string | null
  /** Whether the API said there is more. */
  hasMore: boolean
  loadMore: () => void
}

/**
 * A cursor-paged list: loads the first page on mount and when `deps` change (starting over),
 * and appends the next page on `loadMore()`. Results of superseded runs are dropped.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const [items, setItems] = useState<T[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(load, deps)
  const generation = useRef(0)

  const fetchPage = useCallback(
    (cursor: string | undefined, append: boolean) => {
      const mine = ++generation.current
      setLoading(true)
      run(cursor).then(
        (page) => {
          if (mine !== generation.current) return
          setItems((old) => (append ? [...old, ...page.data] : page.data))
          setNext(page.next)
          setError(null)
          setLoading(false)
        },
        (err: unknown) => {
          if (mine !== generation.current) return
          setError(errorMessage(err))
          setLoading(false)
        },
      )
    },
    [run],
  )

  useEffect(() => {
    setItems([])
    setNext(null)
    fetchPage(undefined, false)
    return () => {
      generation.current++
    }
  }, [fetchPage])

  const loadMore = useCallback(() => {
    if (next) fetchPage(next, true)
  }, [fetchPage, next])

  return { items, loading, error, hasMore: next !== null, loadMore }
}
