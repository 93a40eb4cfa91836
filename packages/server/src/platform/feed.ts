/**
 * In-process publish/subscribe for one kind of item. Delivery is synchronous, in publish
 * order; a listener that throws is removed and the error is handed to `onError`.
 */
export interface Feed<T> {
  publish(items: readonly T[]): void
  subscribe(listener: (items: readonly T[]) => void): () => void
  size(): number
}

export function createFeed<T>(onError: (error: unknown) => void): Feed<T> {
  const listeners = new Set<(items: readonly T[]) => void>()
  return {
    publish(items) {
      if (items.length === 0) return
      for (const listener of listeners) {
        try {
          listener(items)
        } catch (error) {
          listeners.delete(listener)
          onError(error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    size: () => listeners.size,
  }
}
