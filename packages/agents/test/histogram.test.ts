import { describe, expect, it } from 'vitest';
import { bucketOf, HISTOGRAM_BUCKETS, Histogram } from '../src/analytics/histogram.js';

/** The definition: 1 + floor(4 · log2(ms / 10 µs)), 0 at or below 10 µs, capped at the last bucket. */
const reference = (ms: number) =>
  ms <= 0.01 ? 0 : Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log2(ms / 0.01) * 4));

describe('latency histogram', () => {
  it('buckets every latency as the logarithm defines it (no logarithm computed)', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = [0, 0.005, 0.01, 0.0100001, 0.02, 1, 2, 3, 1000, 3_600_000, 36_000_000, 1e12];
    for (let k = 0; k < 100_000; k++) values.push(0.01 * 2 ** (rnd() * 34));
    for (let k = 0; k <= 31 * 4; k++) values.push(0.01 * 2 ** (k / 4) * 1.000001);
    for (const ms of values) {
      const x = Math.log2(ms / 0.01) * 4;
      // Exactly on a quarter-doubling boundary the two may round apart; nowhere else.
      if (Math.abs(x - Math.round(x)) < 1e-9) continue;
      expect([ms, bucketOf(ms)]).toEqual([ms, reference(ms)]);
    }
  });

  it('quantiles within ±9.5 %, exact count, sum and max', () => {
    const h = new Histogram();
    for (let i = 1; i <= 1000; i++) h.add(i);
    expect(h.count).toBe(1000);
    expect(h.sum).toBe(500_500);
    expect(h.max).toBe(1000);
    for (const [q, want] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const got = h.quantile(q);
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.095);
    }
  });
});
