/**
 * Pairwise precision and recall of a clustering against the truth: over every pair of
 * items, precision is the share of pairs put together that truly belong together, recall the
 * share of pairs that belong together that were put together.
 */

/** One item: its true cluster and the predicted one (null: in no cluster). */
export interface Assignment {
  truth: string | null
  predicted: string | null
}

export interface PairwiseScore {
  /** 1 when no pair was predicted together. */
  precision: number
  /** 1 when no pair truly belongs together. */
  recall: number
  /** Items scored (truth not null). */
  items: number
  truePairs: number
  predictedPairs: number
  correctPairs: number
  /** Items with no truth that were still put in a cluster (should be 0). */
  unexpectedlyResolved: number
  /** Items with a truth that were put in no cluster. */
  unresolved: number
}

const pairs = (n: number): number => (n * (n - 1)) / 2

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

/**
 * Scores `items`. Items whose truth is null (belonging to no profile) are left out of the
 * pairs and counted in `unexpectedlyResolved` when predicted anyway; an item predicted null
 * but with a truth is a cluster of its own. Linear in the number of items.
 */
export function scorePairs(items: readonly Assignment[]): PairwiseScore {
  const byTruth = new Map<string, number>()
  const byPredicted = new Map<string, number>()
  const byBoth = new Map<string, number>()
  let scored = 0
  let unexpectedlyResolved = 0
  let unresolved = 0
  for (const item of items) {
    if (item.truth === null) {
      if (item.predicted !== null) unexpectedlyResolved++
      continue
    }
    scored++
    bump(byTruth, item.truth)
    if (item.predicted === null) {
      unresolved++
      continue
    }
    bump(byPredicted, item.predicted)
    bump(byBoth, `${item.truth}\u0000${item.predicted}`)
  }
  const sum = (counts: Map<string, number>): number => {
    let total = 0
    for (const n of counts.values()) total += pairs(n)
    return total
  }
  const truePairs = sum(byTruth)
  const predictedPairs = sum(byPredicted)
  const correctPairs = sum(byBoth)
  return {
    precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    items: scored,
    truePairs,
    predictedPairs,
    correctPairs,
    unexpectedlyResolved,
    unresolved,
  }
}
