/**
 * What routing asks about preferences: whether a person opted out of a channel (`email`,
 * `sms`, `push`, `whatsapp`, custom) or a content type (`newsletter`, `offers`, …). Answers
 * come from memory (the delivery engine holds the index; no I/O per event).
 */
import type { SubjectIdentifier } from './subjects.js'

export type PreferenceDimension = 'channel' | 'contentType'

/** A channel name in an {@link OptOutEntry} that stands for every channel (`frequency: never`). */
export const ALL_CHANNELS = '*'

export interface PreferenceIndex {
  /** True when a person with this identifier opted out of `name` on `dimension`. */
  optedOut(dimension: PreferenceDimension, name: string, identifier: SubjectIdentifier): boolean
}

/** Nobody opted out of anything. */
export const emptyPreferenceIndex: PreferenceIndex = { optedOut: () => false }

/** One identifier's opt-outs, as the index is built and shipped (plain data, serializable). */
export interface OptOutEntry {
  type: string
  value: string
  channels: string[]
  contentTypes: string[]
}

/** An index held in memory, rebuilt whole from entries (`replace`). */
export class InMemoryPreferenceIndex implements PreferenceIndex {
  #channels = new Map<string, Set<string>>()
  #contentTypes = new Map<string, Set<string>>()

  constructor(entries: readonly OptOutEntry[] = []) {
    this.replace(entries)
  }

  optedOut(dimension: PreferenceDimension, name: string, identifier: SubjectIdentifier): boolean {
    const key = `${identifier.type}\u0000${identifier.value}`
    const byName = dimension === 'channel' ? this.#channels : this.#contentTypes
    if (byName.get(name)?.has(key) === true) return true
    return dimension === 'channel' && this.#channels.get(ALL_CHANNELS)?.has(key) === true
  }

  replace(entries: readonly OptOutEntry[]): void {
    const channels = new Map<string, Set<string>>()
    const contentTypes = new Map<string, Set<string>>()
    const add = (map: Map<string, Set<string>>, name: string, key: string): void => {
      let set = map.get(name)
      if (!set) map.set(name, (set = new Set()))
      set.add(key)
    }
    for (const entry of entries) {
      const key = `${entry.type}\u0000${entry.value}`
      for (const c of entry.channels) add(channels, c, key)
      for (const t of entry.contentTypes) add(contentTypes, t, key)
    }
    this.#channels = channels
    this.#contentTypes = contentTypes
  }
}
