import { crc32 } from 'node:zlib'
import type { LogItem } from '../../events/index.js'
import type { EventType } from '../../protocol/index.js'

/**
 * On-disk frame of the segment log: one frame per append.
 *
 *   u32 MAGIC | u32 bodyLength | u32 count | u32 bodyCrc | f64 firstOffset | body | u32 bodyLength
 *
 * The body holds `count` records, each `u32 metaLength | u32 payloadLength | meta | payload`,
 * meta being a small JSON object and payload the stored JSON text; `bodyCrc` is its CRC-32.
 * After a crash, the frames still being written when it struck (only ever at the end of the
 * newest segment) may be torn in any way: cut short, or full length with pages missing in the
 * middle. The trailing length catches the first; only the checksum catches the second, since a
 * hole inside a payload still decodes.
 */
export const MAGIC = 0x54534c47
export const FRAME_HEADER = 24
export const FRAME_TRAILER = 4

interface EventMeta {
  k: 'e'
  m: string
  s: string
  t: EventType
  n: string | null
  u: string | null
  a: string | null
  r: number
  ts: number
}

interface RejectionMeta {
  k: 'r'
  s: string
  r: number
  c: string
  re: string
  m: string | null
}

function metaOf(item: LogItem): EventMeta | RejectionMeta {
  if (item.kind === 'event') {
    const r = item.record
    return {
      k: 'e',
      m: r.messageId,
      s: r.sourceId,
      t: r.type,
      n: r.name,
      u: r.userId,
      a: r.anonymousId,
      r: r.receivedAt,
      ts: r.timestamp,
    }
  }
  const r = item.record
  return { k: 'r', s: r.sourceId, r: r.receivedAt, c: r.code, re: r.reason, m: r.messageId }
}

/**
 * Records encoded as a frame body fragment (`count` records, each `u32 metaLength | u32
 * payloadLength | meta | payload`), ready to be framed with others by {@link frameOf}.
 * Holds bytes only: the items it came from may be collected.
 */
export class EncodedRecords {
  constructor(
    readonly count: number,
    readonly body: Buffer,
  ) {}
}

/** Encodes items as a body fragment; their offsets are given later, by the frame. */
export function encodeRecords(items: readonly LogItem[]): EncodedRecords {
  const metas: string[] = new Array<string>(items.length)
  const lengths: number[] = new Array<number>(items.length * 2)
  let bodyLength = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as LogItem
    const meta = JSON.stringify(metaOf(item))
    const metaLen = Buffer.byteLength(meta)
    const payloadLen = Buffer.byteLength(item.record.payload)
    metas[i] = meta
    lengths[2 * i] = metaLen
    lengths[2 * i + 1] = payloadLen
    bodyLength += 8 + metaLen + payloadLen
  }
  const body = Buffer.allocUnsafe(bodyLength)
  let pos = 0
  for (let i = 0; i < items.length; i++) {
    body.writeUInt32LE(lengths[2 * i] as number, pos)
    body.writeUInt32LE(lengths[2 * i + 1] as number, pos + 4)
    pos += 8
    pos += body.write(metas[i] as string, pos, 'utf8')
    pos += body.write((items[i] as LogItem).record.payload, pos, 'utf8')
  }
  return new EncodedRecords(items.length, body)
}

/**
 * One frame holding `parts`' records in order, the first at offset `firstOffset`. Copies the
 * parts once into the frame and checksums the body.
 */
export function frameOf(parts: readonly EncodedRecords[], firstOffset: number): Buffer {
  let bodyLength = 0
  let count = 0
  for (const part of parts) {
    bodyLength += part.body.length
    count += part.count
  }
  const buf = Buffer.allocUnsafe(FRAME_HEADER + bodyLength + FRAME_TRAILER)
  buf.writeUInt32LE(MAGIC, 0)
  buf.writeUInt32LE(bodyLength, 4)
  buf.writeUInt32LE(count, 8)
  buf.writeDoubleLE(firstOffset, 16)
  let pos = FRAME_HEADER
  for (const part of parts) pos += part.body.copy(buf, pos)
  buf.writeUInt32LE(bodyLength, pos)
  buf.writeUInt32LE(crc32(buf.subarray(FRAME_HEADER, pos)), 12)
  return buf
}

/** Encodes items as one frame whose records get offsets `firstOffset`, `firstOffset + 1`, … */
export function encodeFrame(items: readonly LogItem[], firstOffset: number): Buffer {
  return frameOf([encodeRecords(items)], firstOffset)
}

/** A frame header read from disk. */
export interface FrameHeader {
  bodyLength: number
  count: number
  /** CRC-32 of the body. */
  crc: number
  firstOffset: number
}

/** Reads a frame header at the start of `buf`; null when it is not a frame. */
export function readFrameHeader(buf: Buffer): FrameHeader | null {
  if (buf.length < FRAME_HEADER || buf.readUInt32LE(0) !== MAGIC) return null
  const bodyLength = buf.readUInt32LE(4)
  const count = buf.readUInt32LE(8)
  const crc = buf.readUInt32LE(12)
  const firstOffset = buf.readDoubleLE(16)
  if (count === 0 || !Number.isSafeInteger(firstOffset) || firstOffset < 1) return null
  return { bodyLength, count, crc, firstOffset }
}

/** Whether `body` is intact: its CRC-32 is the one the header recorded. */
export function frameBodyIsIntact(body: Buffer, header: FrameHeader): boolean {
  return body.length === header.bodyLength && crc32(body) === header.crc
}

/** A decoded record and its offset. */
export type DecodedRecord = LogItem & { offset: number }

/**
 * Decodes a frame body (`bodyLength` bytes after the header). Throws when the body is not
 * what the header promised (checksum, lengths, record count), which marks a torn or damaged
 * frame.
 */
export function decodeFrameBody(body: Buffer, header: FrameHeader): DecodedRecord[] {
  if (!frameBodyIsIntact(body, header)) throw new Error('frame body checksum mismatch')
  const out: DecodedRecord[] = []
  let pos = 0
  for (let i = 0; i < header.count; i++) {
    if (pos + 8 > body.length) throw new Error('frame body truncated')
    const metaLen = body.readUInt32LE(pos)
    const payloadLen = body.readUInt32LE(pos + 4)
    pos += 8
    if (pos + metaLen + payloadLen > body.length) throw new Error('frame record truncated')
    const meta = parseMeta(body.toString('utf8', pos, pos + metaLen))
    pos += metaLen
    const payload = body.toString('utf8', pos, pos + payloadLen)
    pos += payloadLen
    out.push(toItem(meta, payload, header.firstOffset + i))
  }
  if (pos !== body.length) throw new Error('frame body has trailing bytes')
  return out
}

/** Parses a record's meta; throws unless it is one of the two shapes this file writes. */
function parseMeta(text: string): EventMeta | RejectionMeta {
  const meta = JSON.parse(text) as unknown
  const kind = typeof meta === 'object' && meta !== null ? (meta as { k?: unknown }).k : undefined
  if (kind !== 'e' && kind !== 'r') throw new Error('frame record meta is not valid')
  return meta as EventMeta | RejectionMeta
}

function toItem(meta: EventMeta | RejectionMeta, payload: string, offset: number): DecodedRecord {
  if (meta.k === 'e') {
    return {
      offset,
      kind: 'event',
      record: {
        messageId: meta.m,
        sourceId: meta.s,
        type: meta.t,
        name: meta.n,
        userId: meta.u,
        anonymousId: meta.a,
        receivedAt: meta.r,
        timestamp: meta.ts,
        payload,
      },
    }
  }
  return {
    offset,
    kind: 'rejection',
    record: {
      sourceId: meta.s,
      receivedAt: meta.r,
      code: meta.c,
      reason: meta.re,
      messageId: meta.m,
      payload,
    },
  }
}
