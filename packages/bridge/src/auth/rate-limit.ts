/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly rate: number,
    readonly burst: number = rate,
  ) {
    this.#tokens = burst;
    this.#last = performance.now();
  }

  /** Takes `n` tokens if there are that many (a request larger than the burst always fails). */
  take(n = 1): boolean {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** Milliseconds until `n` tokens are there (0 when they are). */
  waitMs(n = 1): number {
    return this.#tokens >= n ? 0 : Math.ceil(((n - this.#tokens) / this.rate) * 1000);
  }
}
