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

describe('MemoryRing: records kept as bytes', () => {
  const shapes = [
    '{"message":"no newline"}',
    '{"message":"crlf"}\r\n',
    '{}\n',
    '{"message":"é, 日本語, 🙂 and \\u2028"}\n',
    '{"message":"m","offset":"user","page":{"offset":3}}\n',
    '{"message":"offset is a word here"}\n',
  ];

  it('reads every record back as makeEntry writes it, whatever its shape (newline, empty, non-ASCII, its own offset)', () => {
    const ring = new MemoryRing({ maxRecords: 100, maxBytes: 1 << 20 });
    for (const s of shapes) ring.append('APP', 20, s);
    shapes.forEach((s, i) => {
      expect(ring.get(i)).toEqual(makeEntry('APP', 20, s, i));
      expect(JSON.parse(ring.get(i)?.json ?? '').offset).toBe(i);
    });
    const read = ring.batch(0, ring.next, 100, 1 << 20, () => true);
    expect(read.count).toBe(shapes.length);
    const frame = JSON.parse(`{${read.body?.toString()}`);
    expect(frame).toEqual({
      from: 0,
      to: shapes.length - 1,
      records: shapes.map((s, i) => JSON.parse(makeEntry('APP', 20, s, i).json)),
    });
  });

  it('batches what the view accepts, within maxRecords and maxBytes, across segments and after their reuse', () => {
    const ring = new MemoryRing({ maxRecords: 300, maxBytes: 1 << 30 });
    const big = (i: number) => line(i, 2_000 + (i % 7) * 100);
    // Far more bytes than one segment (256 KiB), several times over: segments fill, empty and are reused.
    for (let i = 0; i < 2_000; i++) ring.append(i % 3 === 0 ? 'DB' : 'APP', i % 2 === 0 ? 20 : 40, big(i));
    // One record larger than a segment gets a segment of its own.
    ring.append('APP', 40, line(2_000, 400_000));
    expect([ring.first, ring.next]).toEqual([1_701, 2_001]);
    for (let o = ring.first; o < ring.next; o++)
      expect(ring.get(o)).toEqual(
        makeEntry(
          o % 3 === 0 ? 'DB' : 'APP',
          o % 2 === 0 && o !== 2_000 ? 20 : 40,
          o === 2_000 ? line(2_000, 400_000) : big(o),
          o,
        ),
      );
    const accept = (layer: string, level: number) => layer === 'APP' && level >= 40;
    let cursor = ring.first;
    const seen: number[] = [];
    while (cursor < ring.next) {
      const read = ring.batch(cursor, ring.next, 25, 40_000, accept);
      if (read.body !== undefined) {
        const frame = JSON.parse(`{${read.body.toString()}`) as {
          from: number;
          to: number;
          records: { offset: number; message: string }[];
        };
        expect(frame.from).toBe(cursor);
        expect(frame.to).toBe(read.next - 1);
        expect(frame.records.length).toBe(read.count);
        expect(read.count).toBeLessThanOrEqual(25);
        for (const r of frame.records) {
          expect(r.message).toBe(`m${r.offset}`);
          seen.push(r.offset);
        }
      }
      expect(read.next).toBeGreaterThan(cursor);
      cursor = read.next;
    }
    const want: number[] = [];
    for (let o = ring.first; o < ring.next; o++) if (o % 3 !== 0 && o % 2 === 1) want.push(o);
    want.push(2_000);
    expect(seen).toEqual(want);
  });

  it('encodes the records appended between two reads together: same bytes whatever the batch holds or drops', () => {
    // Offsets whose digits carry over (9, 99, 999), non-ASCII next to ASCII, records with an
    // offset of their own, lines without a newline: read back at irregular intervals.
    const ring = new MemoryRing({ maxRecords: 2_000, maxBytes: 1 << 30 });
    const at = (o: number) => {
      // Mostly ASCII (encoded in one write per batch); now and then another shape (a batch with a
      // non-ASCII line is encoded line by line).
      const s = shapes[o % 97 === 0 ? o % shapes.length : 5] as string;
      return s.startsWith('{}') ? s.replace('{}', `{"n":${o}}`) : s.replace('}', `,"n":${o}}`);
    };
    for (let o = 0; o < 1_100; o++) {
      ring.append('APP', 20, at(o));
      if (o % 37 === 36) expect(ring.get(o - 5)).toEqual(makeEntry('APP', 20, at(o - 5), o - 5));
    }
    for (let o = 0; o < 1_100; o++) expect(ring.get(o)).toEqual(makeEntry('APP', 20, at(o), o));
    // More appended between two reads than the ring holds: the records evicted before they were
    // encoded leave nothing behind.
    const small = new MemoryRing({ maxRecords: 50, maxBytes: 1 << 30 });
    for (let o = 0; o < 1_234; o++) small.append('APP', 20, at(o));
    expect([small.first, small.next, small.evicted]).toEqual([1_184, 1_234, 1_184]);
    const read = small.batch(0, small.next, 100, 1 << 30, () => true);
    expect(JSON.parse(`{${read.body?.toString()}`).records).toEqual(
      Array.from({ length: 50 }, (_, k) => JSON.parse(makeEntry('APP', 20, at(1_184 + k), 1_184 + k).json)),
    );
    // Records not yet encoded when the stream skips ahead are gone with the rest.
    small.append('APP', 20, at(1_234));
    small.skipTo(2_000);
    small.append('APP', 20, at(2_000));
    expect([small.first, small.next]).toEqual([2_000, 2_001]);
    expect(small.get(2_000)).toEqual(makeEntry('APP', 20, at(2_000), 2_000));
  });
});
