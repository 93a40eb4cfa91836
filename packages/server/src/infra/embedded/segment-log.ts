import {
  constants,
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
} from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type {
  AppendResult,
  EventLog,
  LogEntry,
  LogItem,
  PreparedItems,
} from '../../events/index.js'
import {
  decodeFrameBody,
  EncodedRecords,
  encodeRecords,
  frameOf,
  FRAME_HEADER,
  FRAME_TRAILER,
  frameBodyIsIntact,
  readFrameHeader,
  type FrameHeader,
} from './log-frame.js'

interface FrameRef {
  first: number
  count: number
  pos: number
  bodyLength: number
  crc: number
}

interface Segment {
  /** Offset of its first entry, from the file name. */
  first: number
  path: string
  frames: FrameRef[]
  /** Bytes of the file covered by complete, indexed frames. */
  indexedTo: number
  readFd: number | null
  /**
   * A later segment existed before this one was last scanned, so it was complete then and
   * never grows again (the writer creates a segment only after the previous one is synced).
   */
  sealed: boolean
  /** The file was deleted (released by the writer) while this process still listed it. */
  gone: boolean
}

/** Options of {@link SegmentLog.open}. */
export interface SegmentLogOptions {
  /** Folder holding the segment files; created when missing. */
  dir: string
  /** Follow a writer in another thread or process; never change the files. */
  readOnly?: boolean
  /** A new segment starts once the current one holds this many bytes. Default 64 MB. */
  segmentBytes?: number
  /**
   * Writers only: number after at least this offset, e.g. the highest offset a consumer has
   * committed, so no offset a consumer has seen is ever given again (say, after the log folder
   * was lost or replaced).
   */
  minHead?: number
}

const NAME = /^(\d{20})\.log$/
/**
 * Positional writes that are durable when they return: `O_DSYNC` replaces a separate
 * `fdatasync`, saving a thread-pool round trip per commit.
 */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_DSYNC

function segmentName(first: number): string {
  return `${String(first).padStart(20, '0')}.log`
}

function isMissingFile(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT'
}

function syncDir(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** After `mkdirSync(dir, { recursive })` created `created`: makes the new entries durable. */
function syncCreatedDirs(created: string | undefined, dir: string): void {
  if (created === undefined) return
  for (let path = dir; ; path = dirname(path)) {
    syncDir(dirname(path))
    if (path === created || dirname(path) === path) return
  }
}

/** Writes all of `buf` at `pos`: a single write may write fewer bytes than asked. */
async function writeFully(handle: FileHandle, buf: Buffer, pos: number): Promise<void> {
  let done = 0
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done, pos + done)
    if (bytesWritten <= 0) throw new Error('segment log write made no progress')
    done += bytesWritten
  }
}

function damaged(segment: Segment, pos: number): Error {
  return new Error(
    `segment log file ${segment.path} is damaged at byte ${pos}; only the newest segment can ` +
      'end in a torn frame (repaired on open), so this is not a crash artifact',
  )
}

/**
 * {@link EventLog} as append-only segment files in a folder: the embedded, single-writer log.
 * One frame per append, written with `O_DSYNC` off the event loop; `append` resolves only
 * after the write is durable, so an acknowledged entry survives `kill -9` and power loss. A
 * new segment starts once the current one holds `segmentBytes`; {@link release} deletes
 * closed segments once every consumer is past them. A log opened with `readOnly` (the pipeline
 * worker) follows the writer's files and never changes them. Only one writer may open a folder
 * at a time.
 */
export class SegmentLog implements EventLog {
  private segments: Segment[] = []
  private headOffset = 0
  private writer: FileHandle | null = null
  private writeSize = 0
  /** Offset the next append starts at (ahead of `headOffset` while appends are in flight). */
  private nextOffset = 1
  private failure: Error | null = null
  /** Resolves when the segment that new appends target is open (after a pending roll). */
  private ready: Promise<void> = Promise.resolve()
  private chain: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly dir: string,
    private readonly readOnly: boolean,
    private readonly segmentBytes: number,
  ) {}

  /**
   * Opens the log in `dir`. A writer first cuts a torn final frame left by a crash (it was
   * never acknowledged). Rejects when an older segment is damaged, which a crash cannot cause.
   */
  static async open(options: SegmentLogOptions): Promise<SegmentLog> {
    const readOnly = options.readOnly ?? false
    const created = mkdirSync(options.dir, { recursive: true })
    if (!readOnly) syncCreatedDirs(created, options.dir)
    const log = new SegmentLog(options.dir, readOnly, options.segmentBytes ?? 64 * 1024 * 1024)
    try {
      log.discoverSegments()
      log.indexAll()
      log.headOffset = log.lastOffset()
      if (!readOnly) await log.openWriter(options.minHead ?? 0)
    } catch (error) {
      log.closeReadFds()
      throw error
    }
    return log
  }

  private lastOffset(): number {
    const last = this.segments.at(-1)
    if (!last) return 0
    const frame = last.frames.at(-1)
    return frame ? frame.first + frame.count - 1 : last.first - 1
  }

  /** Lists the segment files, keeping what is known of those already listed. */
  private discoverSegments(): void {
    const known = new Map(this.segments.map((s) => [s.path, s]))
    const names = readdirSync(this.dir)
      .filter((n) => NAME.test(n))
      .sort()
    this.segments = names.map((name) => {
      const path = join(this.dir, name)
      const segment = known.get(path)
      known.delete(path)
      return segment ?? this.newSegment(Number(NAME.exec(name)?.[1]), path)
    })
    // Released by the writer since the last look.
    for (const vanished of known.values()) this.closeReadFd(vanished)
  }

  private newSegment(first: number, path: string): Segment {
    return { first, path, frames: [], indexedTo: 0, readFd: null, sealed: false, gone: false }
  }

  /** Scans every segment not known complete; a writer repairs the newest one. */
  private indexAll(): void {
    this.segments.forEach((segment, i) => {
      if (segment.sealed) return
      const newest = i === this.segments.length - 1
      const damage = this.scan(segment, !this.readOnly && newest)
      if (newest) return
      if (damage !== null) throw damaged(segment, damage)
      segment.sealed = true
    })
    this.segments = this.segments.filter((s) => !s.gone)
  }

  /** The segment's read descriptor; null when the file was deleted meanwhile. */
  private fd(segment: Segment): number | null {
    if (segment.readFd === null && !segment.gone) {
      try {
        segment.readFd = openSync(segment.path, 'r')
      } catch (error) {
        if (!isMissingFile(error)) throw error
        segment.gone = true
      }
    }
    return segment.readFd
  }

  /**
   * Indexes complete frames beyond `indexedTo`. Returns the byte position of the first thing
   * that is not a complete frame, or null when the whole file is indexed. With `repair`, every
   * frame's checksum is verified and the file is truncated at the first frame that is
   * incomplete or damaged: it, and every frame after it, was never acknowledged (appends
   * resolve in order, each only once every earlier one is durable).
   */
  private scan(segment: Segment, repair: boolean): number | null {
    const fd = this.fd(segment)
    if (fd === null) return null
    const size = fstatSync(fd).size
    let pos = segment.indexedTo
    const last = segment.frames.at(-1)
    let next = last ? last.first + last.count : segment.first
    for (;;) {
      const header = this.frameAt(fd, { pos, size, next, verify: repair })
      if (!header) break
      segment.frames.push({
        first: header.firstOffset,
        count: header.count,
        pos,
        bodyLength: header.bodyLength,
        crc: header.crc,
      })
      pos += FRAME_HEADER + header.bodyLength + FRAME_TRAILER
      next = header.firstOffset + header.count
    }
    segment.indexedTo = pos
    if (pos >= size) return null
    if (repair) {
      const wfd = openSync(segment.path, 'r+')
      try {
        ftruncateSync(wfd, pos)
        fsyncSync(wfd)
      } finally {
        closeSync(wfd)
      }
    }
    return pos
  }

  /**
   * The header of the complete frame at `pos` holding offsets from `next`, or null. With
   * `verify`, the body's checksum is checked too: after a crash a frame's trailer may be on
   * disk while pages in its middle are not.
   */
  private frameAt(
    fd: number,
    at: { pos: number; size: number; next: number; verify: boolean },
  ): FrameHeader | null {
    if (at.pos + FRAME_HEADER + FRAME_TRAILER > at.size) return null
    const head = Buffer.alloc(FRAME_HEADER)
    readSync(fd, head, 0, FRAME_HEADER, at.pos)
    const header = readFrameHeader(head)
    if (!header || header.firstOffset !== at.next) return null
    const end = at.pos + FRAME_HEADER + header.bodyLength + FRAME_TRAILER
    if (end > at.size) return null
    const trailer = Buffer.alloc(FRAME_TRAILER)
    readSync(fd, trailer, 0, FRAME_TRAILER, end - FRAME_TRAILER)
    if (trailer.readUInt32LE(0) !== header.bodyLength) return null
    if (at.verify && !frameBodyIsIntact(this.readBody(fd, at.pos, header.bodyLength), header)) {
      return null
    }
    return header
  }

  private readBody(fd: number, pos: number, bodyLength: number): Buffer {
    const body = Buffer.allocUnsafe(bodyLength)
    const read = readSync(fd, body, 0, bodyLength, pos + FRAME_HEADER)
    if (read !== bodyLength) throw new Error('segment log frame body is short')
    return body
  }

  private async openWriter(minHead: number): Promise<void> {
    // A consumer that already passed the head (it can only have seen entries that were written)
    // must never see offsets reused: number after it. An empty segment named after the new
    // head records it across restarts.
    if (minHead > this.headOffset) this.headOffset = minHead
    this.nextOffset = this.headOffset + 1
    const last = this.segments.at(-1)
    if (!last || this.headOffset > this.lastOffset()) {
      this.writeSize = 0
      await this.roll()
      return
    }
    this.writer = await open(last.path, WRITE_FLAGS)
    this.writeSize = last.indexedTo
  }

  /**
   * Starts a new segment after the head. The previous segment is complete and synced (every
   * append syncs before it resolves); it stays the writer's until the new file exists.
   */
  private async roll(): Promise<void> {
    const first = this.headOffset + 1
    const path = join(this.dir, segmentName(first))
    const writer = await open(path, WRITE_FLAGS | constants.O_CREAT | constants.O_EXCL)
    try {
      syncDir(this.dir)
    } catch (error) {
      await writer.close()
      unlinkSync(path)
      throw error
    }
    const previous = this.writer
    this.writer = writer
    this.segments.push(this.newSegment(first, path))
    await previous?.close()
  }

  /**
   * Appends may overlap: offsets and file positions are assigned at the call, the writes run
   * concurrently, and each call resolves only after every earlier one has, so an acknowledged
   * frame never has an unwritten frame before it. Once a write fails, that append and every
   * later one reject (even those whose own write succeeded, since it follows a hole) and the
   * log refuses appends until reopened; reopening cuts the tail back to the last whole frame.
   */
  append(items: readonly LogItem[]): Promise<AppendResult> {
    let prepared: EncodedRecords
    try {
      prepared = encodeRecords(items)
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    return this.appendPrepared([prepared])
  }

  /** Encodes the records now (see {@link EventLog.prepare}); the frame is built at the append. */
  prepare(items: readonly LogItem[]): EncodedRecords {
    return encodeRecords(items)
  }

  appendPrepared(batches: readonly PreparedItems[]): Promise<AppendResult> {
    if (this.readOnly) return Promise.reject(new Error('segment log opened read-only'))
    if (this.failure) return Promise.reject(this.failure)
    const first = this.nextOffset
    const parts: EncodedRecords[] = []
    for (const batch of batches) {
      if (!(batch instanceof EncodedRecords)) {
        return Promise.reject(new TypeError('segment log: a batch not prepared by a segment log'))
      }
      if (batch.count > 0) parts.push(batch)
    }
    if (parts.length === 0) return this.chain.then(() => ({ first, last: first - 1 }))
    if (!this.writer) return Promise.reject(new Error('segment log is closed'))
    const frame = frameOf(parts, first)
    if (this.writeSize >= this.segmentBytes) {
      // Roll once every earlier append is done; this and later appends write to the new file.
      // Never after a failure: the hole it left must stay in the newest segment, where
      // reopening repairs it.
      this.ready = this.chain.then(() =>
        this.failure ? Promise.reject(this.failure) : this.roll(),
      )
      this.writeSize = 0
    }
    // Only the frame is kept from here on: the parts may be collected while the write runs.
    const count = frame.readUInt32LE(8)
    const pos = this.writeSize
    this.writeSize += frame.length
    this.nextOffset += count
    const last = first + count - 1
    let segment: Segment | undefined
    // O_DSYNC: the write returns once the data is on disk, in one thread-pool round trip.
    const written = this.ready.then(() => {
      segment = this.segments.at(-1)
      if (!this.writer || !segment) throw new Error('segment log is closed')
      return writeFully(this.writer, frame, pos)
    })
    const done = Promise.all([written, this.chain]).then(
      () => {
        // An earlier append failed: this frame follows a hole, so it is not durable either.
        if (this.failure) throw this.failure
        if (segment) {
          const bodyLength = frame.length - FRAME_HEADER - FRAME_TRAILER
          const crc = readFrameHeader(frame)?.crc ?? 0
          segment.frames.push({ first, count, pos, bodyLength, crc })
          segment.indexedTo = pos + frame.length
        }
        this.headOffset = last
        return { first, last }
      },
      (error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error))
        throw this.failure
      },
    )
    this.chain = done.catch(() => undefined)
    return done
  }

  read(after: number, limit: number): Promise<LogEntry[]> {
    if (this.readOnly) this.refresh()
    const out: LogEntry[] = []
    const wanted = after + 1
    let index = this.segments.findLastIndex((s) => s.first <= wanted)
    if (index < 0) index = 0
    for (; index < this.segments.length && out.length < limit; index++) {
      const segment = this.segments[index]
      const fd = segment ? this.fd(segment) : null
      if (!segment || fd === null) continue
      for (let f = findFrame(segment.frames, wanted); f < segment.frames.length; f++) {
        const frame = segment.frames[f]
        if (!frame || out.length >= limit) break
        const body = this.readBody(fd, frame.pos, frame.bodyLength)
        const header = { ...frame, firstOffset: frame.first }
        for (const entry of decodeFrameBody(body, header)) {
          if (entry.offset > after && out.length < limit) out.push(entry)
        }
      }
    }
    return Promise.resolve(out)
  }

  /** Followers pick up the frames and segments the writer added since the last look. */
  private refresh(): void {
    this.discoverSegments()
    this.indexAll()
    this.headOffset = Math.max(this.headOffset, this.lastOffset())
  }

  head(): Promise<number> {
    if (this.readOnly) this.refresh()
    return Promise.resolve(this.headOffset)
  }

  /**
   * Deletes the closed segments whose every entry is at or below `upTo`; the segment being
   * written is always kept. A follower only forgets them.
   */
  release(upTo: number): Promise<void> {
    while (this.segments.length > 1) {
      const [oldest, next] = this.segments
      if (!oldest || !next || next.first - 1 > upTo) break
      this.closeReadFd(oldest)
      if (!this.readOnly) unlinkSync(oldest.path)
      this.segments.shift()
    }
    return Promise.resolve()
  }

  private closeReadFd(segment: Segment): void {
    if (segment.readFd !== null) closeSync(segment.readFd)
    segment.readFd = null
  }

  private closeReadFds(): void {
    for (const segment of this.segments) this.closeReadFd(segment)
  }

  /** Waits for pending appends and closes the files. */
  async close(): Promise<void> {
    await this.chain
    this.closeReadFds()
    const writer = this.writer
    this.writer = null
    await writer?.close()
  }
}

/** Index of the frame holding `offset`, or of the first frame after it. */
function findFrame(frames: readonly FrameRef[], offset: number): number {
  let lo = 0
  let hi = frames.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const f = frames[mid]
    if (f && f.first + f.count - 1 < offset) lo = mid + 1
    else hi = mid
  }
  return lo
}
