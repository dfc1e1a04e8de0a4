import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DestinationWriteError,
  type FileDestination,
  HydraLogger,
  type HydraLoggerOptions,
  type LogDestination,
  loadConfig,
  validateConfig,
} from '../../src/index.js';
import { FdWriter } from '../../src/writers/fd-writer.js';
import { nodeFs } from '../../src/writers/fs-port.js';
import { parseRotateInterval } from '../../src/writers/rotation.js';
import { FaultPort } from '../fixtures/fault-port.js';
import { captureStderr, makeTempDir, range, readLines, removeDir, seqs } from '../fixtures/helpers.js';
import { namesIn, rotatedSet, rotatedText } from '../fixtures/rotation.js';

let dir: string;
let file: string;
const open: HydraLogger[] = [];

function fileLogger(dest: Partial<FileDestination>, extra: Partial<HydraLoggerOptions> = {}): HydraLogger {
  const logger = new HydraLogger({
    ...extra,
    config: { layers: { DEFAULT: { destinations: [{ type: 'file', name: 'out', path: file, ...dest }] } } },
  });
  open.push(logger);
  return logger;
}

/** Logs `info('record', { seq })` for seq `from … to-1`; each call must not throw. */
function logRange(logger: HydraLogger, from: number, to: number): void {
  for (const i of range(from, to)) expect(() => logger.info('record', { seq: i })).not.toThrow();
}

/** The seqs of every line across the rotated set, oldest file first. */
function allSeqs(): number[] {
  const text = rotatedText(file);
  expect(text.endsWith('\n')).toBe(true);
  return seqs(text.slice(0, -1).split('\n'));
}

const BIG_BUFFER: Partial<FileDestination> = { bufferSize: 1 << 20, flushInterval: 60_000 };
const MODES = ['sync', 'buffered'] as const;

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((l) => l.close()));
  removeDir(dir);
});

describe('size rotation (maxSize)', () => {
  for (const mode of MODES) {
    it(`backupCount bounds the files: ~10 rotations with backupCount 3 leave app.log + 3 backups, the newest lines (${mode})`, async () => {
      const logger = fileLogger({ mode, maxSize: '10KB', backupCount: 3 });
      // ~100-byte lines: 1,100 of them are ~11 files of 10 KB.
      logRange(logger, 0, 1_100);
      await logger.close();
      expect(namesIn(file)).toEqual(['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
      const rotations = logger.getPerformanceMetrics().destinations.out?.rotations ?? 0;
      expect(rotations).toBeGreaterThanOrEqual(10);
      // What is kept is one unbroken run ending with the last record.
      const kept = allSeqs();
      expect(kept).toEqual(range(1_100 - kept.length, 1_100));
      expect(kept.length).toBeGreaterThan(300);
      for (const f of rotatedSet(file)) expect(f.size).toBeLessThanOrEqual(10_000);
    });

    it(`no file passes maxSize, and each rotated file is full (the next line would not fit) (${mode})`, async () => {
      const logger = fileLogger({ mode, maxSize: '4KiB', backupCount: 50, ...BIG_BUFFER });
      // Lines of varied length, so that cuts do not fall on a pattern.
      for (const i of range(0, 600)) logger.info('record', { seq: i, pad: 'p'.repeat((i * 37) % 120) });
      await logger.close();
      const set = rotatedSet(file);
      expect(set.length).toBeGreaterThan(10);
      expect(allSeqs()).toEqual(range(0, 600));
      for (const [k, f] of set.entries()) {
        expect(f.size).toBeLessThanOrEqual(4096);
        const next = set[k + 1];
        if (next === undefined) continue;
        const firstLineOfNext = Buffer.byteLength(next.text.slice(0, next.text.indexOf('\n') + 1));
        expect(f.size + firstLineOfNext).toBeGreaterThan(4096);
      }
    });

    it(`a line longer than maxSize is written whole, alone in a fresh file (${mode})`, async () => {
      const logger = fileLogger({ mode, maxSize: '1KB', backupCount: 10, ...BIG_BUFFER });
      logger.info('small', { seq: 0 });
      logger.info('big', { seq: 1, pad: 'x'.repeat(3_000) });
      logger.info('small', { seq: 2 });
      logger.info('bigger', { seq: 3, pad: 'y'.repeat(5_000) });
      logger.info('small', { seq: 4 });
      await logger.close();
      const set = rotatedSet(file);
      expect(set.map((f) => seqs(f.text.trimEnd().split('\n')))).toEqual([[0], [1], [2], [3], [4]]);
      expect(set.map((f) => f.size > 1_000)).toEqual([false, true, false, true, false]);
    });
  }

  it('a buffered batch much larger than maxSize is cut at line boundaries (one flush, many files)', () => {
    const logger = fileLogger({ mode: 'buffered', maxSize: '2KB', backupCount: 100, ...BIG_BUFFER });
    logRange(logger, 0, 500);
    expect(fs.existsSync(file)).toBe(false);
    logger.flushSync();
    const m = logger.getPerformanceMetrics().destinations.out;
    expect(m?.flushes).toBe(1);
    expect(m?.rotations).toBe(rotatedSet(file).length - 1);
    expect(allSeqs()).toEqual(range(0, 500));
    for (const f of rotatedSet(file)) {
      expect(f.size).toBeLessThanOrEqual(2_000);
      expect(f.text.endsWith('\n')).toBe(true);
    }
  });

  it('counts what an existing file already holds (appending after a restart)', () => {
    fs.writeFileSync(file, `${'z'.repeat(9_899)}\n`);
    const logger = fileLogger({ mode: 'sync', maxSize: '10KB' });
    logRange(logger, 0, 3);
    expect(namesIn(file)).toEqual(['app.log', 'app.log.1']);
    expect(fs.statSync(`${file}.1`).size).toBeLessThanOrEqual(10_000);
    expect(fs.readFileSync(`${file}.1`, 'utf8').startsWith('zzz')).toBe(true);
  });

  it('backupCount 0 keeps no backup: the file is replaced', async () => {
    const logger = fileLogger({ mode: 'sync', maxSize: '2KB', backupCount: 0 });
    logRange(logger, 0, 200);
    await logger.close();
    expect(namesIn(file)).toEqual(['app.log']);
    const kept = seqs(readLines(file));
    expect(kept).toEqual(range(200 - kept.length, 200));
    expect(fs.statSync(file).size).toBeLessThanOrEqual(2_000);
    expect(logger.getPerformanceMetrics().destinations.out?.rotations).toBeGreaterThan(5);
  });

  it('backupCount defaults to 5', async () => {
    const logger = fileLogger({ mode: 'sync', maxSize: '1KB' });
    logRange(logger, 0, 200);
    await logger.close();
    expect(namesIn(file)).toEqual(['app.log', ...range(1, 6).map((i) => `app.log.${i}`)]);
  });

  it('snake_case keys work the same (max_size, backup_count)', async () => {
    const logger = fileLogger({ mode: 'sync', max_size: '1KB', backup_count: 2 } as never);
    logRange(logger, 0, 100);
    await logger.close();
    expect(namesIn(file)).toEqual(['app.log', 'app.log.1', 'app.log.2']);
  });

  it('reports rotations only for rotating destinations', () => {
    const plain = fileLogger({ mode: 'sync' });
    plain.info('x');
    expect(plain.getPerformanceMetrics().destinations.out).not.toHaveProperty('rotations');
    file = path.join(dir, 'rot.log');
    const rotating = fileLogger({ mode: 'sync', maxSize: '1MB' });
    rotating.info('x');
    expect(rotating.getPerformanceMetrics().destinations.out).toMatchObject({
      rotations: 0,
      rotationErrors: 0,
    });
  });
});

describe('compress', () => {
  for (const mode of MODES) {
    it(`rotated files are valid gzip (app.log.1.gz …) holding the right lines; backupCount still bounds them (${mode})`, async () => {
      const logger = fileLogger({ mode, maxSize: '4KB', backupCount: 4, compress: true });
      logRange(logger, 0, 800);
      await logger.close();
      expect(namesIn(file)).toEqual([
        'app.log',
        'app.log.1.gz',
        'app.log.2.gz',
        'app.log.3.gz',
        'app.log.4.gz',
      ]);
      const set = rotatedSet(file);
      expect(set.map((f) => f.compressed)).toEqual([true, true, true, true, false]);
      for (const f of set) {
        expect(Buffer.byteLength(f.text)).toBeLessThanOrEqual(4_000);
        if (f.compressed) expect(f.size).toBeLessThan(Buffer.byteLength(f.text));
      }
      const kept = allSeqs();
      expect(kept).toEqual(range(800 - kept.length, 800));
      expect(kept.length).toBeGreaterThan(100);
    });
  }

  it('switching compress on keeps older plain backups in the numbering', async () => {
    const first = fileLogger({ mode: 'sync', maxSize: '2KB', backupCount: 4 });
    logRange(first, 0, 50);
    await first.close();
    const second = fileLogger({ mode: 'sync', maxSize: '2KB', backupCount: 4, compress: true });
    logRange(second, 50, 100);
    await second.close();
    const set = rotatedSet(file);
    expect(set.filter((f) => f.index > 0).length).toBeLessThanOrEqual(4);
    const kept = allSeqs();
    expect(kept).toEqual(range(100 - kept.length, 100));
  });
});

describe('interval rotation (rotateInterval), with a faked clock', () => {
  /** Sets the clock (Date only: timers stay real) to a local date and time. */
  function at(...args: [number, number, number, number, number, number?]): void {
    vi.setSystemTime(new Date(...(args as [number, number, number, number, number, number])));
  }
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });

  for (const mode of MODES) {
    it(`hourly: the first write after the full hour opens a new file (${mode})`, async () => {
      at(2024, 2, 10, 10, 15, 0);
      const logger = fileLogger({ mode, rotateInterval: 'hourly', ...BIG_BUFFER });
      logRange(logger, 0, 3);
      logger.flushSync();
      at(2024, 2, 10, 10, 59, 59);
      logRange(logger, 3, 5);
      at(2024, 2, 10, 11, 0, 0);
      logRange(logger, 5, 8);
      at(2024, 2, 10, 11, 59, 0);
      logRange(logger, 8, 9);
      at(2024, 2, 10, 14, 30, 0); // hours without records: still one rotation
      logRange(logger, 9, 10);
      await logger.close();
      expect(rotatedSet(file).map((f) => [f.name, seqs(f.text.trimEnd().split('\n'))])).toEqual([
        ['app.log.2', [0, 1, 2, 3, 4]],
        ['app.log.1', [5, 6, 7, 8]],
        ['app.log', [9]],
      ]);
    });
  }

  it('hourly, buffered: records accepted before the boundary go to the old file even when flushed after it', () => {
    at(2024, 2, 10, 10, 59, 0);
    const logger = fileLogger({ mode: 'buffered', rotateInterval: 'hourly', ...BIG_BUFFER });
    logRange(logger, 0, 1);
    logger.flushSync(); // opens the file at 10:59
    logRange(logger, 1, 4); // buffered at 10:59
    at(2024, 2, 10, 11, 0, 1);
    logRange(logger, 4, 6); // the first write after 11:00 flushes 1–3 to the old file, then rotates
    logger.flushSync();
    expect(seqs(readLines(`${file}.1`))).toEqual([0, 1, 2, 3]);
    expect(seqs(readLines(file))).toEqual([4, 5]);
  });

  it('hourly, buffered: the period starts with the first record, not with the (lazy) open of the file', () => {
    at(2024, 2, 10, 10, 59, 59);
    const logger = fileLogger({ mode: 'buffered', rotateInterval: 'hourly', ...BIG_BUFFER });
    logRange(logger, 0, 2); // accepted at 10:59:59, nothing opened yet
    at(2024, 2, 10, 11, 0, 0);
    logger.flushSync(); // the file opens at 11:00:00 with the 10:59 records
    logRange(logger, 2, 3);
    logger.flushSync();
    expect(seqs(readLines(`${file}.1`))).toEqual([0, 1]);
    expect(seqs(readLines(file))).toEqual([2]);
  });

  it('daily: rotates at local midnight', async () => {
    at(2024, 11, 31, 9, 0, 0);
    const logger = fileLogger({ mode: 'sync', rotateInterval: 'daily' });
    logRange(logger, 0, 2);
    at(2024, 11, 31, 23, 59, 59);
    logRange(logger, 2, 3);
    at(2025, 0, 1, 0, 0, 0);
    logRange(logger, 3, 4);
    at(2025, 0, 1, 23, 0, 0);
    logRange(logger, 4, 5);
    at(2025, 0, 2, 0, 0, 1);
    logRange(logger, 5, 6);
    await logger.close();
    expect(rotatedSet(file).map((f) => seqs(f.text.trimEnd().split('\n')))).toEqual([[0, 1, 2], [3, 4], [5]]);
  });

  it('"30s": counts from the time the file was opened', async () => {
    at(2024, 5, 1, 12, 0, 10);
    const logger = fileLogger({ mode: 'sync', rotateInterval: '30s', backupCount: 10 });
    logRange(logger, 0, 1); // opened at 12:00:10
    at(2024, 5, 1, 12, 0, 39);
    logRange(logger, 1, 2);
    at(2024, 5, 1, 12, 0, 40); // 30 s after the open
    logRange(logger, 2, 3); // new file opened at 12:00:40
    at(2024, 5, 1, 12, 1, 5);
    logRange(logger, 3, 4);
    at(2024, 5, 1, 12, 1, 10);
    logRange(logger, 4, 5);
    await logger.close();
    expect(rotatedSet(file).map((f) => seqs(f.text.trimEnd().split('\n')))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('hourly: a file left by an earlier run in an earlier hour is rotated before the first write', async () => {
    fs.writeFileSync(file, '{"from":"yesterday"}\n');
    const then = new Date(2024, 2, 9, 17, 30, 0);
    fs.utimesSync(file, then, then);
    at(2024, 2, 10, 8, 0, 0);
    const logger = fileLogger({ mode: 'sync', rotateInterval: 'hourly' });
    logRange(logger, 0, 1);
    await logger.close();
    expect(readLines(`${file}.1`)).toEqual(['{"from":"yesterday"}']);
    expect(seqs(readLines(file))).toEqual([0]);
  });

  it('hourly: a file from earlier in the same hour is appended to', async () => {
    fs.writeFileSync(file, '{"from":"a minute ago"}\n');
    const then = new Date(2024, 2, 10, 8, 10, 0);
    fs.utimesSync(file, then, then);
    at(2024, 2, 10, 8, 11, 0);
    const logger = fileLogger({ mode: 'sync', rotateInterval: 'hourly' });
    logRange(logger, 0, 1);
    at(2024, 2, 10, 9, 0, 0);
    logRange(logger, 1, 2);
    await logger.close();
    expect(readLines(`${file}.1`)).toEqual(['{"from":"a minute ago"}', expect.stringContaining('"seq":0')]);
    expect(seqs(readLines(file))).toEqual([1]);
  });

  it('maxSize and rotateInterval together: whichever comes first', async () => {
    at(2024, 2, 10, 10, 0, 0);
    const logger = fileLogger({ mode: 'sync', rotateInterval: 'hourly', maxSize: '1KB', backupCount: 20 });
    logRange(logger, 0, 25); // ~100 bytes each: size rotations
    at(2024, 2, 10, 11, 0, 0);
    logRange(logger, 25, 26); // time rotation though the file is small
    await logger.close();
    const set = rotatedSet(file);
    expect(set.length).toBeGreaterThan(3);
    expect(seqs(readLines(file))).toEqual([25]);
    expect(allSeqs()).toEqual(range(0, 26));
  });

  it('the writer takes an injected clock (no faked Date needed)', () => {
    let now = 1_000_000;
    const writer = new FdWriter({
      mode: 'sync',
      bufferSize: 1 << 16,
      flushInterval: 100,
      retries: 0,
      retryBudgetMs: 0,
      fs: nodeFs,
      open: () => fs.openSync(file, 'a'),
      ownsFd: true,
      onError: (err) => {
        throw err;
      },
      rotation: { file, policy: { interval: parseRotateInterval('15m'), backupCount: 2, compress: false } },
      now: () => now,
    });
    writer.write('a\n', false);
    now += 15 * 60_000 - 1;
    writer.write('b\n', false);
    now += 1;
    writer.write('c\n', false);
    writer.close();
    expect(readLines(`${file}.1`)).toEqual(['a', 'b']);
    expect(readLines(file)).toEqual(['c']);
    expect(writer.stats.rotations).toBe(1);
  });
});

describe('CSV header at the top of every file', () => {
  const HEADER = 'timestamp,level,layer,message,fields';

  for (const mode of MODES) {
    it(`size rotation: each file starts with the header, once (${mode})`, async () => {
      const logger = fileLogger({ mode, format: 'csv', maxSize: '2KB', backupCount: 20, ...BIG_BUFFER });
      for (const i of range(0, 120)) logger.info(`record ${i}`);
      await logger.close();
      const set = rotatedSet(file);
      expect(set.length).toBeGreaterThan(3);
      const records: string[] = [];
      for (const f of set) {
        const lines = f.text.trimEnd().split('\n');
        expect(lines[0]).toBe(HEADER);
        expect(lines.filter((l) => l === HEADER)).toHaveLength(1);
        expect(lines.length).toBeGreaterThan(1);
        expect(f.size).toBeLessThanOrEqual(2_000);
        records.push(...lines.slice(1));
      }
      expect(records.map((l) => /,record (\d+),/.exec(l)?.[1]).map(Number)).toEqual(range(0, 120));
    });
  }

  it('interval rotation with compress: the gzipped backup starts with the header too', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2024, 0, 1, 10, 0, 0));
    const logger = fileLogger({ mode: 'sync', format: 'csv', rotateInterval: 'hourly', compress: true });
    logger.info('first hour');
    vi.setSystemTime(new Date(2024, 0, 1, 11, 0, 0));
    logger.info('second hour');
    await logger.close();
    const [backup, current] = rotatedSet(file);
    expect(backup?.name).toBe('app.log.1.gz');
    expect(backup?.text.split('\n')[0]).toBe(HEADER);
    expect(current?.text.split('\n')[0]).toBe(HEADER);
    expect(current?.text).toContain('second hour');
  });
});

describe('rotation failures', () => {
  let port: FaultPort;
  let stderr: ReturnType<typeof captureStderr>;
  let events: DestinationWriteError[];
  beforeEach(() => {
    port = new FaultPort();
    stderr = captureStderr();
    events = [];
  });
  afterEach(() => {
    stderr.restore();
  });

  for (const mode of MODES) {
    it(`a rename that fails: no throw, reported once, counted, every record kept in the current file; resumes after the fault (${mode})`, async () => {
      const logger = fileLogger({ mode, maxSize: '2KB', backupCount: 3 }, { fs: port });
      logger.on('error', (e) => events.push(e));
      port.failRenames('EACCES');
      logRange(logger, 0, 100); // ~10 KB: several attempts, each failing
      logger.flushSync();
      expect(namesIn(file)).toEqual(['app.log']);
      expect(seqs(readLines(file))).toEqual(range(0, 100));
      const m = logger.getPerformanceMetrics();
      expect(m.dropped).toEqual({});
      const failures = m.destinations.out?.rotationErrors ?? 0;
      // One attempt per further maxSize of data (sync), per batch (buffered: one flush here), not one per record.
      expect(failures).toBeGreaterThanOrEqual(mode === 'sync' ? 2 : 1);
      expect(failures).toBeLessThanOrEqual(6);
      expect(m.destinations.out?.errors).toBe(failures);
      expect(m.destinations.out?.rotations).toBe(0);
      expect(events).toHaveLength(1);
      expect(events[0]?.code).toBe('HYDRA_E_WRITE_FAILED');
      expect((events[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');
      expect(stderr.lines.filter((l) => l.includes('(EACCES)'))).toHaveLength(1);

      port.heal();
      logRange(logger, 100, 150);
      await logger.close();
      expect(logger.getPerformanceMetrics().destinations.out?.rotations).toBeGreaterThan(0);
      expect(allSeqs()).toEqual(range(150 - allSeqs().length, 150));
      // The oversized file from the fault period is the newest backup or older: nothing was lost from it.
      expect(rotatedSet(file).some((f) => f.size > 2_000)).toBe(true);
    });
  }

  it('a failed shift of an old backup stops before app.log is moved (no backup overwritten)', async () => {
    const logger = fileLogger({ mode: 'sync', maxSize: '1KB', backupCount: 3 }, { fs: port });
    logger.on('error', (e) => events.push(e));
    logRange(logger, 0, 25); // a couple of rotations: app.log.1, app.log.2 exist
    expect(namesIn(file)).toContain('app.log.2');
    port.failRenames('EPERM', Number.POSITIVE_INFINITY, /app\.log\.1$/);
    logRange(logger, 25, 60);
    port.heal();
    logRange(logger, 60, 70);
    await logger.close();
    // Everything still present is one unbroken run ending with the last record: no backup was
    // replaced by a rename while a newer one could not move.
    const kept = allSeqs();
    expect(kept).toEqual(range(70 - kept.length, 70));
    expect(events.map((e) => (e.cause as NodeJS.ErrnoException).code)).toEqual(['EPERM']);
  });

  it('a compress failure keeps the rotated file uncompressed, and logging goes on', async () => {
    // A directory in the way of the temp file makes the gzip step fail (EISDIR).
    fs.mkdirSync(`${file}.1.gz.tmp`);
    const logger = fileLogger({ mode: 'sync', maxSize: '1KB', backupCount: 5, compress: true }, { fs: port });
    logger.on('error', (e) => events.push(e));
    logRange(logger, 0, 15);
    fs.rmdirSync(`${file}.1.gz.tmp`);
    logRange(logger, 15, 40);
    await logger.close();
    expect(events.map((e) => (e.cause as NodeJS.ErrnoException).code)).toEqual(['EISDIR']);
    const set = rotatedSet(file);
    expect(set.some((f) => f.index > 0 && !f.compressed)).toBe(true);
    expect(set.some((f) => f.compressed)).toBe(true);
    expect(allSeqs()).toEqual(range(0, 40));
    expect(logger.getPerformanceMetrics().destinations.out?.rotationErrors).toBe(1);
  });
});

describe('reopen() (logrotate) with rotation configured', () => {
  it('after an external move and reopen(), the writer starts a new file and counts its size afresh', async () => {
    const logger = fileLogger({ mode: 'buffered', maxSize: '2KB', backupCount: 2, ...BIG_BUFFER });
    logRange(logger, 0, 10);
    logger.flushSync();
    fs.renameSync(file, path.join(dir, 'moved-by-logrotate.log'));
    logRange(logger, 10, 12);
    logger.reopen();
    logRange(logger, 12, 60);
    await logger.close();
    expect(seqs(readLines(path.join(dir, 'moved-by-logrotate.log')))).toEqual(range(0, 12));
    expect(allSeqs()).toEqual(range(60 - allSeqs().length, 60));
    for (const f of rotatedSet(file)) expect(f.size).toBeLessThanOrEqual(2_000);
  });
});

describe('docs/rotation.md examples', () => {
  const doc = fs.readFileSync(new URL('../../../../docs/rotation.md', import.meta.url), 'utf8');

  it('the YAML example loads (snake_case aliases) and rotates as documented', async () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const configFile = path.join(dir, 'hydra.yaml');
    fs.writeFileSync(configFile, (yaml as string).replaceAll('logs/', `${dir}/logs/`));
    const cfg = loadConfig(configFile);
    expect(cfg.layers?.DEFAULT?.destinations?.[0]).toMatchObject({
      maxSize: '10MB',
      backupCount: 5,
      compress: true,
    });
    expect(cfg.layers?.DEFAULT?.destinations?.[1]).toMatchObject({
      rotateInterval: 'daily',
      backupCount: 30,
    });
    // Shrink the size so that the example rotates within the test.
    const first = cfg.layers?.DEFAULT?.destinations?.[0] as LogDestination;
    first.maxSize = '2KB';
    const logger = new HydraLogger({ config: cfg });
    open.push(logger);
    logRange(logger, 0, 60);
    await logger.close();
    file = path.join(dir, 'logs', 'app.log');
    expect(namesIn(file)).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz', 'app.log.3.gz', 'audit.log']);
    expect(allSeqs()).toEqual(range(0, 60));
  });

  it('the error messages quoted in the doc are the ones validateConfig gives', () => {
    const quoted = /```\n(layers[\s\S]*?)```/.exec(doc)?.[1]?.trim().split('\n') ?? [];
    expect(quoted).toHaveLength(4);
    const configs = [
      {
        layers: {
          APP: { destinations: [{ type: 'console' }, { type: 'file', path: 'a', maxSize: 'huge' }] },
        },
      },
      {
        layers: {
          APP: { destinations: [{ type: 'console' }, { type: 'file', path: 'a', rotateInterval: 'weekly' }] },
        },
      },
      {
        layers: {
          APP: {
            destinations: [{ type: 'console' }, { type: 'file', path: 'a', maxSize: '1MB', backupCount: -1 }],
          },
        },
      },
      { layers: { APP: { destinations: [{ type: 'console', maxSize: '5MB' }] } } },
    ];
    configs.forEach((config, k) => {
      expect(() => validateConfig(config)).toThrow(quoted[k] as string);
    });
  });
});
