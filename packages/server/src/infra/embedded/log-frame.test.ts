import { describe, expect, it } from 'vitest'
import { buildEventItem, buildRejectionItem } from '../../testing/builders.js'
import {
  decodeFrameBody,
  encodeFrame,
  encodeRecords,
  FRAME_HEADER,
  FRAME_TRAILER,
  frameOf,
  readFrameHeader,
} from './log-frame.js'

const items = [
  buildEventItem({ messageId: 'm-1', payload: '{"type":"track","ü":"✓ 😀"}' }),
  buildRejectionItem({ messageId: null, payload: 'not json {' }),
  buildEventItem({ messageId: 'm-3', userId: null }),
  buildEventItem({ messageId: 'm-4', name: 'Signed Up' }),
]

describe('frameOf', () => {
  it('frames encoded parts as one frame, byte for byte what encodeFrame writes for them all', () => {
    const parts = [
      encodeRecords(items.slice(0, 1)),
      encodeRecords([]),
      encodeRecords(items.slice(1)),
    ]
    expect(parts.map((p) => p.count)).toEqual([1, 0, 3])
    const frame = frameOf(parts, 41)
    expect(frame.equals(encodeFrame(items, 41))).toBe(true)
    const header = readFrameHeader(frame)
    expect(header).toMatchObject({ count: 4, firstOffset: 41 })
    const body = frame.subarray(FRAME_HEADER, frame.length - FRAME_TRAILER)
    expect(decodeFrameBody(body, header!)).toEqual(
      items.map((item, i) => ({ ...item, offset: 41 + i })),
    )
  })

  it('encodes records as bytes that do not follow later changes to the items', () => {
    const item = buildEventItem({ payload: '{"v":1}' })
    const part = encodeRecords([item])
    item.record = { ...item.record, payload: '{"v":2}' }
    const frame = frameOf([part], 1)
    const body = frame.subarray(FRAME_HEADER, frame.length - FRAME_TRAILER)
    expect(decodeFrameBody(body, readFrameHeader(frame)!)[0]?.record.payload).toBe('{"v":1}')
  })
})
