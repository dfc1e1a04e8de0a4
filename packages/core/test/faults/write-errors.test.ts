import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DestinationWriteError,
  type FileDestination,
  HydraLogger,
  type HydraLoggerOptions,
} from '../../src/index.js';
import { FaultPort } from '../fixtures/fault-port.js';
import { captureStderr, makeTempDir, range, readLines, removeDir, seqs } from '../fixtures/helpers.js';

let dir: string;
let file: string;
let port: FaultPort;
let stderr: ReturnType<typeof captureStderr>;
let events: DestinationWriteError[];
const loggers: HydraLogger[] = [];

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
  port = new FaultPort();
  stderr = captureStderr();
  events = [];
});

afterEach(async () => {
  port.heal();
  await Promise.all(loggers.splice(0).map((l) => l.close()));
  stderr.restore();
  removeDir(dir);
});

const BIG_BUFFER: Partial<FileDestination> = { bufferSize: 1 << 20, flushInterval: 60_000 };

/** A logger writing JSON lines to `file` through the fault port, its `error` events collected. */
function faultyLogger(dest: Partial<FileDestination>, extra: Partial<HydraLoggerOptions> = {}): HydraLogger {
  const logger = new HydraLogger({
    fs: port,
    ...extra,
    config: { layers: { DEFAULT: { destinations: [{ type: 'file', name: 'out', path: file, ...dest }] } } },
  });
  logger.on('error', (e) => events.push(e));
  loggers.push(logger);
  return logger;
}

/** Logs seq `from … to-1`; fails the test if a call throws. */
function logRange(logger: HydraLogger, from: number, to: number): void {
  for (const i of range(from, to)) expect(() => logger.info('record', { seq: i })).not.toThrow();
}

const reportsFor = (code: string): string[] => stderr.lines.filter((l) => l.includes(`(${code})`));

describe('retryable faults (EAGAIN)', () => {
  for (const mode of ['sync', 'buffered'] as const) {
    it(`EAGAIN 3 times then success: nothing lost, 3 retries counted (${mode})`, () => {
      const logger = faultyLogger({ mode, ...BIG_BUFFER });
      logRange(logger, 0, 2);
      port.failWrites('EAGAIN', 3);
      logRange(logger, 2, 4);
      logger.flushSync();
      expect(seqs(readLines(file))).toEqual(range(0, 4));
      const m = logger.getPerformanceMetrics();
      expect(m.destinations.out?.retries).toBe(3);
      expect(m.dropped).toEqual({});
      expect(events).toEqual([]);
      expect(stderr.lines).toEqual([]);
    });
  }

  it('EAGAIN forever: the call returns after writeRetries attempts and the record is counted', () => {
    const logger = faultyLogger(
      { mode: 'sync' },
      { limits: { writeRetries: 4, writeRetryBudgetMs: 10_000 } },
    );
    port.failWrites('EAGAIN');
    logRange(logger, 0, 1);
    const m = logger.getPerformanceMetrics();
    expect(m.destinations.out?.retries).toBe(4);
    expect(m.dropped['write_error:EAGAIN']).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('EAGAIN forever: the retry time budget bounds the wait even with many attempts allowed', () => {
    const logger = faultyLogger(
      { mode: 'sync' },
      { limits: { writeRetries: 1_000_000, writeRetryBudgetMs: 40 } },
    );
    port.failWrites('EAGAIN');
    logRange(logger, 0, 2);
    const m = logger.getPerformanceMetrics();
    expect(m.dropped['write_error:EAGAIN']).toBe(2);
    // 2, 4, 8, 16, then the 10 ms left: the budget, not the attempt count, stopped it.
    expect(m.destinations.out?.retries).toBeLessThanOrEqual(2 * 6);
  });

  it('a sink that accepts 0 bytes forever does not hang the caller', () => {
    const logger = faultyLogger({ mode: 'sync' }, { limits: { writeRetries: 5, writeRetryBudgetMs: 1_000 } });
    port.stallWrites();
    logRange(logger, 0, 1);
    port.heal();
    logRange(logger, 1, 2);
    expect(seqs(readLines(file))).toEqual([1]);
    expect(logger.getPerformanceMetrics().dropped['write_error:EAGAIN']).toBe(1);
  });

  it('a sink that accepts 0 bytes a few times then recovers loses nothing', () => {
    const logger = faultyLogger({ mode: 'sync' });
    port.stallWrites(3);
    logRange(logger, 0, 2);
    expect(seqs(readLines(file))).toEqual([0, 1]);
    expect(logger.getPerformanceMetrics().dropped).toEqual({});
  });
});

describe('fatal write faults: no throw, exact drop counts, one report, recovery', () => {
  for (const code of ['ENOSPC', 'EACCES', 'EPIPE']) {
    it(`${code} in sync mode: each failed record dropped and counted, writing resumes after the fault clears`, () => {
      const logger = faultyLogger({ mode: 'sync' });
      logRange(logger, 0, 2);
      port.failWrites(code);
      logRange(logger, 2, 7);
      logger.error('an error record is dropped the same way', { seq: 7 });
      port.heal();
      logRange(logger, 8, 10);
      expect(seqs(readLines(file))).toEqual([0, 1, 8, 9]);
      const m = logger.getPerformanceMetrics();
      expect(m.dropped).toEqual({ [`write_error:${code}`]: 6 });
      expect(m.destinations.out?.errors).toBe(6);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ code: 'HYDRA_E_WRITE_FAILED', destination: 'out' });
      expect((events[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe(code);
      expect(reportsFor(code)).toHaveLength(1);
      expect(stderr.lines).toHaveLength(1);
    });

    it(`${code} in buffered mode: the whole failed batch is counted, later batches land`, () => {
      const logger = faultyLogger({ mode: 'buffered', ...BIG_BUFFER });
      logRange(logger, 0, 3);
      logger.flushSync();
      logRange(logger, 3, 8);
      port.failWrites(code);
      logger.flushSync(); // batch of 5 fails
      logRange(logger, 8, 10);
      logger.flushSync(); // batch of 2 fails
      port.heal();
      logRange(logger, 10, 12);
      logger.flushSync();
      expect(seqs(readLines(file))).toEqual([0, 1, 2, 10, 11]);
      expect(logger.getPerformanceMetrics().dropped).toEqual({ [`write_error:${code}`]: 7 });
      expect(events).toHaveLength(1);
      expect(reportsFor(code)).toHaveLength(1);
    });
  }

  it('reports once per destination and per code: two files, two codes', () => {
    const second = path.join(dir, 'second.log');
    const logger = new HydraLogger({
      fs: port,
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'file', name: 'one', path: file, mode: 'sync' },
              { type: 'file', name: 'two', path: second, mode: 'sync' },
            ],
          },
        },
      },
    });
    loggers.push(logger);
    logger.on('error', (e) => events.push(e));
    port.failWrites('ENOSPC');
    logRange(logger, 0, 3);
    port.failWrites('EIO');
    logRange(logger, 3, 5);
    const seen = events.map((e) => `${e.destination}:${(e.cause as NodeJS.ErrnoException).code}`).sort();
    expect(seen).toEqual(['one:EIO', 'one:ENOSPC', 'two:EIO', 'two:ENOSPC']);
    expect(stderr.lines).toHaveLength(4);
    const m = logger.getPerformanceMetrics();
    expect(m.destinations.one?.dropped).toEqual({ 'write_error:ENOSPC': 3, 'write_error:EIO': 2 });
    expect(m.destinations.two?.dropped).toEqual({ 'write_error:ENOSPC': 3, 'write_error:EIO': 2 });
    expect(m.dropped).toEqual({ 'write_error:ENOSPC': 6, 'write_error:EIO': 4 });
  });

  it('a throwing error listener does not reach the code that logged', () => {
    const logger = faultyLogger({ mode: 'sync' });
    logger.on('error', () => {
      throw new Error('listener bug');
    });
    port.failWrites('ENOSPC');
    logRange(logger, 0, 1);
    expect(logger.getPerformanceMetrics().dropped['write_error:ENOSPC']).toBe(1);
  });

  it('without an error listener a fault is still only counted and reported on stderr', () => {
    const logger = new HydraLogger({
      fs: port,
      config: {
        layers: { DEFAULT: { destinations: [{ type: 'file', name: 'out', path: file, mode: 'sync' }] } },
      },
    });
    loggers.push(logger);
    port.failWrites('ENOSPC');
    logRange(logger, 0, 2);
    expect(logger.getPerformanceMetrics().dropped['write_error:ENOSPC']).toBe(2);
    expect(reportsFor('ENOSPC')).toHaveLength(1);
  });
});

describe('partial writes', () => {
  for (const mode of ['sync', 'buffered'] as const) {
    it(`writes cut to 7 bytes are completed: no torn, lost or duplicated line (${mode}, multi-byte text)`, () => {
      port.chunk = 7;
      const logger = faultyLogger({ mode, bufferSize: 300, flushInterval: 60_000 });
      for (const i of range(0, 40)) logger.info(`é — 😀 ${'ü'.repeat(i % 5)}`, { seq: i });
      logger.flushSync();
      const lines = readLines(file);
      expect(seqs(lines)).toEqual(range(0, 40));
      expect(JSON.parse(lines[4] as string).message).toBe('é — 😀 üüüü');
      const m = logger.getPerformanceMetrics();
      expect(m.destinations.out?.bytesWritten).toBe(fs.statSync(file).size);
      expect(m.destinations.out?.writes).toBe(port.writeCalls);
      expect(m.dropped).toEqual({});
    });
  }

  it('a batch cut short by ENOSPC: records fully written are not counted as dropped, the next record is intact', () => {
    const logger = faultyLogger({ mode: 'buffered', ...BIG_BUFFER });
    logRange(logger, 0, 5);
    expect(readLines(file)).toEqual([]);
    // Land two whole lines and part of the third, then the disk is full (every line has the same length).
    const one = Buffer.byteLength(
      `${JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level: 'INFO', layer: 'DEFAULT', message: 'record', seq: 0 })}\n`,
    );
    port.cutThenFail(2 * one + 10, 'ENOSPC');
    logger.flushSync();
    port.heal();
    logRange(logger, 5, 7);
    logger.flushSync();
    const lines = readLines(file);
    // The cut record leaves a 10-byte fragment on a line of its own; every other line is whole.
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('{"timestam');
    expect(seqs([...lines.slice(0, 2), ...lines.slice(3)])).toEqual([0, 1, 5, 6]);
    // 0 and 1 landed; 2 (cut), 3 and 4 did not.
    expect(logger.getPerformanceMetrics().dropped).toEqual({ 'write_error:ENOSPC': 3 });
  });
});

describe('open failures', () => {
  for (const mode of ['sync', 'buffered'] as const) {
    it(`EACCES on open: records dropped as open_error, the open is retried on the next write (${mode})`, () => {
      const logger = faultyLogger({ mode, ...BIG_BUFFER });
      port.failOpens('EACCES', 1);
      logRange(logger, 0, 1);
      logger.flushSync();
      expect(fs.existsSync(file)).toBe(false);
      logRange(logger, 1, 2);
      logger.flushSync();
      logRange(logger, 2, 4);
      logger.flushSync();
      // Only the first record (sync) or the first batch, of one record too (buffered), met the failed open.
      expect(seqs(readLines(file))).toEqual([1, 2, 3]);
      expect(logger.getPerformanceMetrics().dropped).toEqual({ open_error: 1 });
      expect(events).toHaveLength(1);
      expect((events[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');
      expect(reportsFor('EACCES')).toHaveLength(1);
    });
  }

  it('a directory that cannot be created: counted as open_error, no throw', () => {
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file where a directory should be');
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'file', name: 'out', path: path.join(dir, 'blocker', 'sub', 'app.log'), mode: 'sync' },
            ],
          },
        },
      },
    });
    loggers.push(logger);
    logger.on('error', (e) => events.push(e));
    logRange(logger, 0, 3);
    expect(logger.getPerformanceMetrics().dropped).toEqual({ open_error: 3 });
    expect(events).toHaveLength(1);
  });
});

describe('a real full disk (/dev/full)', () => {
  it.skipIf(!fs.existsSync('/dev/full'))(
    'drops counted exactly, no throw, one report (sync and buffered)',
    () => {
      const logger = new HydraLogger({
        config: {
          layers: {
            DEFAULT: {
              destinations: [
                { type: 'file', name: 'sync', path: '/dev/full', mode: 'sync' },
                { type: 'file', name: 'buffered', path: '/dev/full', mode: 'buffered', ...BIG_BUFFER },
              ],
            },
          },
        },
      });
      loggers.push(logger);
      logger.on('error', (e) => events.push(e));
      logRange(logger, 0, 10);
      logger.flushSync();
      logRange(logger, 10, 15);
      logger.error('written synchronously, dropped the same way');
      const m = logger.getPerformanceMetrics();
      expect(m.destinations.sync?.dropped).toEqual({ 'write_error:ENOSPC': 16 });
      expect(m.destinations.buffered?.dropped).toEqual({ 'write_error:ENOSPC': 16 });
      expect(events.map((e) => e.destination).sort()).toEqual(['buffered', 'sync']);
      expect(reportsFor('ENOSPC')).toHaveLength(2);
    },
  );
});
