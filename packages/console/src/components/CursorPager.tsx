import type { CursorPages } from './useCursorPages'

/** "Previous" and "Next" under a cursor-paged table, with the page number. */
export function CursorPager({ pages, label }: { pages: CursorPages<unknown>; label: string }) {
  if (!pages.hasNext && !pages.hasPrevious) return null
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button secondary small"
        disabled={!pages.hasPrevious || pages.loading}
        onClick={pages.previous}
      >
        ← Previous
      </button>
      <span className="muted small" data-testid="pager-page">
        Page {pages.page}
      </span>
      <button
        type="button"
        className="button secondary small"
        disabled={!pages.hasNext || pages.loading}
        onClick={pages.next}
      >
        Next →
      </button>
    </nav>
  )
}
