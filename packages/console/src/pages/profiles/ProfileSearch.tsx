import { useState } from 'react'
import type { Collection } from '../../api/identity-types'
import { useApi } from '../../auth'
import { profilesApi } from './profilesApi'
import { ErrorNote, LoadMore } from './parts'
import { ProfileTable } from './ProfileTable'
import { usePaged } from './usePaged'

const PAGE_SIZE = 50

interface SearchState {
  q: string
  collection: Collection
}

function readSearch(): SearchState {
  const params = new URLSearchParams(window.location.search)
  return {
    q: params.get('q') ?? '',
    collection: params.get('collection') === 'accounts' ? 'accounts' : 'users',
  }
}

/** Keeps the search in the address, so back from a profile returns to the same results. */
function writeSearch({ q, collection }: SearchState): void {
  const params = new URLSearchParams()
  if (q) params.set('q', q)
  if (collection !== 'users') params.set('collection', collection)
  const query = params.toString()
  window.history.replaceState(null, '', `/profiles${query ? `?${query}` : ''}`)
}

function SearchForm({
  initial,
  onSearch,
}: {
  initial: SearchState
  onSearch: (s: SearchState) => void
}) {
  const [q, setQ] = useState(initial.q)
  const [collection, setCollection] = useState<Collection>(initial.collection)
  return (
    <form
      className="toolbar"
      role="search"
      aria-label="Search profiles"
      onSubmit={(e) => {
        e.preventDefault()
        onSearch({ q: q.trim(), collection })
      }}
    >
      <div className="grow">
        <label htmlFor="profile-q">Identifier or trait</label>
        <input
          id="profile-q"
          className="search-input"
          type="search"
          placeholder="jane@example.com, user_id:42, anonymous id, a name…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor="profile-collection">Collection</label>
        <select
          id="profile-collection"
          value={collection}
          onChange={(e) => {
            const next = e.target.value === 'accounts' ? 'accounts' : 'users'
            setCollection(next)
            onSearch({ q: q.trim(), collection: next })
          }}
        >
          <option value="users">Users</option>
          <option value="accounts">Accounts</option>
        </select>
      </div>
      <button type="submit" className="button">
        Search
      </button>
    </form>
  )
}

/** `/profiles`: find profiles by any identifier or trait value. */
export function ProfileSearch() {
  const api = useApi()
  const [search, setSearch] = useState(readSearch)
  const results = usePaged(
    (cursor) =>
      profilesApi.search(api, {
        q: search.q,
        collection: search.collection,
        limit: PAGE_SIZE,
        cursor,
      }),
    [api, search],
  )
  const onSearch = (next: SearchState): void => {
    writeSearch(next)
    setSearch(next)
  }

  return (
    <section className="page">
      <div className="page-header">
        <h1>Profiles</h1>
        <p className="muted">
          Every person (users) and company (accounts) resolved from the events, with the
          identifiers, traits and events joined on each.
        </p>
      </div>
      <div className="card">
        <SearchForm initial={search} onSearch={onSearch} />
      </div>
      <ErrorNote error={results.error} />
      <div className="card">
        <h2>{search.q ? `Results for “${search.q}”` : `Recently seen ${search.collection}`}</h2>
        {results.items.length > 0 && (
          <ProfileTable profiles={results.items} label="Profiles found" />
        )}
        {!results.loading && !results.error && results.items.length === 0 && (
          <p className="muted" data-testid="no-profiles">
            No {search.collection} match.
          </p>
        )}
        <LoadMore hasMore={results.hasMore} loading={results.loading} onClick={results.loadMore} />
      </div>
    </section>
  )
}
