import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigValidationError, HydraLogger, type LogDestination, validateConfig } from '../../src/index.js';
import { nodeFs } from '../../src/writers/fs-port.js';
import {
  gzipFile,
  nextBoundary,
  parseRotateInterval,
  parseSizeLimit,
  rotateFiles,
} from '../../src/writers/rotation.js';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { namesIn } from '../fixtures/rotation.js';

describe('parseSizeLimit', () => {
  it.each([
    [1, 1],
    [65_536, 65_536],
    ['500B', 500],
    ['500', 500],
    ['10KB', 10_000],
    ['10kb', 10_000],
    ['10 KB', 10_000],
    ['5MB', 5_000_000],
    ['1GB', 1_000_000_000],
    ['1TB', 1e12],
    ['1KiB', 1024],
    ['1kib', 1024],
    ['5MiB', 5 * 1024 * 1024],
    ['5 mib', 5 * 1024 * 1024],
    ['1GiB', 1024 ** 3],
    ['1.5KiB', 1536],
    ['1.5MB', 1_500_000],
    [' 64KB ', 64_000],
  ])('%j → %d bytes', (input, bytes) => {
    expect(parseSizeLimit(input)).toBe(bytes);
  });

  it.each([
    'huge',
    '',
    '5 M B',
    '5XB',
    '5M',
    '-5MB',
    '0',
    '0KB',
    '0.1B',
    'MB',
    '1e3',
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    true,
    {},
  ])('%j is not a size', (input) => {
    expect(parseSizeLimit(input)).toBeUndefined();
  });
});

describe('parseRotateInterval', () => {
  it.each([
    ['hourly', { kind: 'hourly' }],
    ['HOURLY', { kind: 'hourly' }],
    ['daily', { kind: 'daily' }],
    ['Daily', { kind: 'daily' }],
    ['30s', { kind: 'every', ms: 30_000 }],
    ['15m', { kind: 'every', ms: 900_000 }],
    ['2h', { kind: 'every', ms: 7_200_000 }],
    ['1d', { kind: 'every', ms: 86_400_000 }],
    ['250ms', { kind: 'every', ms: 250 }],
    ['1.5h', { kind: 'every', ms: 5_400_000 }],
    ['30 S', { kind: 'every', ms: 30_000 }],
    [60_000, { kind: 'every', ms: 60_000 }],
  ])('%j → %j', (input, interval) => {
    expect(parseRotateInterval(input)).toEqual(interval);
  });

  it.each(['weekly', '', '30', '30x', '0s', '-5m', 'm', '1w', 0, -1, 2.5, null, false])(
    '%j is not an interval',
    (input) => {
      expect(parseRotateInterval(input)).toBeUndefined();
    },
  );
});

describe('nextBoundary', () => {
  it('hourly: the next full hour of the local clock', () => {
    const from = new Date(2024, 2, 10, 10, 59, 59, 999).getTime();
    expect(nextBoundary({ kind: 'hourly' }, from)).toBe(new Date(2024, 2, 10, 11, 0, 0, 0).getTime());
    const onTheHour = new Date(2024, 2, 10, 11, 0, 0, 0).getTime();
    expect(nextBoundary({ kind: 'hourly' }, onTheHour)).toBe(onTheHour + 3_600_000);
  });

  it('daily: the next local midnight, across month and year ends', () => {
    expect(nextBoundary({ kind: 'daily' }, new Date(2024, 0, 31, 23, 59).getTime())).toBe(
      new Date(2024, 1, 1).getTime(),
    );
    expect(nextBoundary({ kind: 'daily' }, new Date(2024, 11, 31, 0, 0, 1).getTime())).toBe(
      new Date(2025, 0, 1).getTime(),
    );
  });

  it('a duration counts from the given time', () => {
    expect(nextBoundary({ kind: 'every', ms: 30_000 }, 1_000)).toBe(31_000);
  });
});

describe('validateConfig: rotation keys', () => {
  const file = (d: Partial<LogDestination>) => ({
    layers: { APP: { destinations: [{ type: 'console' }, { type: 'file', path: 'app.log', ...d }] } },
  });

  function issues(config: unknown): string[] {
    try {
      validateConfig(config);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      expect((err as ConfigValidationError).code).toBe('HYDRA_E_CONFIG_INVALID');
      return (err as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    return [];
  }

  it('accepts every documented form', () => {
    for (const maxSize of [1024, '500B', '10KB', '5MB', '1GB', '1KiB', '5 MiB', '1gib'])
      expect(issues(file({ maxSize }))).toEqual([]);
    for (const rotateInterval of ['hourly', 'daily', '30s', '15m', '2h', '1d', 60_000])
      expect(issues(file({ rotateInterval }))).toEqual([]);
    expect(issues(file({ maxSize: '5MB', backupCount: 0, compress: true }))).toEqual([]);
  });

  it('names the exact path and the expected value of a bad maxSize', () => {
    expect(issues(file({ maxSize: 'huge' }))).toEqual([
      'layers.APP.destinations[1].maxSize: expected a size like "5MB", "10KiB" or a number of bytes, got "huge"',
    ]);
    expect(issues(file({ maxSize: -1 }))).toEqual([
      'layers.APP.destinations[1].maxSize: expected a size like "5MB", "10KiB" or a number of bytes, got -1',
    ]);
  });

  it('rejects a bad rotateInterval, backupCount and compress', () => {
    expect(issues(file({ rotateInterval: 'weekly', backupCount: -1, compress: 'yes' as never }))).toEqual([
      'layers.APP.destinations[1].rotateInterval: expected "hourly", "daily", a duration like "30s", "15m", "2h", "1d" or a number of ms, got "weekly"',
      'layers.APP.destinations[1].backupCount: expected an integer ≥ 0 (backups kept), got -1',
      'layers.APP.destinations[1].compress: expected true or false, got "yes"',
    ]);
    expect(issues(file({ maxSize: '1MB', backupCount: 2.5 }))).toEqual([
      'layers.APP.destinations[1].backupCount: expected an integer ≥ 0 (backups kept), got 2.5',
    ]);
  });

  it('accepts the snake_case aliases max_size, backup_count, rotate_interval and normalizes them', () => {
    const cfg = validateConfig({
      layers: {
        APP: {
          destinations: [
            { type: 'file', path: 'a.log', max_size: '1MB', backup_count: 2, rotate_interval: 'daily' },
          ],
        },
      },
    });
    expect(cfg.layers?.APP?.destinations?.[0]).toEqual({
      type: 'file',
      path: 'a.log',
      maxSize: '1MB',
      backupCount: 2,
      rotateInterval: 'daily',
    });
    // Values are checked after aliases are resolved, so the path names the canonical key.
    expect(
      issues({ layers: { APP: { destinations: [{ type: 'file', path: 'a', max_size: 'big' }] } } }),
    ).toEqual([
      'layers.APP.destinations[0].maxSize: expected a size like "5MB", "10KiB" or a number of bytes, got "big"',
    ]);
  });

  it('only file destinations take rotation keys', () => {
    expect(
      issues({ layers: { APP: { destinations: [{ type: 'console', maxSize: '5MB', compress: true }] } } }),
    ).toEqual([
      'layers.APP.destinations[0].maxSize: only "file" destinations rotate, this one is "console"',
      'layers.APP.destinations[0].compress: only "file" destinations rotate, this one is "console"',
    ]);
  });

  it('backupCount and compress without maxSize or rotateInterval are errors, not silently ignored', () => {
    expect(issues(file({ backupCount: 3, compress: true }))).toEqual([
      'layers.APP.destinations[1].backupCount: takes effect only with maxSize or rotateInterval, and neither is set',
      'layers.APP.destinations[1].compress: takes effect only with maxSize or rotateInterval, and neither is set',
    ]);
  });

  it('a typo gets a "did you mean" hint', () => {
    expect(issues(file({ maxsize: '5MB' } as never))).toEqual([
      expect.stringMatching(/^layers\.APP\.destinations\[1\]\.maxsize: unknown key.*maxSize/),
    ]);
  });

  it('the constructor refuses a bad value before creating anything', () => {
    expect(
      () =>
        new HydraLogger({
          config: {
            layers: { DEFAULT: { destinations: [{ type: 'file', path: 'x.log', maxSize: '5 parsecs' }] } },
          },
        }),
    ).toThrow(/layers\.DEFAULT\.destinations\[0\]\.maxSize: expected a size like "5MB"/);
  });
});

describe('rotateFiles and gzipFile (the rotate step)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'app.log');
  });
  afterEach(() => removeDir(dir));

  const put = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const get = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

  it('shifts app.log.1 … to app.log.2 …, moves app.log to app.log.1, drops the oldest beyond backupCount', () => {
    put('app.log', 'current\n');
    put('app.log.1', 'one\n');
    put('app.log.2', 'two\n');
    put('app.log.3', 'three\n');
    put('other.log', 'not ours\n');
    put('app.log.1.gz.tmp', 'not a backup name\n');
    let closed = 0;
    const r = rotateFiles(nodeFs, file, { backupCount: 3, compress: false }, () => closed++);
    expect(r).toEqual({ rotated: true, errors: [] });
    expect(closed).toBe(1);
    expect(namesIn(file)).toEqual(['app.log.1', 'app.log.1.gz.tmp', 'app.log.2', 'app.log.3', 'other.log']);
    expect([get('app.log.1'), get('app.log.2'), get('app.log.3')]).toEqual(['current\n', 'one\n', 'two\n']);
  });

  it('removes backups left over from a larger backupCount, plain and gzip alike', () => {
    put('app.log', 'current\n');
    for (const i of [1, 2, 3, 4, 5, 9]) put(`app.log.${i}`, `${i}\n`);
    put('app.log.2.gz', 'gz');
    rotateFiles(nodeFs, file, { backupCount: 2, compress: false }, () => {});
    expect(namesIn(file)).toEqual(['app.log.1', 'app.log.2']);
    expect([get('app.log.1'), get('app.log.2')]).toEqual(['current\n', '1\n']);
  });

  it('backupCount 0 removes the file and keeps no backup', () => {
    put('app.log', 'current\n');
    put('app.log.1', 'old\n');
    const r = rotateFiles(nodeFs, file, { backupCount: 0, compress: false }, () => {});
    expect(r.rotated).toBe(true);
    expect(namesIn(file)).toEqual(['app.log.1']); // not touched: with 0 backups none are managed
  });

  it('a failed rename stops before app.log is moved, and does not close the file', () => {
    put('app.log', 'current\n');
    put('app.log.1', 'one\n');
    const failing = {
      ...nodeFs,
      renameSync: (from: string, to: string) => {
        if (from.endsWith('app.log.1')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        fs.renameSync(from, to);
      },
    };
    let closed = 0;
    const r = rotateFiles(failing, file, { backupCount: 3, compress: false }, () => closed++);
    expect(r.rotated).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['EACCES']);
    expect(closed).toBe(0);
    expect(namesIn(file)).toEqual(['app.log', 'app.log.1']);
  });

  it('gzipFile writes valid gzip (several members past 4 MiB) and removes the source', () => {
    const lines = Array.from({ length: 90_000 }, (_, i) => `line ${i} ${'y'.repeat(i % 90)}\n`).join('');
    expect(Buffer.byteLength(lines)).toBeGreaterThan(4 * 1024 * 1024);
    put('big.log', lines);
    expect(gzipFile(nodeFs, path.join(dir, 'big.log'), path.join(dir, 'big.log.gz'))).toBeUndefined();
    expect(namesIn(file)).toEqual(['big.log.gz']);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'big.log.gz'))).toString()).toBe(lines);
  });

  it('gzipFile of a missing source returns the error and leaves nothing behind', () => {
    const err = gzipFile(nodeFs, path.join(dir, 'missing'), path.join(dir, 'missing.gz'));
    expect(err?.code).toBe('ENOENT');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
