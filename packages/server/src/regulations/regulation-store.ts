import type { Page } from '../events/index.js'
import type {
  ErasureCounts,
  Regulation,
  RegulationStatus,
  RegulationTask,
  SubjectIdentifier,
} from './model.js'

/** A suppressed identifier, with the request that suppressed it. */
export interface SuppressedIdentifier extends SubjectIdentifier {
  regulationId: string
  createdAt: number
}

/** A restricted identifier: set on a profile through the API. */
export interface RestrictedIdentifier extends SubjectIdentifier {
  profileId: string
  actor: string
  createdAt: number
}

/** How many events of a source were suppressed in a minute (added to `ingest_stats`). */
export interface SuppressedCount {
  sourceId: string
  /** Start of the minute, epoch ms. */
  minute: number
  count: number
}

/**
 * Storage of regulations, their tasks and the suppressed identifiers (in the main store:
 * `regulations`, `regulation_tasks`, `suppressed_identifiers`).
 */
export interface RegulationStore {
  /**
   * Stores a new request with all its tasks, and applies its suppression changes (adds or,
   * for `UNSUPPRESS`, removes the identifiers), in one transaction: the request exists with
   * every task or not at all.
   */
  create(
    regulation: Regulation,
    tasks: readonly RegulationTask[],
    suppression: { add: readonly SubjectIdentifier[]; remove: readonly SubjectIdentifier[] },
  ): Promise<void>
  /** The request, or null. */
  get(id: string): Promise<Regulation | null>
  /** Its tasks in execution order. */
  tasks(id: string): Promise<RegulationTask[]>
  /** Newest first; `cursor` from the previous page. */
  list(options: {
    limit: number
    cursor?: string
    status?: RegulationStatus
  }): Promise<Page<Regulation>>
  /** Requests not finished (`INITIALIZED` or `RUNNING`), oldest first. */
  unfinished(): Promise<Regulation[]>
  /**
   * Records a task's progress. Idempotent (writes the given state); `removed` replaces the
   * stored counts.
   */
  updateTask(
    regulationId: string,
    position: number,
    update: {
      status: RegulationStatus
      errString?: string | null
      attempts?: number
      removed?: ErasureCounts
      startedAt?: number | null
      finishedAt?: number | null
    },
  ): Promise<void>
  /** Sets the overall status (and `finishedAt` once done). */
  setStatus(id: string, status: RegulationStatus, finishedAt: number | null): Promise<void>
  /** Every suppressed identifier (loaded into memory at start). */
  suppressed(): Promise<SuppressedIdentifier[]>
  /**
   * Restricts processing of these identifiers (the identifiers of `profileId`). Idempotent: an
   * identifier already restricted keeps its first record.
   */
  restrict(
    ids: readonly SubjectIdentifier[],
    record: { profileId: string; actor: string; at: number },
  ): Promise<void>
  /** Lifts the restriction of these identifiers and of every one set on `profileId`. */
  unrestrict(ids: readonly SubjectIdentifier[], profileId: string): Promise<void>
  /** Every restricted identifier (loaded into memory at start). */
  restricted(): Promise<RestrictedIdentifier[]>
  /** Adds suppressed-event counts to the per-source, per-minute ingest counters. */
  addSuppressedCounts(counts: readonly SuppressedCount[]): Promise<void>
}
