import type { Collection } from '../../api/identity-types'

export const TABS = [
  'traits',
  'identities',
  'links',
  'timeline',
  'graph',
  'history',
  'explain',
  'split',
] as const

export type Tab = (typeof TABS)[number]

export function toTab(text: string): Tab {
  return (TABS as readonly string[]).includes(text) ? (text as Tab) : 'traits'
}

export function tabLabel(tab: Tab, collection: Collection): string {
  switch (tab) {
    case 'traits':
      return 'Traits'
    case 'identities':
      return 'Identities'
    case 'links':
      return collection === 'users' ? 'Accounts' : 'Users'
    case 'timeline':
      return 'Timeline'
    case 'graph':
      return 'Identity graph'
    case 'history':
      return 'Merge history'
    case 'explain':
      return 'Explain'
    case 'split':
      return 'Split'
  }
}
