/**
 * A token bucket of events per second, with a burst of one second's worth. `take(n)` resolves
 * once `n` tokens are available (a batch larger than the burst waits for the deficit).
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = perSecond
    this.last = now()
  }

  private refill(): void {
    const t = this.now()
    this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.last) / 1000) * this.perSecond)
    this.last = t
  }

  /** Waits until `n` events may go; `sleep` is injectable for tests. */
  async take(n: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    this.refill()
    this.tokens -= n
    if (this.tokens < 0) await sleep(Math.ceil((-this.tokens / this.perSecond) * 1000))
  }
}
