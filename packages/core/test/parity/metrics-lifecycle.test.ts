import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnalyticsPlugin, AsyncHydraLogger, HydraLogger, type LogRecord } from '../../src/index.js';
import { jsonLines, LOGGERS, makeTempDir, memoryRecords, only, removeDir } from './loggers.js';

// Metrics, updateConfig, close and log-after-close, plugins, and the surfaces of the two classes.

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

describe.each(LOGGERS)('$name: metrics', (kind) => {
  it('counts records by level and layer, bytes and writes of each destination', async () => {
    const file = path.join(dir, 'm.log');
    const logger = kind.create({
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json', name: 'out' }] },
          AUTH: { destinations: [{ type: 'memory', name: 'mem' }] },
        },
      },
    });
    await logger.info('a');
    await logger.warn('b');
    await logger.info('AUTH', 'c');
    await logger.debug('below the level');
    await logger.flush();
    const m = logger.getPerformanceMetrics();
    expect(m.totalLogs).toBe(3);
    expect(m.byLevel).toMatchObject({ INFO: 2, WARNING: 1 });
    expect(m.byLayer).toMatchObject({ DEFAULT: 2, AUTH: 1 });
    expect(m.dropped).toEqual({});
    const out = m.destinations.out;
    expect(out).toMatchObject({ type: 'file', records: 2, pending: 0, errors: 0, dropped: {} });
    const bytes = jsonLines(file).reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)) + 1, 0);
    expect(out?.bytesWritten).toBe(bytes);
    expect(out?.writes).toBeGreaterThan(0);
    expect(m.destinations.mem).toMatchObject({ type: 'memory', records: 1 });
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: lifecycle', (kind) => {
  it('updateConfig swaps levels and destinations; nothing is lost or written twice', async () => {
    const first = path.join(dir, 'first.log');
    const second = path.join(dir, 'second.log');
    const logger = kind.create({ config: only({ type: 'file', path: first }) });
    const child = logger.child({ c: 1 });
    await logger.info('one');
    await logger.debug('not yet');
    await logger.updateConfig(only({ type: 'file', path: second }, { defaultLevel: 'debug' }));
    await logger.debug('two');
    await child.debug('three');
    await logger.flush();
    expect(jsonLines(first).map((r) => r.message)).toEqual(['one']);
    expect(jsonLines(second).map((r) => r.message)).toEqual(['two', 'three']);
    await logger.close();
  });

  it('close() writes what is queued, is idempotent; a later call is a no-op counted as closed, warned once', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const file = path.join(dir, 'close.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, flushInterval: 60_000 }) });
    for (let i = 0; i < 100; i++) void logger.info('queued', { i });
    const closing = logger.close();
    expect(logger.close()).toBe(closing);
    await closing;
    expect(jsonLines(file)).toHaveLength(100);
    await logger.info('late');
    await logger.error('late too');
    await logger.close();
    expect(jsonLines(file)).toHaveLength(100);
    expect(logger.getPerformanceMetrics().dropped).toEqual({ closed: 2 });
    expect(warn.mock.calls.filter((c) => JSON.stringify(c).includes('HYDRA_W_LOG_AFTER_CLOSE'))).toHaveLength(
      1,
    );
  });

  it('flushSync() writes everything logged so far before it returns', () => {
    const file = path.join(dir, 'fs.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, flushInterval: 60_000 }) });
    for (let i = 0; i < 10; i++) void logger.info('x', { i });
    logger.flushSync();
    expect(jsonLines(file)).toHaveLength(10);
    return logger.close();
  });

  it('Symbol.asyncDispose closes it (await using)', async () => {
    const file = path.join(dir, 'dispose.log');
    {
      await using logger = kind.create({
        config: only({ type: 'file', path: file }),
      }) as unknown as AsyncDisposable & {
        info(m: string): unknown;
      };
      await logger.info('disposed at the end of the block');
    }
    expect(jsonLines(file)).toHaveLength(1);
  });
});

class Enricher extends AnalyticsPlugin {
  seen = 0;
  processEvent(record: LogRecord): LogRecord | null {
    this.seen++;
    if (record.message === 'drop me') return null;
    record.fields = { ...record.fields, enriched: true };
    return record;
  }
}

describe.each(LOGGERS)('$name: plugins', (kind) => {
  it('an analytics plugin added with addPlugin enriches and drops records, with insights', async () => {
    const file = path.join(dir, 'plugins.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    const plugin = new Enricher();
    expect(logger.addPlugin('enricher', plugin)).toBe(logger);
    await logger.info('kept');
    await logger.info('drop me');
    await logger.flush();
    expect(jsonLines(file)).toEqual([expect.objectContaining({ message: 'kept', enriched: true })]);
    expect(plugin.seen).toBe(2);
    expect(logger.getPerformanceMetrics().dropped).toEqual({ 'plugin:enricher': 1 });
    expect(logger.getPluginInsights().enricher).toMatchObject({ type: 'analytics' });
    expect(logger.removePlugin('enricher')).toBe(true);
    await logger.close();
  });
});

describe('the two classes have the same surface', () => {
  it('every HydraLogger method and static exists on AsyncHydraLogger', () => {
    const methods = (proto: object) => Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor');
    const statics = (cls: object) =>
      Object.getOwnPropertyNames(cls).filter(
        (n) => typeof (cls as Record<string, unknown>)[n] === 'function',
      );
    expect(methods(AsyncHydraLogger.prototype)).toEqual(
      expect.arrayContaining(methods(HydraLogger.prototype)),
    );
    expect(statics(AsyncHydraLogger)).toEqual(expect.arrayContaining(statics(HydraLogger)));
    for (const cls of [HydraLogger, AsyncHydraLogger])
      expect(typeof cls.prototype[Symbol.asyncDispose]).toBe('function');
  });

  it('the instances have the same level and kind methods', () => {
    const a = new HydraLogger({ config: only({ type: 'null' }) }) as unknown as Record<string, unknown>;
    const b = new AsyncHydraLogger({ config: only({ type: 'null' }) }) as unknown as Record<string, unknown>;
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expect(typeof b[k]).toBe(typeof a[k]);
  });

  it('a memory destination returns its records through memory() on both', async () => {
    for (const kind of LOGGERS) {
      const logger = kind.create({ config: only({ type: 'memory', format: 'json', name: 'm' }) });
      await logger.info('hello');
      expect(memoryRecords(logger, 'm')).toEqual([expect.objectContaining({ message: 'hello' })]);
      await logger.close();
    }
  });
});
