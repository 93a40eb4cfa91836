import type { RegulationStatus, RegulationTask } from './model.js'

const DONE: ReadonlySet<RegulationStatus> = new Set(['FINISHED', 'NOT_SUPPORTED', 'FAILED'])

/** True when the task will not run again. */
export const isTaskDone = (status: RegulationStatus): boolean => DONE.has(status)

/**
 * The overall status of a request from its tasks:
 * - any task not done: `INITIALIZED` when none has started, else `RUNNING`;
 * - every task `FINISHED` or `NOT_SUPPORTED` (a destination that cannot delete): `FINISHED`;
 * - a failed store task (Tessera's own data not erased): `FAILED`;
 * - only destination tasks failed: `PARTIAL_SUCCESS`.
 */
export function aggregateStatus(tasks: readonly Pick<RegulationTask, 'status' | 'kind'>[]) {
  let started = false
  let pending = false
  let storeFailed = false
  let destinationFailed = false
  for (const task of tasks) {
    if (!isTaskDone(task.status)) {
      pending = true
      if (task.status === 'RUNNING') started = true
      continue
    }
    started = true
    if (task.status !== 'FAILED') continue
    if (task.kind === 'destination') destinationFailed = true
    else storeFailed = true
  }
  let status: RegulationStatus
  if (pending) status = started ? 'RUNNING' : 'INITIALIZED'
  else if (storeFailed) status = 'FAILED'
  else if (destinationFailed) status = 'PARTIAL_SUCCESS'
  else status = 'FINISHED'
  return status
}
