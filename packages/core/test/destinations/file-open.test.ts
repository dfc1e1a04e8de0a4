import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { makeTempDir, oneDestination, readLines, removeDir } from '../fixtures/helpers.js';
import { runFixture } from '../fixtures/run-fixture.js';

// A log file whose parent directory cannot be created (under /proc, Node's recursive mkdir loops
// forever at 100 % CPU) or is a regular file: every write mode fails fast, names the path and the
// reason, counts the records as dropped (`open_error`) and never throws into the caller. Each case
// runs in a child process (test/fixtures/file-open.mjs) with a timeout, so a hang fails the test
// instead of the suite.

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

interface Result {
  errors: string[];
  settled: { resolved: number; rejected: number; threw: number };
  dropped: Record<string, number>;
  destination: { dropped: Record<string, number> };
}

async function run(spec: Record<string, unknown>): Promise<{ result: Result; stderr: string }> {
  const r = await runFixture(
    'file-open.mjs',
    { journalDir: path.join(dir, 'journal'), ...spec },
    { timeoutMs: 15_000 },
  );
  expect(r.signal, `the child hung (killed after 15 s); stderr:\n${r.stderr}`).toBeNull();
  expect(r.code, r.stderr).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line, r.stdout).toBeDefined();
  return { result: JSON.parse((line as string).slice(7)) as Result, stderr: r.stderr };
}

const MODES: [string, Record<string, unknown>][] = [
  ['HydraLogger, mode sync', { mode: 'sync' }],
  ['HydraLogger, mode buffered', { mode: 'buffered' }],
  ['HydraLogger, mode worker', { mode: 'worker' }],
  ['AsyncHydraLogger', { logger: 'async' }],
];

const onLinux = process.platform === 'linux' && fs.existsSync('/proc/self');

describe('a file whose parent directory cannot be created', () => {
  it.skipIf(!onLinux).each(MODES)(
    '%s: /proc/<missing>/app.log fails fast, names the directory, counts the drops',
    async (_label, spec) => {
      const file = `/proc/hydra-missing-${process.pid}/app.log`;
      const { result, stderr } = await run({ path: file, count: 3, ...spec });
      const why = `cannot create directory /proc/hydra-missing-${process.pid} for log file ${file}`;
      expect(stderr).toContain(why);
      expect(result.errors.some((e) => e.includes(why))).toBe(true);
      expect(result.settled.threw).toBe(0);
      if (spec.logger === 'async') expect(result.settled.rejected).toBe(3);
      else expect(result.destination.dropped).toEqual({ open_error: 3 });
    },
    30_000,
  );

  it.each(MODES)(
    '%s: a parent that is a regular file is named as such (not EEXIST)',
    async (_label, spec) => {
      const parent = path.join(dir, 'file.txt');
      fs.writeFileSync(parent, 'not a directory\n');
      const file = path.join(parent, 'sub', 'app.log');
      const { result, stderr } = await run({ path: file, count: 3, ...spec });
      const why = `cannot open log file ${file}: parent ${parent} is a file, not a directory`;
      expect(stderr).toContain(why);
      expect(stderr).not.toContain('EEXIST');
      expect(result.errors.some((e) => e.includes(why))).toBe(true);
      expect(result.settled.threw).toBe(0);
      if (spec.logger === 'async') expect(result.settled.rejected).toBe(3);
      else expect(result.destination.dropped).toEqual({ open_error: 3 });
      expect(fs.readFileSync(parent, 'utf8')).toBe('not a directory\n');
    },
    30_000,
  );
});

describe('missing parent directories', () => {
  it('are created, several levels deep, and the lines land in the file', async () => {
    const file = path.join(dir, 'a', 'b', 'c', 'app.log');
    const logger = new HydraLogger(oneDestination({ type: 'file', path: file, mode: 'sync' }));
    logger.info('one');
    logger.info('two');
    await logger.close();
    expect(readLines(file).map((l) => JSON.parse(l).message)).toEqual(['one', 'two']);
  });

  it('writing resumes once the blocking file is replaced by a directory', async () => {
    const parent = path.join(dir, 'logs');
    fs.writeFileSync(parent, '');
    const file = path.join(parent, 'app.log');
    const logger = new HydraLogger(oneDestination({ type: 'file', path: file, mode: 'sync' }));
    logger.on('error', () => {});
    logger.info('lost');
    fs.rmSync(parent);
    fs.mkdirSync(parent);
    logger.info('kept');
    const m = logger.getPerformanceMetrics();
    await logger.close();
    expect(m.destinations.out?.dropped).toEqual({ open_error: 1 });
    expect(readLines(file).map((l) => JSON.parse(l).message)).toEqual(['kept']);
  });
});
