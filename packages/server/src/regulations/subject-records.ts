import type { SubjectEvents } from './erasure-target.js'
import type { ErasureSubject } from './model.js'

/** An event refused at ingest (`rejected_events`) that names the subject. */
export interface SubjectRejection {
  id: number
  sourceId: string
  receivedAt: number
  code: string
  reason: string
  messageId: string | null
  /** The payload as received (parsed when it is JSON, else the text). */
  payload: unknown
}

/** An event held back by a tracking plan (`quarantined_events`) that names the subject. */
export interface SubjectQuarantined {
  id: number
  sourceId: string
  messageId: string
  receivedAt: number
  type: string
  name: string | null
  status: string
  violations: unknown
  payload: unknown
  quarantinedAt: number
}

/** Delivery state holding one of the subject's events. */
export interface SubjectDelivery {
  retries: Array<{
    destinationId: string
    seq: number
    messageId: string
    sourceId: string
    attempts: unknown
    firstAttemptAt: number
    nextAt: number
  }>
  deadLetters: Array<{
    id: number
    destinationId: string
    seq: number
    messageId: string
    sourceId: string
    eventType: string
    eventName: string | null
    errorCode: string
    errorMessage: string
    httpStatus: number | null
    attempts: unknown
    failedAt: number
    replayedAt: number | null
  }>
}

/**
 * Read side of the access export for what is held apart from the profile, matched as the
 * erasure targets match it (so the export shows what a deletion would remove): rejections and
 * quarantined events whose payload holds one of the subject's identifier values as a JSON
 * string (emails case-insensitively) or whose messageId is one of the subject's events; retries
 * by seq, dead letters by messageId. Each list is oldest first and holds at most `limit` rows.
 */
export interface SubjectRecords {
  rejected(
    subject: ErasureSubject,
    events: SubjectEvents,
    limit: number,
  ): Promise<SubjectRejection[]>
  quarantined(
    subject: ErasureSubject,
    events: SubjectEvents,
    limit: number,
  ): Promise<SubjectQuarantined[]>
  delivery(events: SubjectEvents, limit: number): Promise<SubjectDelivery>
}
