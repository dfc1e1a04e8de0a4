import { describe, expect, it } from 'vitest';
import { compile, EMPTY_FILTER, parseFields, parseLayers, toWire } from '../../dashboard/src/filter.js';
import { extrasOf, type Item, recordItem, Store } from '../../dashboard/src/store.js';

const rec = (offset: number, extra: Record<string, unknown> = {}) =>
  recordItem(
    {
      timestamp: '2026-01-02T03:04:05.678Z',
      level: 'INFO',
      layer: 'APP',
      message: `m${offset}`,
      ...extra,
      offset,
    },
    'e1',
    offset,
  );

describe('dashboard filters (the page side of the subscription filter)', () => {
  it('parses field terms: JSON numbers, booleans, null and quoted strings; anything else is text', () => {
    expect(parseFields('user.id=42 ok=true gone=null name="ann smith" tag=x-1 n=-1.5e3 zip=007')).toEqual({
      fields: { 'user.id': 42, ok: true, gone: null, name: 'ann smith', tag: 'x-1', n: -1500, zip: '007' },
    });
    expect(parseFields('  ')).toEqual({ fields: {} });
    expect(parseFields('quote="a \\"b\\""')).toEqual({ fields: { quote: 'a "b"' } });
    expect(parseFields('user.id')).toHaveProperty('error');
    expect(parseFields('a=1 =2')).toHaveProperty('error');
  });

  it('parses layers by commas or spaces, without duplicates', () => {
    expect(parseLayers(' APP, DB  API,APP ')).toEqual(['APP', 'DB', 'API']);
    expect(parseLayers('')).toEqual([]);
  });

  it('sends only the terms that are set', () => {
    expect(toWire(EMPTY_FILTER)).toEqual({});
    expect(toWire({ layers: ['DB'], minLevel: 30, text: 'x', fields: { a: 1 } })).toEqual({
      layers: ['DB'],
      minLevel: 30,
      text: 'x',
      fields: { a: 1 },
    });
  });

  it('matches as the bridge does: level at or above, exact layers, text anywhere (any case), field paths by ===', () => {
    const r = rec(3, { level: 'WARNING', layer: 'DB', user: { id: 2, name: 'Ann' }, ok: true });
    const m = (f: Partial<typeof EMPTY_FILTER>) => compile({ ...EMPTY_FILTER, ...f })(r);
    expect(m({})).toBe(true);
    expect(m({ minLevel: 30 })).toBe(true);
    expect(m({ minLevel: 40 })).toBe(false);
    expect(m({ layers: ['APP', 'DB'] })).toBe(true);
    expect(m({ layers: ['db'] })).toBe(false);
    expect(m({ text: 'aNn' })).toBe(true);
    expect(m({ text: 'bob' })).toBe(false);
    expect(m({ fields: { 'user.id': 2, ok: true } })).toBe(true);
    expect(m({ fields: { 'user.id': '2' } })).toBe(false);
    expect(m({ fields: { 'user.missing': null } })).toBe(false);
    expect(m({ fields: { 'user.name.length': 3 } })).toBe(false); // own keys only
  });
});

describe('dashboard store', () => {
  it('keeps at most max items (plus a tenth before it trims), and counts what it dropped', () => {
    const s = new Store(100);
    for (let i = 0; i < 250; i++) s.append([rec(i)]);
    expect(s.items.length).toBeLessThanOrEqual(110);
    expect(s.items.length + s.dropped).toBe(250);
    expect((s.items.at(-1) as Item & { offset: number }).offset).toBe(249);
    expect(s.view).toEqual(s.items);
    expect(s.received).toBe(250);
  });

  it('applies a filter to what it holds; gap rows always show', () => {
    const s = new Store(1000);
    s.append([
      rec(0, { layer: 'DB' }),
      rec(1),
      { kind: 'gap', seq: 99, count: 5, reason: 'evicted', from: 2, to: 6, epoch: 'e1', at: 0 },
      rec(7, { layer: 'DB' }),
    ]);
    s.setFilter({ ...EMPTY_FILTER, layers: ['DB'] });
    expect(s.view.map((i) => (i.kind === 'gap' ? 'gap' : i.offset))).toEqual([0, 'gap', 7]);
    s.append([rec(8), rec(9, { layer: 'DB' })]);
    expect(s.view.map((i) => (i.kind === 'gap' ? 'gap' : i.offset))).toEqual([0, 'gap', 7, 9]);
    s.clear();
    expect([s.items.length, s.view.length, s.received, s.gaps]).toEqual([0, 0, 0, 0]);
  });

  it('writes the other keys as key=value, quoting text with spaces, bounded in length', () => {
    const r = rec(1, { user: { id: 1 }, note: 'two words', code: 'E1', empty: '' });
    expect(extrasOf(r)).toBe('user={"id":1} note="two words" code=E1 empty=""');
    expect(extrasOf(rec(2, { big: 'x'.repeat(1000) })).length).toBeLessThanOrEqual(401);
  });
});
