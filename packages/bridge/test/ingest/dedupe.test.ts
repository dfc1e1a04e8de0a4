import { describe, expect, it } from 'vitest';
import { DedupeTable } from '../../src/ingest/dedupe.js';

describe('DedupeTable', () => {
  it('takes each (clientId, seq) once, in any order', () => {
    const d = new DedupeTable(10, 8);
    const order = [5, 1, 2, 9, 3, 4, 0, 6, 8, 7];
    expect(order.map((s) => d.add('a', s))).toEqual(Array(10).fill(true));
    expect(order.map((s) => d.add('a', s))).toEqual(Array(10).fill(false));
    expect(d.add('b', 5)).toBe(true);
  });

  it('merges the oldest ranges past the window (counted), and forgets the least recently seen client', () => {
    const d = new DedupeTable(2, 2);
    for (const s of [0, 2, 4]) d.add('a', s);
    expect(d.merged).toBe(1);
    expect(d.add('a', 1)).toBe(false);
    expect(d.add('a', 3)).toBe(true);
    d.add('b', 0);
    d.add('a', 10);
    d.add('c', 0);
    expect(d.forgotten).toBe(1);
    expect(d.add('b', 0)).toBe(true);
  });
});
