import type { ErasureCounts, RegulationStatus } from './model.js'
import type { RegulationView } from './regulation-service.js'

/** The completion report of a request: what was removed where, and how long each step took. */
export interface RegulationReport {
  regulateId: string
  regulationType: string
  status: RegulationStatus
  subject: { profiles: number; identifiers: number }
  createdAt: number
  finishedAt: number | null
  /** From acceptance to the end of the last task, ms (null while running). */
  durationMs: number | null
  /**
   * From acceptance to the first store task's start, ms: the wait for the pipeline to pass the
   * request's log position and for the runner (null before it started).
   */
  queuedMs: number | null
  /** Rows removed per table, over every store. */
  totals: ErasureCounts
  steps: Array<{
    kind: string
    name: string
    id: string
    status: RegulationStatus
    removed: ErasureCounts
    durationMs: number | null
    errString: string | null
  }>
}

/** Builds the report of a request from its stored tasks (a pure function). */
export function buildReport(view: RegulationView): RegulationReport {
  const { regulation, tasks } = view
  const totals: ErasureCounts = {}
  for (const task of tasks) {
    if (task.kind !== 'store') continue
    for (const [table, n] of Object.entries(task.removed)) totals[table] = (totals[table] ?? 0) + n
  }
  const starts = tasks
    .filter((t) => t.kind === 'store' && t.startedAt !== null)
    .map((t) => t.startedAt ?? 0)
  const firstStart = starts.length === 0 ? null : Math.min(...starts)
  return {
    regulateId: regulation.id,
    regulationType: regulation.type,
    status: regulation.status,
    subject: {
      profiles: regulation.subject.profileIds.length,
      identifiers: regulation.subject.identifiers.length,
    },
    createdAt: regulation.createdAt,
    finishedAt: regulation.finishedAt,
    durationMs:
      regulation.finishedAt === null ? null : regulation.finishedAt - regulation.createdAt,
    queuedMs: firstStart === null ? null : firstStart - regulation.createdAt,
    totals,
    steps: tasks.map((t) => ({
      kind: t.kind,
      name: t.name,
      id: t.target,
      status: t.status,
      removed: t.removed,
      durationMs: t.startedAt !== null && t.finishedAt !== null ? t.finishedAt - t.startedAt : null,
      errString: t.errString,
    })),
  }
}
