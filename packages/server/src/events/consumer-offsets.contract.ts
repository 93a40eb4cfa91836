import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConsumerOffsets } from './event-log.js'

/** What the {@link ConsumerOffsets} suite needs from an adapter. A `Storage` satisfies it. */
export interface ConsumerOffsetsContractSubject {
  readonly offsets: ConsumerOffsets
  close(): Promise<void>
}

/**
 * The guarantees documented on {@link ConsumerOffsets}, for every adapter. `open` is called
 * before each test and must return a store without committed offsets.
 */
export function describeConsumerOffsetsContract(
  name: string,
  open: () => Promise<ConsumerOffsetsContractSubject>,
): void {
  describe(`ConsumerOffsets contract: ${name}`, () => {
    let subject: ConsumerOffsetsContractSubject
    let offsets: ConsumerOffsets

    beforeEach(async () => {
      subject = await open()
      offsets = subject.offsets
    })

    afterEach(async () => {
      await subject.close()
    })

    it('returns 0 for a consumer that never committed', async () => {
      expect(await offsets.get('never-committed')).toBe(0)
    })

    it('returns the committed offset', async () => {
      await offsets.commit('pipeline', 42)
      expect(await offsets.get('pipeline')).toBe(42)
    })

    it('only moves forward: a lower commit is ignored', async () => {
      await offsets.commit('pipeline', 10)
      await offsets.commit('pipeline', 25)
      await offsets.commit('pipeline', 7)
      expect(await offsets.get('pipeline')).toBe(25)
    })

    it('is idempotent: committing the same offset again changes nothing', async () => {
      await offsets.commit('pipeline', 5)
      await offsets.commit('pipeline', 5)
      expect(await offsets.get('pipeline')).toBe(5)
    })

    it('keeps consumers independent', async () => {
      await offsets.commit('a', 3)
      await offsets.commit('b', 9)
      expect(await offsets.get('a')).toBe(3)
      expect(await offsets.get('b')).toBe(9)
      expect(await offsets.get('c')).toBe(0)
    })

    it('round-trips offsets beyond 32 bits as numbers', async () => {
      const big = 2 ** 40 + 3
      await offsets.commit('pipeline', big)
      const read = await offsets.get('pipeline')
      expect(read).toBe(big)
      expect(typeof read).toBe('number')
    })

    it('ends at the highest of concurrent commits', async () => {
      const values = [4, 17, 2, 11, 17, 9, 1]
      await Promise.all(values.map((v) => offsets.commit('racer', v)))
      expect(await offsets.get('racer')).toBe(17)
    })
  })
}
