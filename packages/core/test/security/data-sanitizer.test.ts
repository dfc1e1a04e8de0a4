import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/internal/limits.js';
import { Normalizer } from '../../src/record/normalize.js';
import type { LogRecord } from '../../src/record/record.js';
import { DataSanitizer } from '../../src/security/data-sanitizer.js';
import { SANITIZER_LIMITS } from '../../src/security/sanitizer-limits.js';
import { cpuTime } from '../helpers.js';
import { buildRecord } from './records.js';

const EMAIL = 'alice@example.com';
const CARD = '4111 1111 1111 1111';

/** Every place a secret can hide in caller data (S4 in SECURITY.md). */
function secretsEverywhere() {
  const shared = { note: `mail ${EMAIL}`, Authorization: 'Bearer abcDEF123' };
  const err = new Error(`failed for ${EMAIL}`, { cause: new TypeError('password=hunter2') });
  Object.assign(err, { code: 'E_AUTH', config: { apiKey: 'k-123', url: 'https://u:p@h.example' } });
  return {
    password: 'hunter2',
    nested: { deeper: { API_KEY: 'k-456', list: [`card ${CARD}`, { token: 't' }] } },
    map: new Map<unknown, unknown>([
      ['secret', 's'],
      ['contact', EMAIL],
      [{ objKey: true }, 'x'],
    ]),
    set: new Set([EMAIL, 'plain']),
    err,
    a: shared,
    b: shared,
  };
}

describe('DataSanitizer.sanitize', () => {
  it('returns the same reference when there is nothing to redact (copy on write)', () => {
    const s = new DataSanitizer();
    const values: unknown[] = [
      'plain text',
      42,
      null,
      undefined,
      { a: 1, b: 'two', c: [1, 2, { d: 'x' }] },
      [1, 'a', { b: 2 }],
      new Map([['k', 'v']]),
      new Set(['a', 1]),
      new Error('plain error'),
      new Date(0),
      new Uint8Array(4),
      new (class Point {
        x = 1;
        y = 2;
      })(),
    ];
    for (const v of values) expect(s.sanitize(v)).toBe(v);
  });

  it('redacts sensitive keys and patterns at every depth, in arrays, Maps, Sets and Errors', () => {
    const out = new DataSanitizer().sanitize(secretsEverywhere()) as ReturnType<typeof secretsEverywhere>;
    expect(out.password).toBe('[REDACTED]');
    expect(out.nested).toEqual({
      deeper: { API_KEY: '[REDACTED]', list: ['card [REDACTED_CREDIT_CARD]', { token: '[REDACTED]' }] },
    });
    expect(out.map).toBeInstanceOf(Map);
    expect([...out.map.values()]).toEqual(['[REDACTED]', '[REDACTED_EMAIL]', 'x']);
    expect([...out.set]).toEqual(['[REDACTED_EMAIL]', 'plain']);
    expect(out.err).toBeInstanceOf(Error);
    expect(out.err.message).toBe('failed for [REDACTED_EMAIL]');
    expect(out.err.stack).toContain('Error: failed for [REDACTED_EMAIL]');
    expect((out.err.cause as Error).message).toBe('password=[REDACTED]');
    expect(out.err.cause).toBeInstanceOf(TypeError);
    expect(out.err).toMatchObject({
      code: 'E_AUTH',
      config: { apiKey: '[REDACTED]', url: 'https://[REDACTED]@h.example' },
    });
    expect(out.a).toEqual({ note: 'mail [REDACTED_EMAIL]', Authorization: '[REDACTED]' });
  });

  it('leaves no secret substring anywhere in the result (grep oracle)', () => {
    const out = new DataSanitizer().sanitize(secretsEverywhere()) as ReturnType<typeof secretsEverywhere>;
    const text = JSON.stringify(out, (_k, v) =>
      v instanceof Map
        ? [...v]
        : v instanceof Set
          ? [...v]
          : v instanceof Error
            ? { ...v, message: v.message, stack: v.stack, cause: v.cause }
            : v,
    );
    for (const secret of [EMAIL, CARD, 'hunter2', 'k-123', 'k-456', 'abcDEF123', 'u:p@'])
      expect(text).not.toContain(secret);
  });

  it('never mutates the caller objects: deep-equal before and after (S5)', () => {
    const input = secretsEverywhere();
    const before = {
      ...structuredClone({ ...input, err: undefined }),
      errMessage: input.err.message,
      errStack: input.err.stack,
      causeMessage: (input.err.cause as Error).message,
      errConfig: structuredClone((input.err as unknown as { config: unknown }).config),
    };
    new DataSanitizer().sanitize(input);
    expect({
      ...structuredClone({ ...input, err: undefined }),
      errMessage: input.err.message,
      errStack: input.err.stack,
      causeMessage: (input.err.cause as Error).message,
      errConfig: structuredClone((input.err as unknown as { config: unknown }).config),
    }).toEqual(before);
  });

  it('works on deeply frozen input', () => {
    const input = Object.freeze({ password: 'x', inner: Object.freeze({ mail: EMAIL }) });
    expect(new DataSanitizer().sanitize(input)).toEqual({
      password: '[REDACTED]',
      inner: { mail: '[REDACTED_EMAIL]' },
    });
  });

  it('a shared reference is sanitized once and stays shared in the copy', () => {
    const shared = { mail: EMAIL };
    const clean = { ok: 1 };
    const out = new DataSanitizer().sanitize({
      a: shared,
      b: shared,
      c: [shared],
      d: clean,
      e: clean,
    }) as Record<string, unknown>;
    expect(out.a).toEqual({ mail: '[REDACTED_EMAIL]' });
    expect(out.b).toBe(out.a);
    expect((out.c as unknown[])[0]).toBe(out.a);
    expect(out.d).toBe(clean);
    expect(out.e).toBe(clean);
  });

  it('cycles become "[Circular]" and are counted; no secret passes through the back-reference', () => {
    const s = new DataSanitizer();
    const a: Record<string, unknown> = { password: 'x', name: 'a' };
    a.self = a;
    a.list = [a];
    const out = s.sanitize(a) as Record<string, unknown>;
    expect(out).toEqual({ password: '[REDACTED]', name: 'a', self: '[Circular]', list: ['[Circular]'] });
    expect(s.stats().truncations.circular).toBe(2);
    const e = new Error('loop');
    (e as { cause?: unknown }).cause = e;
    expect(() => s.sanitize(e)).not.toThrow();
  });

  it('a class instance with a secret comes back as a plain object without it', () => {
    class User {
      constructor(
        readonly name: string,
        readonly password: string,
      ) {}
      greet() {
        return this.name;
      }
    }
    const u = new User('bob', 'hunter2');
    expect(new DataSanitizer().sanitize(u)).toEqual({ name: 'bob', password: '[REDACTED]' });
    expect(u.password).toBe('hunter2');
  });

  it('an object with toJSON (a URL) is checked as what it serializes to', () => {
    const url = new URL('https://admin:pw@example.com/x');
    expect(new DataSanitizer().sanitize({ url })).toEqual({ url: 'https://[REDACTED]@example.com/x' });
    const clean = new URL('https://example.com/');
    expect(new DataSanitizer().sanitize(clean)).toBe(clean);
  });

  it('AggregateError errors are sanitized', () => {
    const agg = new AggregateError([new Error(`to ${EMAIL}`), new Error('fine')], 'many');
    const out = new DataSanitizer().sanitize(agg) as AggregateError;
    expect(out).toBeInstanceOf(AggregateError);
    expect(out.errors.map((e: Error) => e.message)).toEqual(['to [REDACTED_EMAIL]', 'fine']);
  });

  it('Error-shaped plain objects from the normalizer, with a cause chain, are redacted', () => {
    const root = Object.assign(new Error('token=abc123'), { apiKey: 'k' });
    const err = new Error(`outer ${EMAIL}`, { cause: new Error('middle', { cause: root }) });
    const serialized = new Normalizer({ ...DEFAULT_LIMITS }).error(err);
    const out = new DataSanitizer().sanitize(serialized) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('abc123');
    expect(out).toMatchObject({
      type: 'Error',
      message: 'outer [REDACTED_EMAIL]',
      cause: { message: 'middle', cause: { message: 'token=[REDACTED]', apiKey: '[REDACTED]' } },
    });
  });

  it('an email used as an object key or Map key is redacted, without collisions', () => {
    const out = new DataSanitizer().sanitize({ [EMAIL]: 1, 'bob@example.com': 2, plain: 3 });
    expect(out).toEqual({ '[REDACTED_EMAIL]': 1, '[REDACTED_EMAIL] (2)': 2, plain: 3 });
  });

  it('a card number logged as a number or a BigInt is redacted; other large numbers are kept', () => {
    const s = new DataSanitizer();
    expect(s.sanitize({ n: 4111111111111111 })).toEqual({ n: '[REDACTED_CREDIT_CARD]' });
    expect(s.sanitize(4111111111111111n)).toBe('[REDACTED_CREDIT_CARD]');
    const clean = { t: 1700000000000, big: 9007199254740991 };
    expect(s.sanitize(clean)).toBe(clean);
  });

  it('a key named __proto__ stays an own key and pollutes nothing (S6)', () => {
    const input = JSON.parse('{"__proto__":{"polluted":"yes","password":"x"},"mail":"alice@example.com"}');
    const out = new DataSanitizer().sanitize(input) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"polluted":"yes","password":"[REDACTED]"},"mail":"[REDACTED_EMAIL]"}',
    );
  });

  it('constructor.prototype in data pollutes nothing (S6)', () => {
    const input = JSON.parse(
      '{"constructor":{"prototype":{"polluted":"yes","token":"t"}},"mail":"alice@example.com"}',
    );
    const out = new DataSanitizer().sanitize(input);
    expect(out).toEqual({
      constructor: { prototype: { polluted: 'yes', token: '[REDACTED]' } },
      mail: '[REDACTED_EMAIL]',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a throwing getter (raw value) is replaced by a marker, not thrown', () => {
    const input = {
      get boom(): string {
        throw new Error('no');
      },
      ok: 1,
    };
    expect(new DataSanitizer().sanitize(input)).toEqual({ boom: '[getter threw]', ok: 1 });
  });
});

describe('literal placeholders and custom patterns', () => {
  it('$&, $1, $<n>, $$ and $` in the data stay literal', () => {
    const text = `pay $& $1 $<n> $$ $\` $' to ${EMAIL} $&`;
    expect(new DataSanitizer().sanitize(text)).toBe("pay $& $1 $<n> $$ $` $' to [REDACTED_EMAIL] $&");
  });

  it('$& and $1 in a custom placeholder are written literally', () => {
    const s = new DataSanitizer().addPattern('order', /(ORD)-\d{6}/, '[$& $1 $$]');
    expect(s.sanitize('orders ORD-123456 and ORD-654321')).toBe('orders [$& $1 $$] and [$& $1 $$]');
  });

  it('a non-global custom regex still redacts every match (and is not advanced)', () => {
    const re = /EMP\d{4}/;
    const s = new DataSanitizer().addPattern('employee', re, '[EMP]');
    expect(s.sanitize('EMP0001 EMP0002 EMP0003')).toBe('[EMP] [EMP] [EMP]');
    expect(re.lastIndex).toBe(0);
  });

  it('a pattern given as a string is compiled', () => {
    const s = new DataSanitizer().addPattern('ticket', 'TICKET-[0-9]{1,6}', '[TICKET]');
    expect(s.sanitize('see TICKET-42')).toBe('see [TICKET]');
  });

  it('addPattern with an existing name replaces it in place; removePattern removes it', () => {
    const s = new DataSanitizer();
    const names = s.patternNames();
    s.addPattern('email', /[a-z]{1,20}@corp\.example/, '[CORP_EMAIL]');
    expect(s.patternNames()).toEqual(names);
    expect(s.sanitize('x bob@corp.example y')).toBe('x [CORP_EMAIL] y');
    expect(s.removePattern('email')).toBe(true);
    expect(s.removePattern('email')).toBe(false);
    expect(s.sanitize(EMAIL)).toBe(EMAIL);
  });

  it('addSensitiveKey / removeSensitiveKey change which keys are redacted', () => {
    const s = new DataSanitizer().addSensitiveKey('tenant_id');
    expect(s.sanitize({ tenantId: 't-1', TENANT_ID: 't-2' })).toEqual({
      tenantId: '[REDACTED]',
      TENANT_ID: '[REDACTED]',
    });
    expect(s.removeSensitiveKey('token')).toBe(true);
    expect(s.sanitize({ token: 'plain' })).toEqual({ token: 'plain' });
  });

  it('constructor options replace the defaults', () => {
    const s = new DataSanitizer({ patterns: [], sensitiveKeys: ['userId'] });
    expect(s.sanitize({ userId: 1, password: EMAIL })).toEqual({ userId: '[REDACTED]', password: EMAIL });
  });
});

describe('limits (S9)', () => {
  it('a 10 MB string is cut before scanning: bounded time, marked and counted', () => {
    const s = new DataSanitizer();
    const big = `${'x'.repeat(5_000_000)} ${EMAIL} ${'y'.repeat(5_000_000)}`;
    const { ms, value } = cpuTime(() => s.sanitize(big));
    const out = value as string;
    expect(ms).toBeLessThan(500);
    expect(out.length).toBeLessThanOrEqual(SANITIZER_LIMITS.maxStringLength + 40);
    expect(out).toMatch(/…\[truncated \d+ chars\]$/);
    expect(s.stats().truncations.string).toBe(1);
  });

  it('a message the normalizer already cut is not cut or counted again', () => {
    const s = new DataSanitizer();
    const r = buildRecord(`${'x '.repeat(60_000)}`, { note: 'y'.repeat(100_000) });
    expect(r.message).toMatch(/…\[truncated \d+ chars\]$/);
    const out = s.sanitizeRecord(r);
    expect(out).toBe(r);
    expect(s.stats().truncations.string).toBe(0);
  });

  it('the cut never keeps half a secret (it moves back to a token boundary)', () => {
    const max = 1000;
    const s = new DataSanitizer({ limits: { maxStringLength: max } });
    for (let offset = 1; offset < 20; offset++) {
      const head = `${'word '.repeat(200)}`.slice(0, max - offset);
      const out = s.sanitizeString(`${head} ${EMAIL} and card ${CARD} tail ${'z'.repeat(2000)}`);
      expect(out).not.toMatch(/alice|@example|example\.com/);
      const cardOut = s.sanitizeString(
        `${'a '.repeat(500).slice(0, max - offset)} ${CARD} ${'z '.repeat(1000)}`,
      );
      expect(cardOut).not.toMatch(/4111 1111|1111 1111 1111/);
    }
  });

  it('depth 1e4 is bounded: no stack overflow, "[Depth limit]", counted', () => {
    let deep: Record<string, unknown> = { password: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const s = new DataSanitizer();
    const { ms, value: out } = cpuTime(() => s.sanitize(deep));
    expect(ms).toBeLessThan(500);
    expect(JSON.stringify(out)).toContain('[Depth limit]');
    expect(JSON.stringify(out)).not.toContain('"x"');
    expect(s.stats().truncations.depth).toBe(1);
  });

  it('an object of 1e6 keys is bounded: the rest becomes one marker, counted', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = 'v';
    const s = new DataSanitizer();
    const { ms, value } = cpuTime(() => s.sanitize(wide));
    const out = value as Record<string, unknown>;
    expect(ms).toBeLessThan(3000);
    expect(Object.keys(out).length).toBe(SANITIZER_LIMITS.maxBreadth + 1);
    expect(out['…']).toBe(`[${1_000_000 - SANITIZER_LIMITS.maxBreadth} more keys]`);
    expect(s.stats().truncations.breadth).toBe(1);
  });

  it('arrays, Maps and Sets past the breadth limit end with a marker', () => {
    const s = new DataSanitizer({ limits: { maxBreadth: 3 } });
    expect(s.sanitize([1, 2, 3, 4, 5])).toEqual([1, 2, 3, '[2 more items]']);
    expect([...(s.sanitize(new Set([1, 2, 3, 4])) as Set<unknown>)]).toEqual([1, 2, 3, '[1 more items]']);
    expect(
      (s.sanitize(new Map([1, 2, 3, 4].map((i) => [`k${i}`, i]))) as Map<string, unknown>).get('…'),
    ).toBe('[1 more entries]');
    expect(s.stats().truncations.breadth).toBe(3);
  });
});

describe('stats', () => {
  it('counts redactions by kind, and resets', () => {
    const s = new DataSanitizer();
    s.sanitize({ password: 'x', note: `${EMAIL} ${EMAIL}`, card: CARD });
    expect(s.stats()).toMatchObject({ redactions: 4, byKind: { key: 1, email: 2, credit_card: 1 } });
    s.resetStats();
    expect(s.stats().redactions).toBe(0);
  });

  it('sanitizing an already redacted value changes nothing and counts nothing', () => {
    const s = new DataSanitizer();
    const once = s.sanitize({ password: 'x', mail: EMAIL, auth: 'Bearer abcDEF123' });
    s.resetStats();
    expect(s.sanitize(once)).toBe(once);
    expect(s.stats().redactions).toBe(0);
  });
});

describe('DataSanitizer.sanitizeRecord', () => {
  const record = (over: Partial<LogRecord>): LogRecord => ({
    time: 1_700_000_000_000,
    level: 20,
    levelName: 'INFO',
    layer: 'APP',
    message: 'hello',
    fields: undefined,
    bindings: undefined,
    context: undefined,
    error: undefined,
    caller: undefined,
    ...over,
  });

  it('returns the same record when nothing needs redacting', () => {
    const r = record({ fields: { userId: 42, path: '/api/v1/items' }, bindings: { svc: 'a' } });
    expect(new DataSanitizer().sanitizeRecord(r)).toBe(r);
  });

  it('takes the flat-record shortcut only when the full pass would change nothing', () => {
    // The first record teaches the sanitizer its keys and layer; the second, of the same shape,
    // is checked without the walker, and must come out the same as from the full pass.
    const s = new DataSanitizer();
    const clean = record({ fields: { card: 42, note: 'ok' } });
    expect(s.sanitizeRecord(clean)).toBe(clean);
    expect(s.sanitizeRecord(record({ fields: { card: 4111111111111111, note: 'ok' } })).fields).toEqual({
      card: '[REDACTED_CREDIT_CARD]',
      note: 'ok',
    });
    expect(s.sanitizeRecord(record({ fields: { card: 42, note: `mail ${EMAIL}` } })).fields).toEqual({
      card: 42,
      note: 'mail [REDACTED_EMAIL]',
    });
    expect(s.sanitizeRecord(record({ message: `to ${EMAIL}`, fields: { card: 42 } })).message).toBe(
      'to [REDACTED_EMAIL]',
    );
    s.addSensitiveKey('note');
    expect(s.sanitizeRecord(record({ fields: { card: 42, note: 'ok' } })).fields).toEqual({
      card: 42,
      note: '[REDACTED]',
    });
    expect(s.stats().byKind).toEqual({ credit_card: 1, email: 2, key: 1 });
  });

  it('redacts message, fields, bindings, context and error, in a new record', () => {
    const error = new Normalizer({ ...DEFAULT_LIMITS }).error(
      new Error(`bad ${EMAIL}`, { cause: new Error('token=abc') }),
    );
    const fields = { err: error, password: 'p', user: 'bob' };
    const r = record({
      message: `login ${EMAIL}`,
      fields,
      bindings: { apiKey: 'k' },
      context: { requestHeader: 'Bearer abcDEF123' },
      error,
    });
    const snapshot = structuredClone(r);
    const out = new DataSanitizer().sanitizeRecord(r);
    expect(out).not.toBe(r);
    expect(r).toEqual(snapshot);
    expect(out.message).toBe('login [REDACTED_EMAIL]');
    expect(out.fields).toMatchObject({
      password: '[REDACTED]',
      user: 'bob',
      err: { message: 'bad [REDACTED_EMAIL]' },
    });
    expect(out.bindings).toEqual({ apiKey: '[REDACTED]' });
    expect(out.context).toEqual({ requestHeader: 'Bearer [REDACTED]' });
    expect(out.error).toMatchObject({
      message: 'bad [REDACTED_EMAIL]',
      cause: { message: 'token=[REDACTED]' },
    });
    // The error shared by fields.err and record.error stays one object.
    expect((out.fields as Record<string, unknown>).err).toBe(out.error);
    expect(JSON.stringify(out)).not.toMatch(/alice|abc"|abcDEF|"p"|"k"/);
  });
});
