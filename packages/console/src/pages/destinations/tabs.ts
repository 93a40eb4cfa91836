export const TABS = [
  'overview',
  'delivery',
  'dead-letters',
  'filters',
  'tester',
  'backfill',
] as const

export type Tab = (typeof TABS)[number]

export function toTab(text: string): Tab {
  return (TABS as readonly string[]).includes(text) ? (text as Tab) : 'overview'
}

export function tabLabel(tab: Tab): string {
  switch (tab) {
    case 'overview':
      return 'Overview'
    case 'delivery':
      return 'Delivery'
    case 'dead-letters':
      return 'Dead letters'
    case 'filters':
      return 'Filters'
    case 'tester':
      return 'Event tester'
    case 'backfill':
      return 'Backfill'
  }
}
