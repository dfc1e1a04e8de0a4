import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncHydraLogger, HydraLogger } from '../../src/index.js';

// Values a caller can hand us that throw on every look: a revoked Proxy (an Immer draft used after
// produce() is one), a throwing getter, a Proxy whose traps throw. The record is written with the
// unreadable value replaced by a marker that starts with "[Unreadable"; nothing throws into the
// caller; the marker is counted (metrics.truncations.unreadable); nothing is dropped.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-hostile-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fileLogger() {
  const file = path.join(dir, `h${n++}.log`);
  const logger = new HydraLogger({
    config: {
      layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json', mode: 'sync' }] } },
    },
  });
  const records = () =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, file, records };
}

function revoked(target: object = { draft: true }): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

const boom = () => {
  throw new Error('trap says no');
};

const hostile: [string, () => unknown][] = [
  ['a revoked Proxy', () => revoked()],
  ['a revoked Proxy of an array', () => revoked([1, 2])],
  ['a Proxy whose ownKeys trap throws', () => new Proxy({ a: 1 }, { ownKeys: boom })],
  ['a Proxy whose getPrototypeOf trap throws', () => new Proxy({ a: 1 }, { getPrototypeOf: boom })],
  ['a Proxy whose get trap throws', () => new Proxy({ a: 1 }, { get: boom })],
  [
    'an object whose toJSON getter throws',
    () =>
      Object.defineProperty({}, 'toJSON', {
        get: boom,
        enumerable: false,
      }),
  ],
  [
    'an array whose iterator throws',
    () => {
      const a = [1, 2, 3];
      Object.defineProperty(a, Symbol.iterator, { value: boom });
      return a;
    },
  ],
  [
    'a Map whose iterator throws',
    () => {
      const m = new Map([['k', 1]]);
      Object.defineProperty(m, Symbol.iterator, { value: boom });
      return m;
    },
  ],
];

describe('hostile values are written with a marker, never dropped, never thrown', () => {
  for (const [name, make] of hostile) {
    it(`${name} nested in fields: the other fields and the record survive`, () => {
      const { logger, records } = fileLogger();
      expect(() => logger.info('APP', 'saved', { before: 1, state: make(), after: 2 })).not.toThrow();
      const [rec] = records();
      expect(rec).toMatchObject({ layer: 'APP', message: 'saved', before: 1, after: 2 });
      expect(String(rec?.state)).toMatch(/^\[Unreadable|^\[getter threw\]$|^\[toJSON threw\]$/);
      const m = logger.getPerformanceMetrics();
      expect(m.dropped).toEqual({});
    });

    it(`${name} as the whole fields object`, () => {
      const { logger, records } = fileLogger();
      expect(() => logger.info('APP', 'saved', make() as Record<string, unknown>)).not.toThrow();
      const [rec] = records();
      expect(rec).toMatchObject({ layer: 'APP', message: 'saved' });
      expect(logger.getPerformanceMetrics().dropped).toEqual({});
    });

    it(`${name} in the message position`, () => {
      const { logger, records } = fileLogger();
      expect(() => logger.info(make() as string)).not.toThrow();
      expect(records()).toHaveLength(1);
      expect(logger.getPerformanceMetrics().dropped).toEqual({});
    });
  }

  it('a revoked Proxy as the fields object is kept as a marker under "value" and counted', () => {
    const { logger, records } = fileLogger();
    logger.info('APP', 'saved', revoked() as Record<string, unknown>);
    const [rec] = records();
    expect(rec?.value).toMatch(/^\[Unreadable: TypeError: .*revoked/);
    expect(logger.getPerformanceMetrics().truncations.unreadable).toBe(1);
  });

  it('a throwing getter at the top level of the fields object is replaced, the rest kept', () => {
    const { logger, records } = fileLogger();
    const fields = { ok: 1 } as Record<string, unknown>;
    Object.defineProperty(fields, 'bad', { get: boom, enumerable: true });
    logger.warn('DB', 'query', fields);
    expect(records()[0]).toMatchObject({ level: 'WARNING', layer: 'DB', ok: 1, bad: '[getter threw]' });
    expect(logger.getPerformanceMetrics().dropped).toEqual({});
  });

  it('an Error whose own properties cannot be listed keeps its message', () => {
    const { logger, records } = fileLogger();
    const err = new Proxy(new Error('disk on fire'), { ownKeys: boom });
    logger.error('APP', err);
    const [rec] = records();
    expect(rec?.level).toBe('ERROR');
    expect(JSON.stringify(rec)).toContain('disk on fire');
  });

  it('audit() and security() records with hostile values are written', () => {
    const { logger, records } = fileLogger();
    logger.audit('AUDIT', 'role changed', { actor: 'ann', state: revoked() });
    logger.security('SEC', 'login', revoked() as Record<string, unknown>);
    const written = records();
    expect(written.map((r) => r.message)).toEqual(['role changed', 'login']);
    expect(written[0]).toMatchObject({ actor: 'ann' });
    expect(String(written[0]?.state)).toMatch(/^\[Unreadable/);
    expect(logger.getPerformanceMetrics().dropped).toEqual({});
  });

  it('child() and runWithContext() with a hostile value do not throw; their records carry the marker', async () => {
    const { logger, records } = fileLogger();
    const child = logger.child({ user: 7, state: revoked() });
    child.info('APP', 'from child');
    const out = logger.runWithContext({ req: 'r1', state: revoked() }, () => {
      logger.info('APP', 'in context');
      return 42;
    });
    expect(out).toBe(42);
    const throwingBindings = { ok: true } as Record<string, unknown>;
    Object.defineProperty(throwingBindings, 'bad', { get: boom, enumerable: true });
    logger.child(throwingBindings).info('APP', 'getter binding');
    const [a, b, c] = records();
    expect(a).toMatchObject({ message: 'from child', user: 7 });
    expect(String(a?.state)).toMatch(/^\[Unreadable/);
    expect(b).toMatchObject({ message: 'in context', req: 'r1' });
    expect(String(b?.state)).toMatch(/^\[Unreadable/);
    expect(c).toMatchObject({ message: 'getter binding', ok: true, bad: '[getter threw]' });
  });

  it('the async logger writes the record before its promise resolves', async () => {
    const file = path.join(dir, 'async.log');
    const logger = new AsyncHydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json' }] } } },
    });
    await logger.info('APP', 'async', { state: revoked(), n: 1 });
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ message: 'async', n: 1 });
    expect(JSON.parse(lines[0] as string).state).toMatch(/^\[Unreadable/);
    await logger.close();
  });

  it('every format writes the marker', () => {
    for (const format of ['plain-text', 'json', 'logfmt', 'csv', 'syslog', 'gelf'] as const) {
      const file = path.join(dir, `fmt-${format}.log`);
      const logger = new HydraLogger({
        config: {
          layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format, mode: 'sync' }] } },
        },
      });
      logger.info('APP', 'fmt', { state: revoked() });
      expect(fs.readFileSync(file, 'utf8'), format).toContain('Unreadable');
    }
  });

  it('a Date, a Map or an object with toJSON as the whole fields object gives a valid line in every format', () => {
    const decimal = { toJSON: () => '12.50' };
    for (const format of ['json', 'gelf'] as const) {
      const file = path.join(dir, `top-${format}.log`);
      const logger = new HydraLogger({
        config: {
          layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format, mode: 'sync' }] } },
        },
      });
      logger.info('APP', 'date', new Date(0) as never);
      logger.info(
        'APP',
        'map',
        new Map<string, unknown>([
          ['k', 1],
          ['n', { deep: true }],
        ]) as never,
      );
      logger.info('APP', 'decimal', decimal as never);
      const [d, m, x] = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const key = format === 'gelf' ? '_value' : 'value';
      expect(d?.[key], format).toBe('1970-01-01T00:00:00.000Z');
      expect(m?.[format === 'gelf' ? '_k' : 'k'], format).toBe(1);
      expect(x?.[key], format).toBe('12.50');
    }
  });
});
