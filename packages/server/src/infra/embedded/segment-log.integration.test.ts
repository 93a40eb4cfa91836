import { randomBytes } from 'node:crypto'
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FileHandle } from 'node:fs/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  describeEventLogContract,
  type EventLogContractSubject,
} from '../../events/event-log.contract.js'
import type { LogEntry, LogItem } from '../../events/index.js'
import { buildEventItem, buildRejectionItem } from '../../testing/builders.js'
import { encodeFrame, FRAME_HEADER, FRAME_TRAILER } from './log-frame.js'
import { SegmentLog, type SegmentLogOptions } from './segment-log.js'

/** Small segments, so that every suite rolls several times. */
const SEGMENT_BYTES = 4096

const dirs: string[] = []

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-segment-log-'))
  dirs.push(dir)
  return dir
}

// Runs after the describe blocks' own afterEach, which close the logs.
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function contractSubject(dir: string): Promise<EventLogContractSubject> {
  const log = await SegmentLog.open({ dir, segmentBytes: SEGMENT_BYTES })
  return {
    eventLog: log,
    close: () => log.close(),
    reopen: async () => {
      await log.close()
      return contractSubject(dir)
    },
  }
}

describeEventLogContract('segment log', () => contractSubject(freshDir()))

/** Segment file names, oldest first. */
function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort()
}

function newestFile(dir: string): string {
  return join(dir, segmentFiles(dir).at(-1) ?? 'missing')
}

function firstOffsetOf(name: string): number {
  return Number(name.slice(0, -'.log'.length))
}

/** `count` items of about `bytes` bytes each, both kinds mixed. */
function items(count: number, bytes = 300): LogItem[] {
  return Array.from({ length: count }, (_, i) =>
    i % 5 === 4
      ? buildRejectionItem({ payload: 'r'.repeat(bytes) })
      : buildEventItem({ payload: JSON.stringify({ type: 'track', pad: 'p'.repeat(bytes) }) }),
  )
}

function itemsOf(entries: readonly LogEntry[]): LogItem[] {
  return entries.map(({ offset: _offset, ...item }) => item)
}

function offsetsOf(entries: readonly LogEntry[]): number[] {
  return entries.map((e) => e.offset)
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}

/** Descriptors this process holds on files of `dir` that were deleted. */
function deletedFilesHeld(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`)
      } catch {
        return ''
      }
    })
    .filter((target) => target.startsWith(dir) && target.endsWith('(deleted)'))
}

describe('SegmentLog', () => {
  const opened: SegmentLog[] = []

  async function openLog(options: SegmentLogOptions): Promise<SegmentLog> {
    const log = await SegmentLog.open({ segmentBytes: SEGMENT_BYTES, ...options })
    opened.push(log)
    return log
  }

  async function closeLog(log: SegmentLog): Promise<void> {
    opened.splice(opened.indexOf(log), 1)
    await log.close()
  }

  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close()
  })

  /** A log in a fresh folder with `batches` appends of 3 items, closed again. */
  async function writtenLog(batches: number): Promise<{ dir: string; written: LogItem[] }> {
    const dir = freshDir()
    const log = await openLog({ dir })
    const written: LogItem[] = []
    for (let b = 0; b < batches; b++) {
      const batch = items(3)
      await log.append(batch)
      written.push(...batch)
    }
    await closeLog(log)
    return { dir, written }
  }

  it('rolls segments named after their first offset, each holding whole frames', async () => {
    const { dir, written } = await writtenLog(12)
    const files = segmentFiles(dir)
    expect(files.length).toBeGreaterThan(3)
    expect(firstOffsetOf(files[0] ?? '')).toBe(1)
    const frameBytes = encodeFrame(items(3), 1).length
    files.forEach((name, i) => {
      const size = statSync(join(dir, name)).size
      // A segment takes whole frames until it holds segmentBytes.
      if (i < files.length - 1) expect(size).toBeGreaterThanOrEqual(SEGMENT_BYTES)
      expect(size).toBeLessThan(SEGMENT_BYTES + frameBytes + 100)
      expect((firstOffsetOf(name) - 1) % 3).toBe(0)
    })
    const log = await openLog({ dir })
    expect(itemsOf(await log.read(0, 1_000))).toEqual(written)
    expect(await log.head()).toBe(written.length)
  })

  describe('repairs the newest segment on open, cutting a torn final frame', () => {
    const frameAfter = (head: number): Buffer => encodeFrame(items(2), head + 1)
    const bigItem = (): LogItem =>
      buildEventItem({ payload: JSON.stringify({ type: 'track', pad: 'q'.repeat(12_000) }) })
    /** Zeroes one 4 KB page in the middle of the frame, as a lost page after a crash would. */
    const withHole = (frame: Buffer): Buffer => {
      frame.fill(0, 4096, 8192)
      return frame
    }
    const damages: Array<[string, (head: number) => Buffer]> = [
      ['garbage bytes', () => randomBytes(37)],
      ['a few bytes of a header', (head) => frameAfter(head).subarray(0, 7)],
      ['a header without its body', (head) => frameAfter(head).subarray(0, FRAME_HEADER)],
      [
        'a header with a truncated body (crash between write and sync)',
        (head) => frameAfter(head).subarray(0, FRAME_HEADER + 10),
      ],
      ['half a frame', (head) => frameAfter(head).subarray(0, frameAfter(head).length >> 1)],
      [
        'a frame with a wrong trailer',
        (head) => {
          const frame = frameAfter(head)
          frame.writeUInt32LE(frame.readUInt32LE(frame.length - 4) + 1, frame.length - 4)
          return frame
        },
      ],
      [
        'a frame whose body pages never reached the disk',
        (head) => {
          const frame = frameAfter(head)
          frame.fill(0, FRAME_HEADER, frame.length - FRAME_TRAILER)
          return frame
        },
      ],
      ['a whole frame for the wrong offset', (head) => frameAfter(head + 4)],
      [
        'a frame with a page missing inside a payload (only the checksum tells)',
        (head) => withHole(encodeFrame([bigItem()], head + 1)),
      ],
      [
        'a torn frame followed by a whole later one (overlapping writes)',
        (head) =>
          Buffer.concat([withHole(encodeFrame([bigItem()], head + 1)), frameAfter(head + 1)]),
      ],
    ]

    for (const [label, damage] of damages) {
      it(label, async () => {
        const { dir, written } = await writtenLog(5)
        const newest = newestFile(dir)
        const size = statSync(newest).size
        appendFileSync(newest, damage(written.length))

        const log = await openLog({ dir })
        expect(statSync(newest).size).toBe(size)
        expect(await log.head()).toBe(written.length)
        expect(itemsOf(await log.read(0, 1_000))).toEqual(written)
        const more = items(2)
        expect(await log.append(more)).toEqual({
          first: written.length + 1,
          last: written.length + 2,
        })
        await closeLog(log)

        const reopened = await openLog({ dir })
        const entries = await reopened.read(0, 1_000)
        expect(offsetsOf(entries)).toEqual(range(1, written.length + 2))
        expect(itemsOf(entries)).toEqual([...written, ...more])
      })
    }

    it('a torn first frame of a segment just started', async () => {
      const { dir, written } = await writtenLog(4)
      const head = written.length
      const fresh = join(dir, `${String(head + 1).padStart(20, '0')}.log`)
      writeFileSync(fresh, frameAfter(head).subarray(0, 50))

      const log = await openLog({ dir })
      expect(statSync(fresh).size).toBe(0)
      expect(await log.head()).toBe(head)
      expect(await log.append(items(1))).toEqual({ first: head + 1, last: head + 1 })
      expect(statSync(fresh).size).toBeGreaterThan(0)
      expect(offsetsOf(await log.read(0, 1_000))).toEqual(range(1, head + 1))
    })
  })

  describe('after a failed write', () => {
    /**
     * Appends two batches whose first write fails late (fault injection), after the second
     * one's write has landed, unless the second had to wait for a segment roll.
     */
    async function failFirstOfTwo(segmentBytes: number) {
      const { dir, written } = await writtenLog(2)
      const log = await openLog({ dir, segmentBytes })
      const writer = (log as unknown as { writer: FileHandle }).writer
      const write = vi.spyOn(writer, 'write').mockImplementationOnce(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })
      })
      const failed = log.append(items(2))
      const behind = log.append(items(3))
      await expect(failed).rejects.toThrow(/EIO/)
      await expect(behind).rejects.toThrow(/EIO/)
      return { dir, written, log, writes: write.mock.calls.length }
    }

    it('rejects later appends, even one whose own write succeeded', async () => {
      const { dir, written, log, writes } = await failFirstOfTwo(1 << 20)
      expect(writes).toBe(2)
      expect(await log.head()).toBe(written.length)
      await expect(log.append(items(1))).rejects.toThrow(/EIO/)
      await closeLog(log)

      // The later frame sits after a hole: reopening cuts it, and numbering goes on.
      const reopened = await openLog({ dir })
      expect(await reopened.head()).toBe(written.length)
      expect(itemsOf(await reopened.read(0, 100))).toEqual(written)
      const next = written.length + 1
      expect(await reopened.append(items(1))).toEqual({ first: next, last: next })
    })

    it('does not roll, so the hole stays in the newest segment', async () => {
      const { dir, written, log, writes } = await failFirstOfTwo(SEGMENT_BYTES)
      const files = segmentFiles(dir)
      expect(writes).toBe(1)
      await closeLog(log)
      expect(segmentFiles(dir)).toEqual(files)
      const reopened = await openLog({ dir })
      expect(itemsOf(await reopened.read(0, 100))).toEqual(written)
    })
  })

  it('refuses to open when an older segment is damaged (not a crash artifact)', async () => {
    const { dir } = await writtenLog(12)
    const oldest = join(dir, segmentFiles(dir)[0] ?? 'missing')
    const bytes = readFileSync(oldest)
    bytes[FRAME_HEADER + 3] = (bytes[FRAME_HEADER + 3] ?? 0) ^ 0xff
    bytes.writeUInt32LE(1, bytes.length - 4)
    writeFileSync(oldest, bytes)
    await expect(SegmentLog.open({ dir })).rejects.toThrow(/damaged/)
    await expect(SegmentLog.open({ dir, readOnly: true })).rejects.toThrow(/damaged/)
    expect(readFileSync(oldest)).toEqual(bytes)
  })

  describe('read-only follower', () => {
    it('sees appends made after it opened, across segment rolls', async () => {
      const dir = freshDir()
      const writer = await openLog({ dir })
      const follower = await openLog({ dir, readOnly: true })
      expect(await follower.head()).toBe(0)
      expect(await follower.read(0, 10)).toEqual([])

      const first = items(3)
      await writer.append(first)
      expect(await follower.head()).toBe(3)
      expect(itemsOf(await follower.read(0, 10))).toEqual(first)

      // Several rolls while the follower does not look.
      const filesBefore = segmentFiles(dir).length
      const more: LogItem[] = []
      for (let b = 0; b < 15; b++) {
        const batch = items(3)
        await writer.append(batch)
        more.push(...batch)
      }
      expect(segmentFiles(dir).length).toBeGreaterThan(filesBefore + 2)
      expect(await follower.head()).toBe(48)
      const entries = await follower.read(3, 1_000)
      expect(offsetsOf(entries)).toEqual(range(4, 48))
      expect(itemsOf(entries)).toEqual(more)
    })

    it('follows reading page by page while the writer appends and rolls', async () => {
      const dir = freshDir()
      const writer = await openLog({ dir })
      const follower = await openLog({ dir, readOnly: true })
      const written: LogItem[] = []
      const seen: LogEntry[] = []
      for (let b = 0; b < 30; b++) {
        const batch = items(1 + (b % 4), 200)
        await writer.append(batch)
        written.push(...batch)
        seen.push(...(await follower.read(seen.at(-1)?.offset ?? 0, 2)))
      }
      for (;;) {
        const page = await follower.read(seen.at(-1)?.offset ?? 0, 7)
        if (page.length === 0) break
        seen.push(...page)
      }
      expect(offsetsOf(seen)).toEqual(range(1, written.length))
      expect(itemsOf(seen)).toEqual(written)
    })

    it('opened on an empty folder before the writer, sees its appends', async () => {
      const dir = join(freshDir(), 'log')
      const follower = await openLog({ dir, readOnly: true })
      expect(await follower.head()).toBe(0)
      const writer = await openLog({ dir })
      const batch = items(4)
      await writer.append(batch)
      expect(itemsOf(await follower.read(0, 10))).toEqual(batch)
    })

    it('rejects appends and changes no file, not even a torn final frame', async () => {
      const { dir, written } = await writtenLog(3)
      const newest = newestFile(dir)
      appendFileSync(newest, encodeFrame(items(1), written.length + 1).subarray(0, 30))
      const size = statSync(newest).size
      const follower = await openLog({ dir, readOnly: true })
      expect(await follower.head()).toBe(written.length)
      expect(itemsOf(await follower.read(0, 100))).toEqual(written)
      await expect(follower.append(items(1))).rejects.toThrow(/read-only/)
      expect(statSync(newest).size).toBe(size)
    })

    it('keeps reading above a release and lets go of the deleted files', async () => {
      const dir = freshDir()
      const writer = await openLog({ dir })
      const follower = await openLog({ dir, readOnly: true })
      for (let b = 0; b < 12; b++) await writer.append(items(3))
      expect(offsetsOf(await follower.read(0, 1_000))).toEqual(range(1, 36))
      await writer.release(30)
      expect(offsetsOf(await follower.read(30, 100))).toEqual(range(31, 36))
      expect(await follower.head()).toBe(36)
      expect(deletedFilesHeld(dir)).toEqual([])
      const last = await writer.append(items(2))
      expect(offsetsOf(await follower.read(30, 100))).toEqual(range(31, last.last))
    })
  })

  describe('minHead', () => {
    it('numbers an empty log after a consumer offset, and keeps that across reopens', async () => {
      const dir = freshDir()
      const log = await openLog({ dir, minHead: 41 })
      expect(await log.head()).toBe(41)
      await closeLog(log)

      // Nothing appended yet: the empty segment named 42 still records the head.
      const again = await openLog({ dir })
      expect(await again.head()).toBe(41)
      const follower = await openLog({ dir, readOnly: true })
      expect(await follower.head()).toBe(41)
      const batch = items(2)
      expect(await again.append(batch)).toEqual({ first: 42, last: 43 })
      await closeLog(again)

      const reopened = await openLog({ dir })
      expect(await reopened.head()).toBe(43)
      const entries = await reopened.read(0, 10)
      expect(offsetsOf(entries)).toEqual([42, 43])
      expect(itemsOf(entries)).toEqual(batch)
    })

    it('is ignored at or below the head, and skips ahead above it', async () => {
      const { dir, written } = await writtenLog(4)
      const low = await openLog({ dir, minHead: 5 })
      expect(await low.head()).toBe(12)
      expect(await low.append(items(1))).toEqual({ first: 13, last: 13 })
      await closeLog(low)

      const high = await openLog({ dir, minHead: 25 })
      expect(await high.head()).toBe(25)
      expect(await high.append(items(1))).toEqual({ first: 26, last: 26 })
      const entries = await high.read(0, 100)
      expect(offsetsOf(entries)).toEqual([...range(1, 13), 26])
      expect(itemsOf(entries.slice(0, written.length))).toEqual(written)
      expect(offsetsOf(await high.read(13, 100))).toEqual([26])
    })
  })

  describe('release', () => {
    /** First offsets of the segment files. */
    const firsts = (dir: string): number[] => segmentFiles(dir).map(firstOffsetOf)

    it('deletes only closed segments whose every entry is at or below upTo', async () => {
      const dir = freshDir()
      const log = await openLog({ dir })
      for (let b = 0; b < 40; b++) await log.append(items(2, 400))
      const before = firsts(dir)
      expect(before.length).toBeGreaterThan(5)

      // upTo inside the third segment: the first two go, the third stays.
      const third = before[2] ?? 0
      const upTo = third + 1
      expect(upTo).toBeLessThan((before[3] ?? 0) - 1)
      await log.release(upTo)
      expect(firsts(dir)).toEqual(before.slice(2))
      expect(offsetsOf(await log.read(0, 1_000))).toEqual(range(third, 80))

      // upTo exactly the last entry of a segment: that segment goes too.
      await log.release((before[4] ?? 0) - 1)
      expect(firsts(dir)).toEqual(before.slice(4))

      // Everything released: the segment being written stays.
      await log.release(10_000)
      expect(firsts(dir)).toEqual(before.slice(-1))
      expect(await log.head()).toBe(80)
      expect(offsetsOf(await log.read(0, 1_000))).toEqual(range(before.at(-1) ?? 0, 80))
    })

    it('keeps the head and the remaining entries across a reopen', async () => {
      const dir = freshDir()
      const log = await openLog({ dir })
      const written: LogItem[] = []
      for (let b = 0; b < 20; b++) {
        const batch = items(2, 400)
        await log.append(batch)
        written.push(...batch)
      }
      await log.release(25)
      const kept = await log.read(0, 1_000)
      await closeLog(log)

      const reopened = await openLog({ dir })
      expect(await reopened.head()).toBe(40)
      expect(await reopened.read(0, 1_000)).toEqual(kept)
      expect(itemsOf(await reopened.read(25, 1_000))).toEqual(written.slice(25))
      expect(await reopened.append(items(1))).toEqual({ first: 41, last: 41 })
      await reopened.release(41)
      await closeLog(reopened)

      const last = await openLog({ dir })
      expect(await last.head()).toBe(41)
      expect(await last.append(items(1))).toEqual({ first: 42, last: 42 })
    })
  })

  it('creates missing parent folders and rejects appends once closed', async () => {
    const dir = join(freshDir(), 'a', 'b', 'log')
    const log = await SegmentLog.open({ dir })
    expect(existsSync(dir)).toBe(true)
    await log.append(items(1))
    await log.close()
    await expect(log.append(items(1))).rejects.toThrow(/closed/)
  })
})
