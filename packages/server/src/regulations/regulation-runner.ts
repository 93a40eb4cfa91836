import type { Clock } from '../platform/clock.js'
import type {
  DestinationEraser,
  ErasureTarget,
  SubjectEventFinder,
  SubjectEvents,
} from './erasure-target.js'
import type { ErasureCounts, Regulation, RegulationTask } from './model.js'
import type { RegulationStore } from './regulation-store.js'
import { aggregateStatus, isTaskDone } from './status.js'

/** A task failing this many times in a row is `FAILED`. */
export const MAX_TASK_ATTEMPTS = 3

export interface RegulationRunnerDeps {
  store: RegulationStore
  targets: readonly ErasureTarget[]
  finder: SubjectEventFinder
  destinations: DestinationEraser
  /**
   * Resolves true once the store and identity consumers have applied the log up to
   * `position` (bounded wait; false when they have not yet: the request waits for a later pass).
   */
  waitForPipeline: (position: number) => Promise<boolean>
  clock: Clock
  /** Time between passes when nothing pokes the runner, in ms (retries wait this long). */
  intervalMs: number
  onError: (error: unknown) => void
}

export interface RegulationRunner {
  /** A request was created: run a pass soon. */
  poke(): void
  /** Resolves when the current pass is over (tests). */
  idle(): Promise<void>
  /** Stops after the task in progress. Idempotent. */
  stop(): Promise<void>
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

/**
 * The in-process job runner of regulations. Requests and their tasks are stored before the
 * runner sees them (`RegulationStore.create`), so a restart loses nothing: each pass reads the
 * unfinished requests, oldest first, and runs their unfinished tasks in order. A task is
 * marked `FINISHED` only after its erasure returned; an interrupted task runs again, which is
 * safe because erasure is idempotent. Store tasks run strictly in order (a failure stops the
 * request's pass, to be retried at the next pass, up to {@link MAX_TASK_ATTEMPTS}); destination
 * tasks are independent. One pass at a time.
 */
export function startRegulationRunner(deps: RegulationRunnerDeps): RegulationRunner {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  let again = false
  let timer: NodeJS.Timeout | null = null

  const schedule = (ms: number): void => {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(kick, ms)
    timer.unref()
  }
  function kick(): void {
    if (stopped) return
    again = true
    running = running.then(async () => {
      while (again && !stopped) {
        again = false
        await pass().catch(deps.onError)
      }
      schedule(deps.intervalMs)
    })
  }

  async function pass(): Promise<void> {
    for (const regulation of await deps.store.unfinished()) {
      if (stopped) return
      await runRegulation(regulation)
    }
  }

  async function runRegulation(regulation: Regulation): Promise<void> {
    if (!(await deps.waitForPipeline(regulation.logPosition))) return
    const tasks = await deps.store.tasks(regulation.id)
    if (regulation.status === 'INITIALIZED') {
      await deps.store.setStatus(regulation.id, 'RUNNING', null)
    }
    let events: SubjectEvents | null = null
    for (const task of tasks) {
      if (stopped) return
      if (isTaskDone(task.status)) continue
      if (task.kind === 'store') events ??= await deps.finder.find(regulation.subject)
      const ok = await runTask(regulation, task, events)
      if (!ok && task.kind === 'store') break
    }
    const after = await deps.store.tasks(regulation.id)
    const status = aggregateStatus(after)
    const done = status !== 'RUNNING' && status !== 'INITIALIZED'
    await deps.store.setStatus(regulation.id, status, done ? deps.clock.now() : null)
  }

  async function execute(
    regulation: Regulation,
    task: RegulationTask,
    events: SubjectEvents | null,
  ): Promise<ErasureCounts> {
    if (task.kind === 'destination') {
      return deps.destinations.erase(task.target, {
        regulationId: regulation.id,
        subject: regulation.subject,
      })
    }
    const target = deps.targets.find((t) => t.name === task.target)
    if (!target) throw new Error(`no store named '${task.target}'`)
    return target.erase(regulation.subject, events ?? { seqs: [], messageIds: [] })
  }

  /** Runs one task; true when it finished. */
  async function runTask(
    regulation: Regulation,
    task: RegulationTask,
    events: SubjectEvents | null,
  ): Promise<boolean> {
    const startedAt = task.startedAt ?? deps.clock.now()
    await deps.store.updateTask(regulation.id, task.position, { status: 'RUNNING', startedAt })
    try {
      const removed = await execute(regulation, task, events)
      await deps.store.updateTask(regulation.id, task.position, {
        status: 'FINISHED',
        removed,
        errString: null,
        finishedAt: deps.clock.now(),
      })
      return true
    } catch (error) {
      const attempts = task.attempts + 1
      const failed = attempts >= MAX_TASK_ATTEMPTS
      await deps.store.updateTask(regulation.id, task.position, {
        status: failed ? 'FAILED' : 'RUNNING',
        attempts,
        errString: messageOf(error),
        finishedAt: failed ? deps.clock.now() : null,
      })
      return false
    }
  }

  kick()
  return {
    poke: kick,
    idle: async () => {
      let seen: Promise<void> | null = null
      while (seen !== running) {
        seen = running
        await running
      }
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
