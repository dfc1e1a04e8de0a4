/**
 * Log-call latency in microseconds: exact count, sum and max, and a log-linear histogram (8
 * buckets per power of two, ≤ 9 % relative error) for p50/p99 without keeping samples.
 * Recording is a few arithmetic operations and one array increment.
 */
const SUB = 8;
const MAX_EXP = 40;

export interface LatencySummary {
  count: number;
  avgUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export class LatencyHistogram {
  readonly #buckets = new Float64Array(MAX_EXP * SUB + 1);
  #count = 0;
  #sum = 0;
  #max = 0;

  record(us: number): void {
    this.#count++;
    this.#sum += us;
    if (us > this.#max) this.#max = us;
    const b = bucketOf(us);
    this.#buckets[b] = (this.#buckets[b] as number) + 1;
  }

  summary(): LatencySummary {
    const n = this.#count;
    if (n === 0) return { count: 0, avgUs: 0, p50Us: 0, p99Us: 0, maxUs: 0 };
    return {
      count: n,
      avgUs: round(this.#sum / n),
      p50Us: round(Math.min(this.#quantile(0.5), this.#max)),
      p99Us: round(Math.min(this.#quantile(0.99), this.#max)),
      maxUs: round(this.#max),
    };
  }

  #quantile(q: number): number {
    const target = Math.ceil(q * this.#count);
    let seen = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      seen += this.#buckets[i] as number;
      if (seen >= target) return upperBound(i);
    }
    return this.#max;
  }
}

/** Bucket 0 holds [0, 1) µs; then SUB buckets per power of two. */
function bucketOf(us: number): number {
  if (us < 1) return 0;
  const exp = Math.min(Math.floor(Math.log2(us)), MAX_EXP - 1);
  const base = 2 ** exp;
  const sub = Math.min(Math.floor(((us - base) / base) * SUB), SUB - 1);
  return 1 + exp * SUB + sub;
}

function upperBound(bucket: number): number {
  if (bucket === 0) return 1;
  const exp = Math.floor((bucket - 1) / SUB);
  const sub = (bucket - 1) % SUB;
  return 2 ** exp * (1 + (sub + 1) / SUB);
}

const round = (x: number): number => Math.round(x * 100) / 100;
