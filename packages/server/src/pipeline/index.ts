/**
 * The pipeline: consumers that follow the event log and apply it to the stores, in offset
 * order. See README.md.
 */
export {
  startPipelineRunner,
  type PipelineRunner,
  type PipelineRunnerOptions,
} from './pipeline-runner.js'
export { createOffsetWaiters, type OffsetWaiters } from './offset-waiters.js'
export { startFollowLoop, type FollowLoop, type FollowLoopOptions } from './follow-loop.js'
export { createYieldSignal, yieldSignalOn, type YieldSignal } from './yield-signal.js'
