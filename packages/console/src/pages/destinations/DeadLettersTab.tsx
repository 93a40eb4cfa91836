import { useCallback, useEffect, useState } from 'react'
import type { DeadLetter, DeadLetterSelector } from '../../api/destination-types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import type { ApiClient } from '../../api/client'
import { BulkActions, type BulkKind } from './DeadLetterActions'
import { DeadLetterFilter, type DeadLetterQuery } from './DeadLetterFilter'
import { DeadLetterTable } from './DeadLetterTable'
import { destinationsApi } from './destinationsApi'
import { localToMs } from './format'
import { ErrorNote } from './parts'

const PAGE_SIZE = 100

function matching(query: DeadLetterQuery): { from?: number; to?: number; errorCode?: string } {
  return {
    from: localToMs(query.from),
    to: localToMs(query.to),
    errorCode: query.errorCode.trim() || undefined,
  }
}

/** Pages of dead letters for `query`; `load()` starts over, `load(cursor)` appends. */
function useDeadLetterPages(api: ApiClient, id: string, query: DeadLetterQuery) {
  const [items, setItems] = useState<DeadLetter[]>([])
  const [next, setNext] = useState<string | null>(null)
  const load = useCallback(
    async (cursor?: string) => {
      const page = await destinationsApi.deadLetters(api, id, {
        ...matching(query),
        includeReplayed: query.includeReplayed ? 'true' : undefined,
        limit: PAGE_SIZE,
        cursor,
      })
      setItems((old) => (cursor ? [...old, ...page.data] : page.data))
      setNext(page.next)
    },
    [api, id, query],
  )
  return { items, next, load }
}

/** The destination's dead letters: filter, select, replay or delete (or all that match). */
export function DeadLettersTab({ id }: { id: string }) {
  const api = useApi()
  const [query, setQuery] = useState<DeadLetterQuery>({
    errorCode: '',
    from: '',
    to: '',
    includeReplayed: false,
  })
  const { items, next, load } = useDeadLetterPages(api, id, query)
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = (action: () => Promise<string | void>): void => {
    setBusy(true)
    setError(null)
    action()
      .then((message) => message && setNotice(message))
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setBusy(false))
  }
  useEffect(() => {
    setSelected(new Set())
    run(() => load())
    // Starts over whenever the query (and so `load`) changes.
  }, [load])

  const bulk = (kind: BulkKind, selector: DeadLetterSelector): void =>
    run(async () => {
      const n =
        kind === 'replay'
          ? (await destinationsApi.replay(api, id, selector)).replayed
          : (await destinationsApi.deleteDeadLetters(api, id, selector)).deleted
      setSelected(new Set())
      await load()
      return `${kind === 'replay' ? 'Replayed' : 'Deleted'} ${n} dead letter${n === 1 ? '' : 's'}.`
    })
  const ids = { ids: [...selected] }

  return (
    <>
      <DeadLetterFilter initial={query} onApply={setQuery} />
      <BulkActions
        busy={busy}
        selected={selected.size}
        hasItems={items.length > 0}
        onBulk={(kind, scope) => bulk(kind, scope === 'selected' ? ids : matching(query))}
      />
      {notice && (
        <p className="dest-valid" role="status" data-testid="dead-letter-notice">
          {notice}
        </p>
      )}
      <ErrorNote error={error} />
      {items.length > 0 ? (
        <DeadLetterTable items={items} selected={selected} onSelect={setSelected} />
      ) : (
        !busy && (
          <p className="muted" data-testid="no-dead-letters">
            No dead letters match.
          </p>
        )
      )}
      {next && (
        <div className="load-more">
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            onClick={() => run(() => load(next))}
          >
            Load more
          </button>
        </div>
      )}
    </>
  )
}
