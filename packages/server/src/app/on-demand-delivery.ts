/**
 * Runs the delivery engine only while there is something to deliver to: a platform with no
 * destination does not keep the engine's worker thread (its V8 heap, SQLite connections and
 * timers) alive.
 */
import type { OptOutEntry } from '../consent/index.js'
import type { DestinationConfig } from '../destinations/index.js'
import type { DeliveryHost } from './delivery-host.js'
import type { RestrictedIdentifier } from './delivery-runtime.js'

/** What a started engine is handed: the latest lists, each whole. */
export interface DeliveryState {
  configs: DestinationConfig[]
  optOuts: OptOutEntry[]
  restricted: RestrictedIdentifier[]
}

interface Running {
  host: DeliveryHost
  /** The lists the engine has (references: every change replaces a list whole). */
  sent: DeliveryState
}

/**
 * A {@link DeliveryHost} that starts the real one (`start`) once at least one destination is
 * configured, and stops it when the last one is removed. Resolves once the engine is running
 * (or found not needed); a failed first start rejects, as starting the engine directly would.
 *
 * Ordering: starts, stops and list changes run one at a time, in call order. A started engine
 * gets the lists as they are when it starts, then every list changed while it was starting, so
 * it ends with the latest of each. `setOptOuts` and `setRestricted` resolve once the running
 * engine uses the list, or at once when no engine runs (the next one starts with it). `stop`
 * stops the engine for good and rejects if that fails.
 * Failure: a start that fails later (after a destination was added) goes to `onError` and is
 * tried again at the next change; until then `status()` is empty and pokes are dropped, which
 * loses nothing, as an engine reads each lane from its committed offset when it starts.
 */
export async function startOnDemandDelivery(options: {
  state: DeliveryState
  start: (state: DeliveryState) => Promise<DeliveryHost>
  onError: (error: unknown) => void
}): Promise<DeliveryHost> {
  const state: DeliveryState = { ...options.state }
  let running: Running | null = null
  let stopped = false
  let chain: Promise<void> = Promise.resolve()

  const reconcile = async (): Promise<void> => {
    const wanted = !stopped && state.configs.length > 0
    if (!wanted) {
      if (running === null) return
      const { host } = running
      running = null
      await host.stop()
      return
    }
    if (running === null) {
      const snapshot = { ...state }
      running = { host: await options.start({ ...snapshot }), sent: snapshot }
    }
    const { host, sent } = running
    if (sent.configs !== state.configs) {
      sent.configs = state.configs
      host.configure(state.configs)
    }
    if (sent.optOuts !== state.optOuts) {
      sent.optOuts = state.optOuts
      await host.setOptOuts(state.optOuts)
    }
    if (sent.restricted !== state.restricted) {
      sent.restricted = state.restricted
      await host.setRestricted(state.restricted)
    }
  }
  /** Queues a reconcile after every earlier one; a failure is reported, never thrown. */
  const queue = (): Promise<void> => {
    const next = chain
      .catch(() => undefined)
      .then(reconcile)
      .catch(options.onError)
    chain = next
    return next
  }

  chain = reconcile()
  await chain
  return {
    poke: () => running?.host.poke(),
    configure(configs) {
      state.configs = configs
      void queue()
    },
    setOptOuts(entries) {
      state.optOuts = entries
      return queue()
    },
    setRestricted(identifiers) {
      state.restricted = identifiers
      return queue()
    },
    status: () => running?.host.status() ?? [],
    threadHeaps: () => running?.host.threadHeaps?.() ?? [],
    running: () => running !== null,
    stop() {
      stopped = true
      // Unlike a change, a failed stop is the caller's to see.
      chain = chain.catch(() => undefined).then(reconcile)
      return chain
    },
  }
}
