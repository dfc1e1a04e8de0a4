/** Smallest latency told apart, ms (10 µs); anything below falls in the first bucket. */
const MIN_MS = 0.01;
/** Buckets per doubling: each bucket spans 2^(1/4) ≈ 19 %, so a quantile is within ±9.5 %. */
const PER_DOUBLING = 4;
/** Fixed size: 128 buckets cover 10 µs … about 10 hours (anything longer lands in the last). */
export const HISTOGRAM_BUCKETS = 128;

/** 2^(1/4), 2^(2/4), 2^(3/4): where the quarters of a doubling start. */
const Q1 = 2 ** 0.25;
const Q2 = 2 ** 0.5;
const Q3 = 2 ** 0.75;

/**
 * The bucket of a latency `ms` (≥ 0): 1 + floor(4 · log2(ms / 10 µs)), capped. The doubling comes
 * from the integer's leading zeros (Math.clz32), the quarter from three comparisons: no logarithm.
 */
export function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  const x = ms / MIN_MS;
  // Beyond 2^31 × 10 µs (about 6 hours): rare enough for the logarithm.
  if (x >= 2 ** 31) return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log2(x) * PER_DOUBLING));
  const e = 31 - Math.clz32(x);
  const f = x / 2 ** e;
  const q = f >= Q2 ? (f >= Q3 ? 3 : 2) : f >= Q1 ? 1 : 0;
  const b = 1 + e * PER_DOUBLING + q;
  return b < HISTOGRAM_BUCKETS ? b : HISTOGRAM_BUCKETS - 1;
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
