import { describe, expect, it } from 'vitest';
import { backoffMs, resolveDelivery } from '../../src/delivery/engine.js';
import { httpBody, parseRetryAfter } from '../../src/delivery/transport/http.js';

describe('delivery helpers', () => {
  it('full-jitter backoff stays within [0, min(maxMs, baseMs·2^(n−1))] and waits at least Retry-After (capped)', () => {
    const r = { maxAttempts: 5, baseMs: 100, maxMs: 1_000 };
    for (let n = 1; n <= 12; n++)
      for (let k = 0; k < 200; k++) {
        const w = backoffMs(n, r);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** (n - 1)));
      }
    expect(backoffMs(1, r, 700)).toBeGreaterThanOrEqual(700);
    expect(backoffMs(1, r, 60_000)).toBe(1_000);
  });

  it('Retry-After: delay-seconds or an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2026-12-05T06:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Sat, 05 Dec 2026 06:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sat, 05 Dec 2026 05:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('bodies: NDJSON lines, or one JSON array', () => {
    const b = [Buffer.from('{"a":1}'), Buffer.from('{"b":2}')];
    expect(httpBody(b, 'ndjson').toString()).toBe('{"a":1}\n{"b":2}\n');
    expect(JSON.parse(httpBody(b, 'json-array').toString())).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('defaults fill what a destination leaves out', () => {
    expect(resolveDelivery({ batch: { maxRecords: 7 }, spool: { dir: '/x' } })).toEqual({
      maxQueueBytes: 8 * 1024 * 1024,
      batch: { maxRecords: 7, maxBytes: 1024 * 1024, maxDelayMs: 500 },
      retry: { maxAttempts: 5, baseMs: 100, maxMs: 30_000 },
      timeoutMs: 10_000,
      spool: { dir: '/x', maxBytes: 64 * 1024 * 1024 },
    });
  });
});
