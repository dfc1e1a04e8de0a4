import { describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { DEFAULT_LIMITS } from '../../src/internal/limits.js';
import { Normalizer } from '../../src/record/normalize.js';
import { memoryLogger } from '../helpers.js';

const fieldsOf = (extra: Parameters<typeof memoryLogger>[0], fields: Record<string, unknown>) => {
  const { logger, records } = memoryLogger(extra);
  logger.info('x', fields);
  return { rec: records()[0] as Record<string, unknown>, logger };
};

describe('Error serialization', () => {
  it('keeps type, message, stack, own properties and the cause chain', () => {
    const root = Object.assign(new RangeError('too big'), { code: 'E_RANGE', limit: 10 });
    const err = new Error('outer', { cause: new TypeError('middle', { cause: root }) });
    const { rec } = fieldsOf({}, { err });
    expect(rec.err).toMatchObject({
      type: 'Error',
      message: 'outer',
      stack: expect.stringContaining('Error: outer'),
      cause: {
        type: 'TypeError',
        message: 'middle',
        cause: { type: 'RangeError', message: 'too big', code: 'E_RANGE', limit: 10 },
      },
    });
  });

  it('serializes AggregateError.errors', () => {
    const err = new AggregateError([new Error('a'), new Error('b')], 'many');
    const { rec } = fieldsOf({}, { err });
    expect(rec.err).toMatchObject({
      type: 'AggregateError',
      message: 'many',
      errors: [{ message: 'a' }, { message: 'b' }],
    });
  });

  it('survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const { rec } = fieldsOf({}, { err: a });
    expect(rec.err).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } });
  });

  it('nested Errors anywhere in fields are serialized', () => {
    const { rec } = fieldsOf({}, { list: [new Error('in array')], obj: { e: new Error('in object') } });
    expect(rec).toMatchObject({ list: [{ message: 'in array' }], obj: { e: { message: 'in object' } } });
  });

  it('a custom Error subclass keeps its name', () => {
    class DbError extends Error {
      override name = 'DbError';
      query = 'SELECT 1';
    }
    const { rec } = fieldsOf({}, { err: new DbError('failed') });
    expect(rec.err).toMatchObject({ type: 'DbError', message: 'failed', query: 'SELECT 1' });
  });
});

describe('value normalization', () => {
  it('converts Map, Set, BigInt, Date, functions and symbols', () => {
    const when = new Date('2026-01-02T03:04:05.000Z');
    const { rec } = fieldsOf(
      {},
      {
        m: new Map<unknown, unknown>([
          ['k', 1],
          [2, 'two'],
        ]),
        s: new Set([1, 'a']),
        big: 12345678901234567890n,
        when,
        fn: function named() {},
        sym: Symbol('s'),
      },
    );
    expect(rec).toMatchObject({
      m: { k: 1, '2': 'two' },
      s: [1, 'a'],
      big: '12345678901234567890',
      when: '2026-01-02T03:04:05.000Z',
      fn: '[Function named]',
      sym: 'Symbol(s)',
    });
  });

  it('marks cycles, keeps shared references', () => {
    const shared = { v: 1 };
    const cyc: Record<string, unknown> = { name: 'c' };
    cyc.self = cyc;
    const { rec, logger } = fieldsOf({}, { a: shared, b: shared, cyc });
    expect(rec).toMatchObject({ a: { v: 1 }, b: { v: 1 }, cyc: { name: 'c', self: '[Circular]' } });
    expect(logger.getPerformanceMetrics().truncations.circular).toBe(1);
  });

  it('bounds depth, breadth and string length, marking and counting each cut', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const wide = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
    const { rec, logger } = fieldsOf(
      { limits: { maxDepth: 5, maxBreadth: 10, maxStringLength: 20 } },
      { deep, wide, long: 'x'.repeat(100), arr: Array.from({ length: 15 }, (_, i) => i) },
    );
    expect(JSON.stringify(rec.deep)).toContain('[Depth limit]');
    expect(Object.keys(rec.wide as object)).toHaveLength(11);
    expect((rec.wide as Record<string, unknown>)['…']).toBe('[20 more keys]');
    expect(rec.long).toBe(`${'x'.repeat(20)}…[truncated 80 chars]`);
    expect((rec.arr as unknown[]).at(-1)).toBe('[5 more items]');
    const t = logger.getPerformanceMetrics().truncations;
    expect(t).toMatchObject({ depth: 1, breadth: 2, string: 1 });
  });

  it('truncates a long message', () => {
    const { logger, records } = memoryLogger({ limits: { maxStringLength: 10 } });
    logger.info('m'.repeat(50));
    expect(records()[0]?.message).toBe(`${'m'.repeat(10)}…[truncated 40 chars]`);
  });

  it("never mutates the caller's objects", () => {
    const fields = {
      level: 'forged',
      nested: { err: new Error('e'), map: new Map([['a', { b: 1 }]]) },
      list: [1, { x: 2 }],
    };
    const before = structuredClone({ ...fields, nested: { ...fields.nested, err: 'e' } });
    fieldsOf({}, fields);
    expect({ ...fields, nested: { ...fields.nested, err: 'e' } }).toEqual(before);
    expect(fields.nested.err).toBeInstanceOf(Error);
    expect(fields.level).toBe('forged');
  });

  it('a key named __proto__ stays a plain key and pollutes nothing', () => {
    const fields = JSON.parse('{"__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true}}}');
    const { rec } = fieldsOf({}, fields);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(rec, '__proto__')).toBe(true);
  });

  it('a throwing getter does not break the record', () => {
    const obj = {
      get boom(): never {
        throw new Error('getter');
      },
      ok: 1,
    };
    const { rec } = fieldsOf({}, { obj });
    expect(rec.obj).toEqual({ boom: '[getter threw]', ok: 1 });
  });
});

describe('the record error', () => {
  it('is the first top-level Error even when its key was renamed (GELF full_message keeps the stack)', () => {
    const lines: string[] = [];
    const logger = new HydraLogger({
      env: {},
      config: {
        layers: {
          DEFAULT: {
            destinations: [{ type: 'stream', format: 'gelf', stream: (l: string) => lines.push(l) }],
          },
        },
      },
    });
    logger.error('x', { _message: 'taken', message: new Error('renamed twice') });
    const gelf = JSON.parse(lines[0] as string);
    expect(gelf.full_message).toContain('Error: renamed twice');
    expect(JSON.parse(gelf.___message)).toMatchObject({ message: 'renamed twice' });
  });
});

describe('Normalizer.fields on flat objects', () => {
  it('uses a flat object of short primitives as is, and still renames a reserved key where a plain one was before', () => {
    const normalizer = new Normalizer({ ...DEFAULT_LIMITS });
    const plain = { user: 'bob', count: 2 };
    expect(normalizer.fields(plain)).toBe(plain);
    expect(normalizer.fields({ user: 'bob', count: 2 })).toEqual(plain);
    // Same positions, other keys: a reserved name, then one over the length limit.
    expect(normalizer.fields({ level: 'bob', count: 2 })).toEqual({ _level: 'bob', count: 2 });
    const long = 'k'.repeat(DEFAULT_LIMITS.maxStringLength + 1);
    const out = normalizer.fields({ user: 'bob', [long]: 2 });
    expect(Object.keys(out)).toHaveLength(2);
    expect(Object.keys(out)[1]).toContain('…[truncated');
    const inherited = Object.assign(Object.create({ hidden: 1 }), { user: 'bob' });
    expect(Object.keys(normalizer.fields(inherited))).toEqual(['user']);
  });
});
