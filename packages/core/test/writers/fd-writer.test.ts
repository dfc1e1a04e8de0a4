import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileDestination, HydraLogger } from '../../src/index.js';
import { makeTempDir, oneDestination, range, readLines, removeDir, seqs } from '../fixtures/helpers.js';

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

describe('fd writer: reopen after logrotate moved the file', () => {
  it('pending lines go to the moved file, later lines to a new file at the path', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    logger.info('before rotation', { seq: 0 });
    logger.flushSync();
    const rotated = path.join(dir, 'app.log.1');
    fs.renameSync(file, rotated);
    logger.info('still pending when rotated', { seq: 1 });
    logger.reopen();
    logger.info('after reopen', { seq: 2 });
    logger.flushSync();
    expect(seqs(readLines(rotated))).toEqual([0, 1]);
    expect(seqs(readLines(file))).toEqual([2]);
  });

  it('without reopen, lines keep going to the moved file (the descriptor follows it)', () => {
    const logger = fileLogger({ mode: 'sync' });
    logger.info('first', { seq: 0 });
    const rotated = path.join(dir, 'app.log.1');
    fs.renameSync(file, rotated);
    logger.info('second', { seq: 1 });
    expect(seqs(readLines(rotated))).toEqual([0, 1]);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('fd writer: header (csv)', () => {
  const HEADER = 'timestamp,level,layer,message,fields';

  it('is written once, before the first line of a new file', () => {
    const logger = fileLogger({ format: 'csv', mode: 'sync' });
    logger.info('one');
    logger.info('two');
    const lines = readLines(file);
    expect(lines[0]).toBe(HEADER);
    expect(lines.filter((l) => l === HEADER)).toHaveLength(1);
    expect(lines).toHaveLength(3);
  });

  it('is not written again when appending to a file that already has content', async () => {
    const first = fileLogger({ format: 'csv' });
    first.info('one');
    await first.close();
    const second = fileLogger({ format: 'csv' });
    second.info('two');
    await second.close();
    const lines = readLines(file);
    expect(lines.filter((l) => l === HEADER)).toHaveLength(1);
    expect(lines).toHaveLength(3);
  });

  it('is written again at the top of the new file after reopen', () => {
    const logger = fileLogger({ format: 'csv', mode: 'sync' });
    logger.info('old file');
    fs.renameSync(file, path.join(dir, 'old.csv'));
    logger.reopen();
    logger.info('new file');
    expect(readLines(file)[0]).toBe(HEADER);
    expect(readLines(file)).toHaveLength(2);
  });
});

describe('fd writer: counters', () => {
  it('bytesWritten matches the file size; a buffered batch is one write and one flush', () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    for (const i of range(0, 20)) logger.info('counted é', { seq: i });
    logger.flushSync();
    const m = logger.getPerformanceMetrics();
    expect(m.destinations.out).toMatchObject({ records: 20, writes: 1, flushes: 1, pending: 0, errors: 0 });
    expect(m.destinations.out?.bytesWritten).toBe(fs.statSync(file).size);
    expect(m.bytesWritten).toBe(fs.statSync(file).size);
  });

  it('flush() (async) writes pending lines too', async () => {
    const logger = fileLogger({ mode: 'buffered', bufferSize: 1 << 20, flushInterval: 60_000 });
    logger.info('pending', { seq: 0 });
    await logger.flush();
    expect(seqs(readLines(file))).toEqual([0]);
  });

  it('flushSync() with nothing pending writes nothing', () => {
    const logger = fileLogger({ mode: 'buffered' });
    logger.flushSync();
    expect(fs.existsSync(file)).toBe(false);
    expect(logger.getPerformanceMetrics().destinations.out).toMatchObject({ writes: 0, flushes: 0 });
  });
});

describe('fd writer: exit flush registration', () => {
  it('many buffered loggers share one exit listener, removed when the last is closed', async () => {
    const before = process.listenerCount('exit');
    const loggers = range(0, 20).map(
      (i) => new HydraLogger(oneDestination({ type: 'file', path: path.join(dir, `f${i}.log`) })),
    );
    expect(process.listenerCount('exit')).toBeLessThanOrEqual(before + 1);
    await Promise.all(loggers.map((l) => l.close()));
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('a sync logger adds no exit listener', async () => {
    const before = process.listenerCount('exit');
    const logger = new HydraLogger(oneDestination({ type: 'file', path: file, mode: 'sync' }));
    expect(process.listenerCount('exit')).toBe(before);
    await logger.close();
  });
});
