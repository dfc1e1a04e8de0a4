import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileDestination, HydraLogger } from '../../src/index.js';
import {
  eventually,
  makeTempDir,
  oneDestination,
  range,
  readLines,
  removeDir,
  seqs,
} from '../fixtures/helpers.js';

let dir: string;
let file: string;
const open: HydraLogger[] = [];

function fileLogger(dest: Partial<FileDestination> = {}): HydraLogger {
  const logger = new HydraLogger(oneDestination({ type: 'file', path: file, ...dest }));
  open.push(logger);
  return logger;
}

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  removeDir(dir);
});

describe('file destination: directories and appending', () => {
  it('creates nothing at construction and the nested directory on the first write', () => {
    const nested = path.join(dir, 'a', 'b', 'c');
    file = path.join(nested, 'app.log');
    const logger = fileLogger({ mode: 'sync' });
    expect(fs.existsSync(path.join(dir, 'a'))).toBe(false);
    logger.info('first', { seq: 0 });
    expect(seqs(readLines(file))).toEqual([0]);
  });

  it('creates nothing in buffered mode until the buffer is written', () => {
    file = path.join(dir, 'later', 'app.log');
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    logger.info('pending', { seq: 0 });
    expect(fs.existsSync(path.join(dir, 'later'))).toBe(false);
    logger.flushSync();
    expect(seqs(readLines(file))).toEqual([0]);
  });

  it('appends to an existing file without truncating it', async () => {
    fs.writeFileSync(file, 'line written before\n');
    const logger = fileLogger({ mode: 'sync' });
    logger.info('appended', { seq: 1 });
    await logger.close();
    const lines = readLines(file);
    expect(lines[0]).toBe('line written before');
    expect(seqs(lines.slice(1))).toEqual([1]);
  });

  it('appends after an earlier logger on the same file was closed', async () => {
    const first = fileLogger();
    first.info('one', { seq: 0 });
    await first.close();
    const second = fileLogger();
    second.info('two', { seq: 1 });
    await second.close();
    expect(seqs(readLines(file))).toEqual([0, 1]);
  });
});

describe('file destination: sync mode', () => {
  it('has each line on disk when the call returns', () => {
    const logger = fileLogger({ mode: 'sync' });
    for (const i of range(0, 5)) {
      logger.info('sync line', { seq: i });
      expect(seqs(readLines(file))).toEqual(range(0, i + 1));
    }
    expect(logger.getPerformanceMetrics().destinations.out?.writes).toBe(5);
  });
});

describe('file destination: buffered mode', () => {
  it('holds INFO records in memory until flushSync()', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    for (const i of range(0, 10)) logger.info('buffered line', { seq: i });
    expect(readLines(file)).toEqual([]);
    expect(logger.getPerformanceMetrics().destinations.out?.pending).toBe(10);
    logger.flushSync();
    expect(seqs(readLines(file))).toEqual(range(0, 10));
    expect(logger.getPerformanceMetrics().destinations.out?.pending).toBe(0);
  });

  it('is the default mode for files', () => {
    const logger = fileLogger({ flushInterval: 60_000 });
    logger.info('default mode', { seq: 0 });
    expect(readLines(file)).toEqual([]);
    logger.flushSync();
    expect(seqs(readLines(file))).toEqual([0]);
  });

  it('writes without a flush call once bufferSize is reached', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1, flushInterval: 60_000 });
    for (const i of range(0, 3)) {
      logger.info('size flush', { seq: i });
      expect(seqs(readLines(file))).toEqual(range(0, i + 1));
    }
  });

  it('writes the whole pending batch when a record pushes the buffer past bufferSize', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 4096, flushInterval: 60_000 });
    let logged = 0;
    while (readLines(file).length === 0) {
      expect(logged).toBeLessThan(1000);
      logger.info('fills the buffer', { seq: logged++ });
    }
    // Several records were held, then all of them were written together, in order.
    expect(logged).toBeGreaterThan(1);
    expect(seqs(readLines(file))).toEqual(range(0, logged));
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(4096);
  });

  it('writes pending records by itself after flushInterval', async () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 20 });
    for (const i of range(0, 3)) logger.info('interval flush', { seq: i });
    await eventually(() => readLines(file).length === 3);
    expect(seqs(readLines(file))).toEqual([0, 1, 2]);
  });

  it('writes an ERROR record before the call returns, after everything buffered before it', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    for (const i of range(0, 3)) logger.info('before the error', { seq: i });
    logger.warn('still buffered', { seq: 3 });
    expect(readLines(file)).toEqual([]);
    logger.error('the error', { seq: 4 });
    const lines = readLines(file);
    expect(seqs(lines)).toEqual(range(0, 5));
    expect(JSON.parse(lines[4] as string)).toMatchObject({ level: 'ERROR', message: 'the error' });
  });

  it('writes a CRITICAL record synchronously too', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    logger.info('before', { seq: 0 });
    logger.critical('down', { seq: 1 });
    expect(seqs(readLines(file))).toEqual([0, 1]);
  });

  it('writes nothing at all for records below the destination level', () => {
    const logger = fileLogger({ mode: 'sync', level: 'WARNING' });
    logger.info('filtered', { seq: 0 });
    logger.warn('kept', { seq: 1 });
    expect(seqs(readLines(file))).toEqual([1]);
  });
});

describe('file destination: close', () => {
  it('flushes pending records and returns the same promise each time', async () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    for (const i of range(0, 5)) logger.info('pending at close', { seq: i });
    const first = logger.close();
    expect(logger.close()).toBe(first);
    await first;
    expect(seqs(readLines(file))).toEqual(range(0, 5));
    await expect(logger.close()).resolves.toBeUndefined();
  });

  it('turns a log call after close into a counted no-op with one warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const logger = fileLogger({ mode: 'buffered' });
      logger.info('before close', { seq: 0 });
      await logger.close();
      expect(() => logger.info('after close', { seq: 1 })).not.toThrow();
      logger.error('after close too', { seq: 2 });
      await logger.close();
      await new Promise((r) => setTimeout(r, 10)); // process.emitWarning delivers on the next tick
      expect(seqs(readLines(file))).toEqual([0]);
      expect(logger.getPerformanceMetrics().dropped.closed).toBe(2);
      const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === 'HYDRA_W_LOG_AFTER_CLOSE');
      expect(ours).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
