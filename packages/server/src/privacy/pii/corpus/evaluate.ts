/**
 * Runs a classifier over a labelled corpus: the confusion of classes, precision and recall per
 * class and overall (micro-averaged over the PII classes), and the misclassified fields.
 */
import type { PiiClassifier } from '../classifier.js'
import { DEFAULT_CLASS_OF, PII_CLASSES } from '../model.js'
import type { LabelledField } from './types.js'

export type Label = (typeof PII_CLASSES)[number] | 'none'
export const LABELS: readonly Label[] = [...PII_CLASSES, 'none']

export interface Scores {
  precision: number
  recall: number
  support: number
}

export interface Evaluation {
  /** confusion[expected][predicted] = count */
  confusion: Record<Label, Record<Label, number>>
  perClass: Record<(typeof PII_CLASSES)[number], Scores>
  overall: Scores
  /** Fields whose class, or whose kind, is wrong. */
  mistakes: { path: string; value: unknown; expected: string; got: string }[]
}

const labelOf = (kind: string | null): Label =>
  kind === null ? 'none' : (DEFAULT_CLASS_OF[kind] ?? 'personal')

export function evaluate(classifier: PiiClassifier, corpus: readonly LabelledField[]): Evaluation {
  const confusion = Object.fromEntries(
    LABELS.map((e) => [e, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
  ) as Record<Label, Record<Label, number>>
  const mistakes: Evaluation['mistakes'] = []
  for (const [path, value, kind] of corpus) {
    const got = classifier.classify(path.split('.'), value)
    const expected = labelOf(kind)
    const predicted: Label = got?.class ?? 'none'
    confusion[expected][predicted]++
    if (expected !== predicted || (got?.kind ?? null) !== kind) {
      mistakes.push({
        path,
        value,
        expected: kind ?? 'none',
        got: got ? `${got.kind} (${got.matcher})` : 'none',
      })
    }
  }
  const scores = (classes: readonly Label[]): Scores => {
    let tp = 0
    let predicted = 0
    let actual = 0
    for (const c of classes) {
      tp += confusion[c][c]
      for (const other of LABELS) {
        predicted += confusion[other][c]
        actual += confusion[c][other]
      }
    }
    return {
      precision: predicted === 0 ? 1 : tp / predicted,
      recall: actual === 0 ? 1 : tp / actual,
      support: actual,
    }
  }
  const perClass = Object.fromEntries(
    PII_CLASSES.map((c) => [c, scores([c])]),
  ) as Evaluation['perClass']
  return { confusion, perClass, overall: scores(PII_CLASSES), mistakes }
}

/** The confusion table and the scores as text, for logs. */
export function formatEvaluation(e: Evaluation): string {
  const pad = (s: string | number, n = 11): string => String(s).padStart(n)
  const lines = [`${pad('expected\\got')}${LABELS.map((l) => pad(l)).join('')}`]
  for (const row of LABELS) {
    lines.push(`${pad(row)}${LABELS.map((col) => pad(e.confusion[row][col])).join('')}`)
  }
  for (const c of PII_CLASSES) {
    const s = e.perClass[c]
    lines.push(
      `${c}: precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)} (n=${s.support})`,
    )
  }
  lines.push(
    `overall: precision ${e.overall.precision.toFixed(3)} recall ${e.overall.recall.toFixed(3)} (n=${e.overall.support})`,
  )
  return lines.join('\n')
}
