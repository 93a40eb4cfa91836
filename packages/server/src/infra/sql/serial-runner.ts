/** Runs async `work` one call at a time, in call order. */
export type SerialRunner = <T>(work: () => Promise<T>) => Promise<T>

/**
 * An in-process mutex as a function: each call starts once every earlier call has settled
 * (resolved or rejected), in the order of the calls. A rejection reaches only its own caller;
 * the queue goes on. Not reentrant: `work` that awaits a call of the same runner never ends.
 */
export function createSerialRunner(): SerialRunner {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(() => work())
    tail = run.catch(() => undefined)
    return run
  }
}
