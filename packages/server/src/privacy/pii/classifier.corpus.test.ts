import { describe, expect, it } from 'vitest'
import { createClassifier } from './classifier.js'
import { PII_CORPUS } from './corpus/index.js'
import { evaluate, formatEvaluation } from './corpus/evaluate.js'
import { PII_CLASSES } from './model.js'

describe('PII classifier on the labelled corpus', () => {
  const result = evaluate(createClassifier(), PII_CORPUS)

  it('has a corpus of at least 400 fields, a third of them hard negatives', () => {
    expect(PII_CORPUS.length).toBeGreaterThanOrEqual(400)
    expect(PII_CORPUS.filter(([, , kind]) => kind === null).length).toBeGreaterThan(
      PII_CORPUS.length / 3,
    )
  })

  it('reaches precision and recall of at least 0.95 per class and overall', () => {
    console.log(`PII corpus (${PII_CORPUS.length} fields)\n${formatEvaluation(result)}`)
    for (const m of result.mistakes) {
      console.log(
        `  miss ${m.path} = ${JSON.stringify(m.value)}: expected ${m.expected}, got ${m.got}`,
      )
    }
    for (const c of PII_CLASSES) {
      expect(result.perClass[c].precision, `${c} precision`).toBeGreaterThanOrEqual(0.95)
      expect(result.perClass[c].recall, `${c} recall`).toBeGreaterThanOrEqual(0.95)
    }
    expect(result.overall.precision).toBeGreaterThanOrEqual(0.95)
    expect(result.overall.recall).toBeGreaterThanOrEqual(0.95)
  })
})
