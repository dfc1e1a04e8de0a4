/** Smallest latency told apart, ms (10 µs); anything below falls in the first bucket. */
const MIN_MS = 0.01;
/** Buckets per doubling: each bucket spans 2^(1/4) ≈ 19 %, so a quantile is within ±9.5 %. */
const PER_DOUBLING = 4;
/** Fixed size: 128 buckets cover 10 µs … about 10 hours (anything longer lands in the last). */
export const HISTOGRAM_BUCKETS = 128;

/** The bucket of a latency `ms` (≥ 0). */
export function bucketOf(ms: number): number {
  return ms <= MIN_MS
    ? 0
    : Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log2(ms / MIN_MS) * PER_DOUBLING));
}

/**
 * A fixed-size latency histogram (log-spaced buckets, 512 bytes whatever it counts): quantiles
 * within ±9.5 %, exact count, sum and maximum.
 */
export class Histogram {
  readonly #buckets = new Uint32Array(HISTOGRAM_BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  add(ms: number): void {
    if (!(ms >= 0)) ms = 0;
    this.addAt(bucketOf(ms), ms);
  }

  /** Adds `ms` (≥ 0) whose bucket is `i` (`bucketOf(ms)`): one bucket computation for several histograms. */
  addAt(i: number, ms: number): void {
    this.#buckets[i] = (this.#buckets[i] as number) + 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The q-quantile (0 … 1), ms, rounded to 3 decimals; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.#buckets[i] as number;
      if (seen >= rank) {
        // The bucket's geometric middle, never above the largest value seen.
        const hi = i === 0 ? MIN_MS : MIN_MS * 2 ** (i / PER_DOUBLING);
        const lo = i === 0 ? 0 : MIN_MS * 2 ** ((i - 1) / PER_DOUBLING);
        const mid = i === 0 ? hi / 2 : Math.sqrt(lo * hi);
        return Math.round(Math.min(mid, this.max) * 1000) / 1000;
      }
    }
    return Math.round(this.max * 1000) / 1000;
  }
}
