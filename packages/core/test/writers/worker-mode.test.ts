import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigValidationError,
  type DestinationStats,
  type FileDestination,
  HydraLogger,
  type HydraLoggerOptions,
  validateConfig,
} from '../../src/index.js';
import { nodeFs } from '../../src/writers/fs-port.js';
import type { WorkerCapableFsPort, WorkerSinkStats } from '../../src/writers/worker/index.js';
import {
  captureStderr,
  makeTempDir,
  oneDestination,
  range,
  readLines,
  removeDir,
  seqs,
} from '../fixtures/helpers.js';
import { checkSequence, jsonSeq, runFixture, textSeq } from '../fixtures/run-fixture.js';

// `mode: 'worker'` for HydraLogger's file and console destinations (docs/worker.md), and R2 for it in
// child processes running the BUILT package (so the bundle finds dist/worker-entry.js).
const FAULT_PORT = new URL('../fixtures/worker-fault-port.mjs', import.meta.url).href;

let dir: string;
let file: string;
const open: HydraLogger[] = [];

function logger(dest: Partial<FileDestination> = {}, extra: HydraLoggerOptions = {}): HydraLogger {
  const l = new HydraLogger(oneDestination({ type: 'file', path: file, mode: 'worker', ...dest }, extra));
  open.push(l);
  return l;
}

function stats(l: HydraLogger): WorkerSinkStats & DestinationStats {
  return l.getPerformanceMetrics().destinations.out as WorkerSinkStats & DestinationStats;
}

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  removeDir(dir);
});

describe("mode: 'worker' in the configuration", () => {
  it('is accepted for file and console destinations', () => {
    expect(() =>
      validateConfig({
        layers: {
          APP: {
            destinations: [
              { type: 'file', path: 'a.log', mode: 'worker' },
              { type: 'console', mode: 'worker' },
            ],
          },
        },
      }),
    ).not.toThrow();
  });

  it('is refused, naming the path, for a destination it does not apply to', () => {
    let err: unknown;
    try {
      validateConfig({ layers: { APP: { destinations: [{ type: 'memory', mode: 'worker' }] } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).issues.map((i) => i.path)).toContain(
      'layers.APP.destinations[0].mode',
    );
  });

  it('an in-process fs port cannot go to the worker: construction fails clearly', () => {
    const port = { ...nodeFs };
    expect(
      () => new HydraLogger(oneDestination({ type: 'file', path: file, mode: 'worker' }, { fs: port })),
    ).toThrow(/mode 'worker' cannot use an in-process fs port/);
  });
});

describe("HydraLogger with mode: 'worker'", () => {
  it('writes every record in order; close() drains; metrics come from the worker', async () => {
    const l = logger();
    for (let i = 0; i < 5_000; i++) l.info('line', { seq: i });
    await l.close();
    expect(seqs(readLines(file))).toEqual(range(0, 5_000));
    const s = stats(l);
    expect(s).toMatchObject({ records: 5_000, acknowledged: 5_000, pending: 0, dropped: {}, crashed: false });
    expect(s.bytesWritten).toBe(fs.statSync(file).size);
  });

  it('ERROR and CRITICAL are on disk, with everything before them, when the call returns', () => {
    const l = logger({ bufferSize: 1 << 20 });
    for (let i = 0; i < 100; i++) l.info('line', { seq: i });
    l.error('failed', { seq: 100 });
    expect(seqs(readLines(file))).toEqual(range(0, 101));
    l.info('line', { seq: 101 });
    l.critical('down', { seq: 102 });
    expect(seqs(readLines(file))).toEqual(range(0, 103));
  });

  it('flushSync() and flush() wait for the worker', async () => {
    const l = logger();
    for (let i = 0; i < 1_000; i++) l.info('line', { seq: i });
    l.flushSync();
    expect(readLines(file)).toHaveLength(1_000);
    for (let i = 1_000; i < 2_000; i++) l.info('line', { seq: i });
    await l.flush();
    expect(seqs(readLines(file))).toEqual(range(0, 2_000));
  });

  it('size rotation happens in the worker: old ∪ new files = every record once', async () => {
    const l = logger({ maxSize: '16KB', backupCount: 50 });
    for (let i = 0; i < 1_500; i++) l.info('line', { seq: i });
    await l.close();
    const backups = fs.readdirSync(dir).filter((n) => n !== 'app.log');
    const order = backups.map((n) => Number(n.split('.').pop())).sort((a, b) => b - a);
    expect(order.length).toBeGreaterThan(2);
    const all = [...order.flatMap((n) => seqs(readLines(`${file}.${n}`))), ...seqs(readLines(file))];
    expect(all).toEqual(range(0, 1_500));
    expect(stats(l).rotations).toBe(order.length);
  });

  it('a fault port in the worker (ENOSPC, then recovery): drops counted in the logger metrics, reported once', async () => {
    const port: WorkerCapableFsPort = {
      ...nodeFs,
      workerFsModule: { url: FAULT_PORT, options: { failWrites: { code: 'ENOSPC', after: 1, times: 1 } } },
    };
    const stderr = captureStderr();
    const errors: Error[] = [];
    try {
      const l = logger({}, { fs: port });
      l.on('error', (e: Error) => errors.push(e));
      for (const n of [3, 4, 5]) {
        for (let i = 0; i < n; i++) l.info('line', { seq: i });
        await l.flush();
      }
      expect(readLines(file)).toHaveLength(8);
      const m = l.getPerformanceMetrics();
      expect(m.dropped).toEqual({ 'write_error:ENOSPC': 4 });
      expect(m.destinations.out).toMatchObject({ errors: 1, dropped: { 'write_error:ENOSPC': 4 } });
    } finally {
      stderr.restore();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/ENOSPC/);
    expect(stderr.lines.filter((s) => s.includes('ENOSPC'))).toHaveLength(1);
  });

  it('R12 through the logger: the worker crashes, the crash is reported once, nothing is lost', async () => {
    const port: WorkerCapableFsPort = {
      ...nodeFs,
      workerFsModule: { url: FAULT_PORT, options: { crashAt: { write: 2, how: 'exit' } } },
    };
    const stderr = captureStderr();
    const errors: Error[] = [];
    try {
      const l = logger({ bufferSize: 4096 }, { fs: port });
      l.on('error', (e: Error) => errors.push(e));
      for (let i = 0; i < 5_000; i++) l.info('line', { seq: i });
      await l.flush();
      for (let i = 5_000; i < 5_100; i++) l.info('line', { seq: i });
      l.error('after the crash', { seq: 5_100 });
      expect(seqs(readLines(file))).toEqual(range(0, 5_101));
      expect(stats(l)).toMatchObject({ crashed: true, pending: 0, dropped: {} });
    } finally {
      stderr.restore();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/ERR_HYDRA_WORKER_DIED/);
  });
});

describe("R2 with mode: 'worker' (child processes, built package)", () => {
  const COUNT = 10_000;

  it('process.exit() right after logging 10,000 lines to a file: 100 % present', async () => {
    const r = await runFixture('log-lines.mjs', {
      count: COUNT,
      end: 'exit',
      destination: { type: 'file', path: file, mode: 'worker' },
    });
    expect(r.code).toBe(0);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), COUNT, jsonSeq)).toBeUndefined();
    expect(r.metrics?.dropped).toEqual({});
    expect(r.metrics?.destinations.out).toMatchObject({ pending: 0, acknowledged: COUNT, crashed: false });
    expect(r.otherStderr).toEqual([]);
  });

  it('the natural end of the process (the worker is unref()ed and keeps nothing alive): 100 % present', async () => {
    const r = await runFixture('log-lines.mjs', {
      count: COUNT,
      end: 'return',
      destination: { type: 'file', path: file, mode: 'worker' },
    });
    expect(r.code).toBe(0);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), COUNT, jsonSeq)).toBeUndefined();
    expect(r.metrics?.destinations.out).toMatchObject({ pending: 0, acknowledged: COUNT });
  });

  it('under `node --input-type=module -e` (options a worker must not inherit): 100 % present, no stall', async () => {
    const code = `import { HydraLogger } from 'hydra-logger';
      const l = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [
        { type: 'file', path: ${JSON.stringify(file)}, mode: 'worker' }] } } } });
      for (let i = 0; i < 1000; i++) l.info('line', { seq: i });
      process.exit(0);`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), 1000, jsonSeq)).toBeUndefined();
  });

  it('console to a stdout pipe, process.exit() right after logging: 100 % present', async () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^(FORCE_COLOR|NO_COLOR|HYDRA_LOG_.*)$/.test(k)) delete env[k];
    const r = await runFixture(
      'log-lines.mjs',
      { count: COUNT, end: 'exit', destination: { type: 'console', mode: 'worker', colorMode: 'never' } },
      { env },
    );
    expect(r.code).toBe(0);
    expect(checkSequence(r.stdout, COUNT, textSeq)).toBeUndefined();
    expect(r.otherStderr).toEqual([]);
  });
});
