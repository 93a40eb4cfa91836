export const TABS = ['rules', 'versions', 'sources', 'violations', 'schema', 'quarantine'] as const

export type Tab = (typeof TABS)[number]

export function toTab(text: string): Tab {
  return (TABS as readonly string[]).includes(text) ? (text as Tab) : 'rules'
}

export function tabLabel(tab: Tab): string {
  switch (tab) {
    case 'rules':
      return 'Rules'
    case 'versions':
      return 'Versions'
    case 'sources':
      return 'Sources'
    case 'violations':
      return 'Violations'
    case 'schema':
      return 'Observed schema'
    case 'quarantine':
      return 'Quarantine'
  }
}

/** Plan routes: `/tracking-plans/:id` and `/tracking-plans/:id/:tab`. */
export function planUrl(id: string, tab?: Tab): string {
  const base = `/tracking-plans/${encodeURIComponent(id)}`
  return tab && tab !== 'rules' ? `${base}/${tab}` : base
}

/** A local date and time of an ISO string, or a dash. */
export function formatIso(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}
