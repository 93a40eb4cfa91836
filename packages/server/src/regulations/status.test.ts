import { describe, expect, it } from 'vitest'
import type { RegulationStatus, TaskKind } from './model.js'
import { aggregateStatus } from './status.js'

const task = (kind: TaskKind, status: RegulationStatus) => ({ kind, status })

describe('aggregateStatus', () => {
  it('is INITIALIZED until a task starts, then RUNNING while any is pending', () => {
    expect(aggregateStatus([task('store', 'INITIALIZED'), task('store', 'INITIALIZED')])).toBe(
      'INITIALIZED',
    )
    expect(aggregateStatus([task('store', 'RUNNING'), task('store', 'INITIALIZED')])).toBe(
      'RUNNING',
    )
    expect(aggregateStatus([task('store', 'FINISHED'), task('store', 'INITIALIZED')])).toBe(
      'RUNNING',
    )
  })

  it('is FINISHED when every task finished or is not supported', () => {
    expect(aggregateStatus([])).toBe('FINISHED')
    expect(
      aggregateStatus([
        task('suppression', 'FINISHED'),
        task('store', 'FINISHED'),
        task('destination', 'NOT_SUPPORTED'),
      ]),
    ).toBe('FINISHED')
  })

  it('is FAILED when a store failed, PARTIAL_SUCCESS when only destinations did', () => {
    expect(aggregateStatus([task('store', 'FAILED'), task('destination', 'FINISHED')])).toBe(
      'FAILED',
    )
    expect(
      aggregateStatus([
        task('store', 'FINISHED'),
        task('destination', 'FAILED'),
        task('destination', 'FINISHED'),
      ]),
    ).toBe('PARTIAL_SUCCESS')
    expect(aggregateStatus([task('store', 'FAILED'), task('destination', 'FAILED')])).toBe('FAILED')
  })

  it('waits for pending tasks before reporting a failure', () => {
    expect(aggregateStatus([task('destination', 'FAILED'), task('store', 'INITIALIZED')])).toBe(
      'RUNNING',
    )
  })
})
