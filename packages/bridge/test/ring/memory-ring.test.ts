import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/ring/entry.js';
import { MemoryRing } from '../../src/ring/memory-ring.js';

const line = (i: number, pad = 0) =>
  `{"timestamp":"t","level":"INFO","layer":"APP","message":"m${i}","pad":"${'x'.repeat(pad)}"}\n`;

describe('MemoryRing', () => {
  it('gives contiguous offsets from 0 and adds "offset" as the last key', () => {
    const ring = new MemoryRing({ maxRecords: 10, maxBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) ring.append('APP', 20, line(i));
    expect([ring.first, ring.next, ring.size]).toEqual([0, 3, 3]);
    const e = ring.get(2);
    expect(e?.json).toBe('{"timestamp":"t","level":"INFO","layer":"APP","message":"m2","pad":"","offset":2}');
    expect(JSON.parse(e?.json ?? '')).toMatchObject({ message: 'm2', offset: 2 });
    expect(ring.get(3)).toBeUndefined();
  });

  it('evicts the oldest records past maxRecords', () => {
    const ring = new MemoryRing({ maxRecords: 4, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) ring.append('APP', 20, line(i));
    expect([ring.first, ring.next, ring.size, ring.evicted]).toEqual([6, 10, 4, 6]);
    expect(ring.get(5)).toBeUndefined();
    expect(JSON.parse(ring.get(6)?.json ?? '').message).toBe('m6');
  });

  it('evicts the oldest records past maxBytes, and always keeps the newest', () => {
    const one = makeEntry('APP', 20, line(0, 100), 0).bytes;
    const ring = new MemoryRing({ maxRecords: 1000, maxBytes: one * 3 });
    for (let i = 0; i < 5; i++) ring.append('APP', 20, line(i, 100));
    expect(ring.size).toBe(3);
    expect(ring.bytes).toBeLessThanOrEqual(one * 3);
    ring.append('APP', 20, line(5, 10_000));
    expect([ring.size, ring.first]).toEqual([1, 5]);
  });

  it('skipTo moves past offsets it will never hold (a shared stream trimmed them): cursors behind see them evicted', () => {
    const ring = new MemoryRing({ maxRecords: 10, maxBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) ring.append('APP', 20, line(i));
    ring.skipTo(7);
    expect([ring.first, ring.next, ring.size, ring.bytes, ring.evicted]).toEqual([7, 7, 0, 0, 7]);
    ring.push(makeEntry('APP', 20, line(7), 7));
    expect(JSON.parse(ring.get(7)?.json ?? '').offset).toBe(7);
  });

  it('renames a top-level "offset" field to "_offset" (nested ones are left alone)', () => {
    const e = makeEntry('APP', 20, '{"message":"m","offset":"user","page":{"offset":3}}\n', 9);
    expect(JSON.parse(e.json)).toEqual({ message: 'm', _offset: 'user', page: { offset: 3 }, offset: 9 });
    const nested = makeEntry('APP', 20, '{"message":"m","page":{"offset":3}}', 1);
    expect(nested.json).toBe('{"message":"m","page":{"offset":3},"offset":1}');
  });
});
