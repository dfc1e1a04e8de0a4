import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsyncHydraLogger, RecordDroppedError } from '../../src/index.js';
import {
  AsyncFaultPort,
  fileLines,
  fileLogger,
  isSettled,
  ledgerHolds,
  makeTempDir,
  range,
  removeDir,
  seqsIn,
} from './helpers.js';

// What each promise of AsyncHydraLogger means (docs/async.md § Promises).

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'out.log');
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

describe('a log call’s promise', () => {
  it('resolves once the line is in the file (read right after the await, no flush)', async () => {
    const logger = fileLogger(dir, file);
    for (let i = 0; i < 20; i++) {
      const p = logger.info('line', { seq: i });
      expect(await isSettled(p)).toBe(false);
      await p;
      expect(seqsIn(file)).toEqual(range(0, i + 1));
    }
    await logger.close();
  });

  it('records logged in the same tick share one write(2)', async () => {
    const port = new AsyncFaultPort();
    const logger = fileLogger(dir, file, { fs: port });
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) calls.push(logger.info('line', { seq: i }));
    await Promise.all(calls);
    expect(seqsIn(file)).toEqual(range(0, 1000));
    expect(port.asyncCalls).toBe(1);
    expect(logger.getPerformanceMetrics().destinations.out).toMatchObject({ writes: 1, records: 1000 });
    await logger.close();
  });

  it('ERROR and CRITICAL are written before the call returns, with everything logged before them; the promise is settled', async () => {
    const logger = fileLogger(dir, file);
    void logger.info('line', { seq: 0 });
    void logger.info('line', { seq: 1 });
    const p = logger.error('line', { seq: 2 });
    expect(seqsIn(file)).toEqual([0, 1, 2]);
    expect(await isSettled(p)).toBe(true);
    const q = logger.critical('line', { seq: 3 });
    expect(seqsIn(file)).toEqual([0, 1, 2, 3]);
    expect(await isSettled(q)).toBe(true);
    await logger.close();
  });

  it('an ERROR waits for an async write in flight to land, so order is kept', async () => {
    const port = new AsyncFaultPort();
    port.asyncDelayMs = 30;
    const logger = fileLogger(dir, file, { fs: port });
    const first = logger.info('line', { seq: 0 });
    await new Promise((r) => setImmediate(r)); // the batch is in flight now
    void logger.error('line', { seq: 1 });
    expect(seqsIn(file)).toEqual([0, 1]);
    await first;
    expect(seqsIn(file)).toEqual([0, 1]);
    expect(logger.getQueuePerformanceMetrics().ledger).toMatchObject({
      produced: 2,
      delivered: 2,
      overtaken: 0,
    });
    await logger.close();
  });

  it('a call below the level, or dropped by a processor, returns a resolved promise', async () => {
    const logger = fileLogger(dir, file, { enableSecurity: true, threatPolicy: 'block' });
    expect(await isSettled(logger.debug('below'))).toBe(true);
    expect(await isSettled(logger.info('x', { q: '<script>alert(1)</script>' }))).toBe(true);
    await logger.close();
    expect(fileLines(file)).toEqual([]);
  });

  it('a line to a memory or null destination is settled at once; to a file and memory, when the file has it', async () => {
    const logger = new AsyncHydraLogger({
      journalDir: false,
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'memory', name: 'mem' },
              { type: 'file', path: file, name: 'f' },
            ],
          },
          NULL: { destinations: [{ type: 'null' }] },
        },
      },
    });
    expect(await isSettled(logger.info('NULL', 'gone'))).toBe(true);
    const both = logger.info('to both');
    expect(logger.memory('mem')?.lines()).toHaveLength(1);
    expect(await isSettled(both)).toBe(false);
    await both;
    expect(fileLines(file)).toHaveLength(1);
    await logger.close();
  });

  it('after close: resolved at once, counted as dropped (closed), one warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const logger = fileLogger(dir, file);
    await logger.close();
    const p = logger.info('late');
    expect(await isSettled(p)).toBe(true);
    await logger.error('late');
    expect(logger.getPerformanceMetrics().dropped).toEqual({ closed: 2 });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('a promise rejects only when no strategy could write the line', () => {
  it('fallbacks that work: the promise resolves even though the primary failed', async () => {
    const port = new AsyncFaultPort().failAsync('EIO', 1);
    const logger = fileLogger(dir, file, { fs: port });
    await logger.info('line', { seq: 0 });
    expect(seqsIn(file)).toEqual([0]);
    await logger.close();
  });

  it('with only `sync` and a disk that refuses every write: RecordDroppedError with the reason, counted', async () => {
    const port = new AsyncFaultPort().failWrites('ENOSPC');
    const logger = fileLogger(dir, file, { fs: port, primaryStrategy: 'sync', fallbackStrategies: [] });
    const errors: Error[] = [];
    logger.on('error', (e) => errors.push(e));
    const p = logger.info('line', { seq: 0 });
    await expect(p).rejects.toBeInstanceOf(RecordDroppedError);
    await expect(p).rejects.toMatchObject({
      code: 'HYDRA_E_RECORD_DROPPED',
      reason: 'write_error:ENOSPC',
      destination: 'out',
    });
    // Not awaited: no unhandled rejection (vitest fails the run on one).
    for (let i = 1; i < 10; i++) void logger.info('line', { seq: i });
    await logger.flush();
    expect(logger.getPerformanceMetrics().dropped).toEqual({ 'write_error:ENOSPC': 10 });
    expect(errors).toHaveLength(1);
    const m = logger.getQueuePerformanceMetrics();
    expect(m.ledger).toMatchObject({ produced: 10, delivered: 0, dropped: 10, pending: 0 });
    expect(ledgerHolds(m)).toBe(true);
    port.heal();
    await logger.info('line', { seq: 10 });
    expect(seqsIn(file)).toEqual([10]);
    await logger.close();
  });

  it('an ERROR that cannot be written rejects too (after every strategy was tried before the call returned)', async () => {
    const port = new AsyncFaultPort().failWrites('EACCES');
    const logger = fileLogger(dir, file, { fs: port, fallbackStrategies: ['sync', 'direct'] });
    logger.on('error', () => {});
    const p = logger.error('line', { seq: 0 });
    expect(await isSettled(p)).toBe(true);
    await expect(p).rejects.toMatchObject({ reason: 'write_error:EACCES' });
    await logger.close();
  });
});

describe('fsync: true', () => {
  it('each batch is fsynced before its promises resolve (sync and async strategies)', async () => {
    for (const primaryStrategy of ['async', 'sync'] as const) {
      const port = new AsyncFaultPort();
      const f = path.join(dir, `${primaryStrategy}.log`);
      const logger = fileLogger(dir, f, { fs: port, primaryStrategy }, { fsync: true } as never);
      await Promise.all(range(0, 10).map((seq) => logger.info('line', { seq })));
      expect(port.fsyncs).toBe(1);
      await logger.info('line', { seq: 10 });
      expect(port.fsyncs).toBe(2);
      await logger.close();
      expect(fs.readFileSync(f, 'utf8').split('\n')).toHaveLength(12);
    }
  });
});
