import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { checkSequence, jsonSeq, pauseReader, runFixture, textSeq } from '../fixtures/run-fixture.js';

// R2 (docs/reliability.md): process.exit() right after logging; R6: EAGAIN on a non-blocking pipe (slow reader).
const COUNT = 10_000;

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  removeDir(dir);
});

/** No colour, no HYDRA_* settings: the child writes the plain-text default. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FORCE_COLOR|NO_COLOR|HYDRA_LOG_.*)$/.test(k)) delete env[k];
  return env;
}

describe('R2: process.exit(0) right after logging 10,000 lines', () => {
  it('a buffered file destination has 100 % of the lines', async () => {
    const file = path.join(dir, 'exit.log');
    const r = await runFixture('log-lines.mjs', {
      count: COUNT,
      end: 'exit',
      destination: { type: 'file', path: file },
    });
    expect(r.code).toBe(0);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), COUNT, jsonSeq)).toBeUndefined();
    expect(r.metrics?.dropped).toEqual({});
  });

  it('stdout to a pipe (console, buffered off a terminal) has 100 % of the lines', async () => {
    const r = await runFixture('log-lines.mjs', { count: COUNT, end: 'exit' }, { env: plainEnv() });
    expect(r.code).toBe(0);
    expect(checkSequence(r.stdout, COUNT, textSeq)).toBeUndefined();
    expect(r.otherStderr).toEqual([]);
  });

  it('stdout redirected to a file has 100 % of the lines', async () => {
    const file = path.join(dir, 'stdout.log');
    const fd = fs.openSync(file, 'w');
    try {
      const r = await runFixture(
        'log-lines.mjs',
        { count: COUNT, end: 'exit' },
        { env: plainEnv(), stdio: ['ignore', fd, 'pipe'] },
      );
      expect(r.code).toBe(0);
    } finally {
      fs.closeSync(fd);
    }
    expect(checkSequence(fs.readFileSync(file, 'utf8'), COUNT, textSeq)).toBeUndefined();
  });

  it('a chosen exit code is kept', async () => {
    const file = path.join(dir, 'exit7.log');
    const r = await runFixture('log-lines.mjs', {
      count: 100,
      end: 'exit',
      exitCode: 7,
      destination: { type: 'file', path: file },
    });
    expect(r.code).toBe(7);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), 100, jsonSeq)).toBeUndefined();
  });
});

describe('R6: EAGAIN on a non-blocking stdout pipe whose reader is slow', () => {
  it('the reader pauses 500 ms: writes are retried, nothing is lost', async () => {
    // touchStdout: Node puts a stdout pipe in non-blocking mode once process.stdout is used, so
    // a full pipe answers EAGAIN. 10,000 lines of ~160 bytes overflow the pipe and socket buffers.
    const r = await runFixture(
      'log-lines.mjs',
      { count: COUNT, pad: 100, end: 'exit', touchStdout: true, destination: { type: 'console' } },
      {
        env: plainEnv(),
        onSpawn: (child) => pauseReader(child, 500),
      },
    );
    expect(r.code).toBe(0);
    expect(checkSequence(r.stdout, COUNT, textSeq)).toBeUndefined();
    expect(r.metrics?.dropped).toEqual({});
    expect(r.otherStderr).toEqual([]);
    // The pause really produced EAGAIN (otherwise this test proves nothing about R6).
    expect(r.metrics?.destinations.out?.retries).toBeGreaterThan(0);
  });
});

describe('exit flush at the natural end of the process', () => {
  it('a buffered file with a long flushInterval and a big buffer: the script just ends, every line is written', async () => {
    const file = path.join(dir, 'natural.log');
    const r = await runFixture('log-lines.mjs', {
      count: 5_000,
      end: 'return',
      destination: { type: 'file', path: file, flushInterval: 3_600_000, bufferSize: 1 << 26 },
    });
    expect(r.code).toBe(0);
    expect(checkSequence(fs.readFileSync(file, 'utf8'), 5_000, jsonSeq)).toBeUndefined();
    // One write: nothing reached the file before the exit flush.
    expect(r.metrics?.destinations.out).toMatchObject({ writes: 1, flushes: 1, pending: 0 });
  });
});
