/** What the tracking API reports for metrics; the app wires a Prometheus implementation. */
export interface IngestMetrics {
  /** A request finished with `outcome` (`accepted` or an error code) after `seconds`. */
  request(route: string, outcome: string, seconds: number): void
  /** A request's `accepted` events and `rejected` ones are durable in the log. */
  committed(sourceId: string, counts: { accepted: number; rejected: number }): void
  /** A commit failed; nothing of it was stored. */
  storeFailed(): void
}

/** Null object for tests and tools that need no metrics. */
export const noopIngestMetrics: IngestMetrics = {
  request: () => undefined,
  committed: () => undefined,
  storeFailed: () => undefined,
}
