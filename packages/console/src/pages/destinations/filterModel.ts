/** Destination filters as edited (numbers and field lists as text) and back. */
import type { DestinationFilter, FilterAction, FilterActionType } from '../../api/destination-types'

export interface ActionDraft {
  type: FilterActionType
  /** `sample`: share kept, 0 to 1. */
  percent: string
  /** `sample`: field to sample on consistently. */
  path: string
  /** `drop_properties` / `allow_properties`: `{"properties": ["email"]}` as JSON text. */
  fields: string
}

export interface FilterDraft {
  id?: string
  title: string
  enabled: boolean
  if: string
  actions: ActionDraft[]
}

export const ACTION_LABELS: Record<FilterActionType, string> = {
  drop: 'Drop the event',
  sample: 'Sample',
  drop_properties: 'Drop properties',
  allow_properties: 'Allow only properties',
}

export function newAction(type: FilterActionType = 'drop'): ActionDraft {
  return { type, percent: '0.5', path: '', fields: '{"properties": []}' }
}

export function newFilter(): FilterDraft {
  return { title: '', enabled: true, if: 'all', actions: [newAction()] }
}

function toActionDraft(action: FilterAction): ActionDraft {
  const draft = newAction(action.type)
  if (action.type === 'sample') {
    return { ...draft, percent: String(action.percent), path: action.path ?? '' }
  }
  if (action.type === 'drop') return draft
  return { ...draft, fields: JSON.stringify(action.fields) }
}

export function toDraft(filter: DestinationFilter): FilterDraft {
  return { ...filter, actions: filter.actions.map(toActionDraft) }
}

function fieldsOf(text: string, where: string): Record<string, string[]> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`${where}: fields must be JSON, e.g. {"properties": ["email"]}`)
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((k) => typeof k === 'string'))
  if (!ok) throw new Error(`${where}: fields map an object path to a list of keys`)
  return value as Record<string, string[]>
}

function toAction(draft: ActionDraft, where: string): FilterAction {
  switch (draft.type) {
    case 'drop':
      return { type: 'drop' }
    case 'sample': {
      const percent = Number(draft.percent)
      if (draft.percent.trim() === '' || !(percent >= 0 && percent <= 1)) {
        throw new Error(`${where}: the sample share is a number from 0 to 1`)
      }
      return draft.path.trim()
        ? { type: 'sample', percent, path: draft.path.trim() }
        : { type: 'sample', percent }
    }
    case 'drop_properties':
    case 'allow_properties':
      return { type: draft.type, fields: fieldsOf(draft.fields, where) }
  }
}

/** The filters of the drafts; throws an Error naming the first unreadable action. */
export function toFilters(drafts: FilterDraft[]): DestinationFilter[] {
  return drafts.map((draft, i) => ({
    ...(draft.id ? { id: draft.id } : {}),
    title: draft.title,
    enabled: draft.enabled,
    if: draft.if,
    actions: draft.actions.map((a, j) => toAction(a, `filter ${i + 1}, action ${j + 1}`)),
  }))
}

export const SAMPLE_EVENT = {
  type: 'track',
  event: 'Order Completed',
  userId: 'user-1',
  anonymousId: 'anon-1',
  properties: { orderId: 'o-1001', total: 42.5, currency: 'USD', email: 'jane@example.com' },
  context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
}
