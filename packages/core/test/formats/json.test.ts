import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeJson } from '../../src/formats/escape.js';
import { createJsonFormatter } from '../../src/formats/json.js';
import { HydraLogger } from '../../src/index.js';
import type { Fields, LogRecord } from '../../src/record/record.js';
import { capture, fixedError, freezeClock, only, restoreClock, sampleFields } from './capture.js';

const HEAD = '{"timestamp":"2026-11-26T21:49:12.563Z"';

beforeEach(() => freezeClock());
afterEach(() => restoreClock());

describe('json format', () => {
  it('writes a record as one NDJSON line: timestamp, level, layer, message', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'Application started');
    expect(lines).toEqual([`${HEAD},"level":"INFO","layer":"APP","message":"Application started"}\n`]);
  });

  it('puts the fields after the core keys, each JSON type as itself', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'order placed', sampleFields());
    expect(lines).toEqual([
      `${HEAD},"level":"INFO","layer":"APP","message":"order placed","name":"John Smith","count":42,"ratio":0.5,"ok":true,"gone":null,"nested":{"a":{"b":"x y"}},"list":[1,"two",false]}\n`,
    ]);
  });

  it('writes an Error field with its type, message, stack and cause chain', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.error('DB', 'query failed', { err: fixedError() });
    expect(lines).toEqual([
      `${HEAD},"level":"ERROR","layer":"DB","message":"query failed","err":{"type":"Error","message":"query failed","stack":"Error: query failed\\n    at handler (/srv/app.js:10:5)","cause":{"type":"Error","message":"connection refused","stack":"Error: connection refused\\n    at connect (/srv/db.js:3:7)"}}}\n`,
    ]);
  });

  it('writes an Error passed as the message as message plus an err field', () => {
    const { logger, lines } = capture({ format: 'json' });
    const err = new TypeError('bad input');
    err.stack = 'TypeError: bad input\n    at parse (/srv/p.js:1:1)';
    logger.error(err);
    expect(lines).toEqual([
      `${HEAD},"level":"ERROR","layer":"DEFAULT","message":"bad input","err":{"type":"TypeError","message":"bad input","stack":"TypeError: bad input\\n    at parse (/srv/p.js:1:1)"}}\n`,
    ]);
  });

  it('writes the same line for no fields and for an empty fields object', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'quiet');
    logger.info('APP', 'quiet', {});
    const expected = `${HEAD},"level":"INFO","layer":"APP","message":"quiet"}\n`;
    expect(lines).toEqual([expected, expected]);
  });

  it('leaves out fields whose value is undefined', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'partial', { a: undefined, b: 1 });
    expect(lines).toEqual([`${HEAD},"level":"INFO","layer":"APP","message":"partial","b":1}\n`]);
  });

  it('writes Map, Set, BigInt and Date values as JSON-safe values', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'kinds', {
      map: new Map<string, number>([['k', 1]]),
      set: new Set(['s']),
      big: 12345678901234567890n,
      at: new Date('2020-01-02T03:04:05.006Z'),
    });
    expect(lines).toEqual([
      `${HEAD},"level":"INFO","layer":"APP","message":"kinds","map":{"k":1},"set":["s"],"big":"12345678901234567890","at":"2020-01-02T03:04:05.006Z"}\n`,
    ]);
  });

  it('routes an undeclared layer to DEFAULT and keeps its name', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.warn('BILLING', 'late');
    expect(lines).toEqual([`${HEAD},"level":"WARNING","layer":"BILLING","message":"late"}\n`]);
  });

  for (const [method, name] of [
    ['trace', 'TRACE'],
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['warning', 'WARNING'],
    ['warn', 'WARNING'],
    ['error', 'ERROR'],
    ['critical', 'CRITICAL'],
    ['fatal', 'CRITICAL'],
  ] as const) {
    it(`writes level "${name}" for ${method}()`, () => {
      const { logger, lines } = capture({ format: 'json' });
      logger[method]('APP', 'm');
      expect(lines).toEqual([`${HEAD},"level":"${name}","layer":"APP","message":"m"}\n`]);
    });
  }

  it('escapes DEL, C1 controls and U+2028/U+2029, which JSON.stringify leaves raw', () => {
    const { logger, lines } = capture({ format: 'json' });
    logger.info('APP', 'a\x7fb\x85c\u2028d\u2029e', { 'k\u2028': 'v\x9b' });
    expect(lines).toEqual([
      `${HEAD},"level":"INFO","layer":"APP","message":"a\\u007fb\\u0085c\\u2028d\\u2029e","k\\u2028":"v\\u009b"}\n`,
    ]);
  });

  it('writes the same text to a memory destination, without the final newline', () => {
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
    });
    logger.info('APP', 'Application started', { user_id: 42 });
    expect(logger.memory()?.lines()).toEqual([
      `${HEAD},"level":"INFO","layer":"APP","message":"Application started","user_id":42}`,
    ]);
  });

  it('parses back to the original message and fields', () => {
    const { logger, lines } = capture({ format: 'json' });
    const fields = { ...sampleFields(), quote: 'say "hi"', slash: 'a\\b', unicode: 'zażółć 🐍' };
    logger.info('APP', 'round "trip"', fields);
    expect(JSON.parse(only(lines))).toEqual({
      timestamp: '2026-11-26T21:49:12.563Z',
      level: 'INFO',
      layer: 'APP',
      message: 'round "trip"',
      ...fields,
    });
  });

  it('writes exactly what JSON.stringify of the whole record, made line-safe, writes', () => {
    // Strings are written directly when nothing in them needs escaping, and flat fields key by
    // key: byte for byte the reference below (every part through JSON.stringify, the line through
    // escapeJson), for every kind of value the direct path must hand off.
    const reference = (r: LogRecord): string => {
      const fields = JSON.stringify(r.fields ?? {});
      const head = `{"timestamp":"${new Date(r.time).toISOString()}","level":"${r.levelName}","layer":${JSON.stringify(r.layer)},"message":${JSON.stringify(r.message)}`;
      return `${escapeJson(fields.length > 2 ? `${head},${fields.slice(1)}` : `${head}}`)}\n`;
    };
    const strings = [
      '',
      'plain',
      'say "hi"',
      'a\\b',
      'tab\there',
      'nl\nx',
      '\x00\x1f',
      'del\x7f',
      'c1\x85\x9f',
      'ls\u2028ps\u2029',
      'zażółć 🐍',
      'lone \ud800 high',
      'lone \udc00 low',
      '\u00a0nbsp',
      '</script>',
    ];
    const numbers = [
      0,
      -0,
      42,
      -7,
      12.5,
      1e21,
      1e-7,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.MIN_VALUE,
    ];
    class Point {
      x = 1;
    }
    const fieldSets: Fields[] = [
      ...strings.map((v) => ({ [v || 'empty']: v })),
      ...numbers.map((v, i) => ({ [`n${i}`]: v })),
      { t: true, f: false, z: null, u: undefined, s: 'x' },
      { 2: 'two', 1: 'one', b: 'b', a: 'a' },
      { nested: { a: [1, 'two', { b: null }] }, after: 'x' },
      { toJSON: () => ({ replaced: true }) },
      { date: new Date(0), list: [1, 2] },
      Object.assign(Object.create(null), { bare: 'object' }) as Fields,
      new Point() as unknown as Fields,
      {},
    ];
    const f = createJsonFormatter();
    const record = (message: string, layer: string, fields: Fields | undefined): LogRecord => ({
      time: Date.UTC(2026, 10, 26, 21, 49, 12, 563),
      level: 30,
      levelName: 'INFO',
      layer,
      message,
      fields,
      bindings: undefined,
      context: undefined,
      error: undefined,
      caller: undefined,
    });
    for (const s of strings) {
      for (const r of [record(s, 'APP', undefined), record('m', s, { k: s })])
        expect(f.format(r)).toBe(reference(r));
    }
    for (const fields of fieldSets) {
      const r = record('m', 'APP', fields);
      expect(f.format(r)).toBe(reference(r));
    }
  });
});
