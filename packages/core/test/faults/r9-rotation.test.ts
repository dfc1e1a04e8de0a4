import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HydraLogger, type LogDestination } from '../../src/index.js';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { rotatedSet, rotatedText } from '../fixtures/rotation.js';
import { checkSequence, jsonSeq, runFixture } from '../fixtures/run-fixture.js';

// R9 (docs/reliability.md): rotation mid-burst. The union of the current file and every backup, oldest
// backup first, holds every line exactly once, in order, none torn; no file passes maxSize.
const COUNT = 50_000;
const MAX = 64 * 1024;
/** Enough backups to keep everything: ~4.6 MB of ~92-byte lines in 64 KiB files is ~75 files. */
const KEEP_ALL = 200;

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
});
afterEach(() => {
  removeDir(dir);
});

function expectWholeSet(count: number): void {
  const set = rotatedSet(file);
  expect(set.length).toBeGreaterThan(50);
  expect(set[set.length - 1]?.name).toBe('app.log');
  for (const f of set) {
    expect(f.size).toBeLessThanOrEqual(MAX);
    expect(f.text.endsWith('\n')).toBe(true);
  }
  expect(checkSequence(rotatedText(file), count, jsonSeq)).toBeUndefined();
}

describe('R9: rotation mid-burst, in process', () => {
  for (const mode of ['sync', 'buffered'] as const) {
    it(`${COUNT.toLocaleString('en')} lines, maxSize 64KiB (${mode}): every line exactly once, in order across files`, async () => {
      const destination: LogDestination = {
        type: 'file',
        name: 'out',
        path: file,
        mode,
        maxSize: '64KiB',
        backupCount: KEEP_ALL,
      };
      const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [destination] } } } });
      for (let i = 0; i < COUNT; i++) logger.info('line', { seq: i });
      await logger.close();
      const m = logger.getPerformanceMetrics();
      expect(m.dropped).toEqual({});
      expect(m.destinations.out?.rotationErrors).toBe(0);
      expect(m.destinations.out?.rotations).toBe(rotatedSet(file).length - 1);
      expectWholeSet(COUNT);
    });
  }
});

describe('R9: rotation mid-burst, child process using the built package, clean exit without close()', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    // Everything is still in the buffer at exit: the exit flush alone rotates ~75 times.
    ['buffered, all in the exit flush', { bufferSize: 1 << 26, flushInterval: 3_600_000 }, 'return'],
    ['buffered, default buffer, process.exit(0)', {}, 'exit'],
    ['sync, the script just ends', { mode: 'sync' }, 'return'],
  ];
  for (const [name, extra, end] of cases) {
    it(name, async () => {
      const r = await runFixture('log-lines.mjs', {
        count: COUNT,
        end,
        destination: { type: 'file', path: file, maxSize: '64KiB', backupCount: KEEP_ALL, ...extra },
      });
      expect(r.code).toBe(0);
      expect(r.otherStderr).toEqual([]);
      expect(r.metrics?.dropped).toEqual({});
      expect(r.metrics?.destinations.out).toMatchObject({ rotationErrors: 0, pending: 0 });
      expect(r.metrics?.destinations.out?.rotations).toBe(rotatedSet(file).length - 1);
      expectWholeSet(COUNT);
    });
  }

  it('gzip in the exit flush: compressed backups still hold every line once', async () => {
    const r = await runFixture('log-lines.mjs', {
      count: 20_000,
      end: 'return',
      destination: {
        type: 'file',
        path: file,
        maxSize: '64KiB',
        backupCount: KEEP_ALL,
        compress: true,
        bufferSize: 1 << 26,
        flushInterval: 3_600_000,
      },
    });
    expect(r.code).toBe(0);
    expect(r.otherStderr).toEqual([]);
    const set = rotatedSet(file);
    expect(set.slice(0, -1).every((f) => f.compressed)).toBe(true);
    expect(set.length).toBeGreaterThan(20);
    expect(checkSequence(rotatedText(file), 20_000, jsonSeq)).toBeUndefined();
  });
});
