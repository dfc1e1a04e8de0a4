import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from '../process/harness.js';
import { firstGap, readSeqs } from '../reliability/harness.js';
import { makeTempDir, range, removeDir, seqsIn } from './helpers.js';

// A loop of `await logger.info()` whose lines are written synchronously (strategies `sync` and
// `direct`, a console on a pipe) must still let the event loop run: timers fire, and a signal with
// `handleSignals` ends the process. The child (fixtures/async-awaited-loop.mjs, the BUILT package)
// loops for a while of wall time, yielding only through those awaits, while a setInterval(10)
// counts its ticks.

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeDir(dir));

interface LoopResult {
  ticks: number;
  records: number;
}

function resultOf(stderr: string): LoopResult {
  const line = stderr.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line; stderr:\n${stderr.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as LoopResult;
}

function stdoutSeqs(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { seq: number }).seq);
}

describe('a loop of awaited log calls lets timers run', () => {
  it.each(['sync', 'direct'])(
    '%s strategy, file: the timer ticks; every record is written once, in order',
    async (strategy) => {
      const file = path.join(dir, `timer-${strategy}.log`);
      const r = await startChild('async-awaited-loop.mjs', { file, strategy }).done;
      expect(r.code).toBe(0);
      const res = resultOf(r.stderr);
      expect(res.records).toBeGreaterThan(0);
      expect(res.ticks).toBeGreaterThan(0);
      expect(seqsIn(file)).toEqual(range(0, res.records));
    },
    30_000,
  );

  it('console on a pipe the parent reads as lines come: the timer ticks; every record on the pipe, in order', async () => {
    const r = await startChild('async-awaited-loop.mjs', {}).done;
    expect(r.code).toBe(0);
    const res = resultOf(r.stderr);
    expect(res.ticks).toBeGreaterThan(0);
    expect(stdoutSeqs(r.stdout)).toEqual(range(0, res.records));
  }, 30_000);

  it('console on a pipe whose reader stops for 200 ms: the timer ticks; every record on the pipe, in order', async () => {
    const child = startChild('async-awaited-loop.mjs', { forMs: 600 });
    const out = child.child.stdout;
    // Paused from the child's first bytes, so the pause falls inside its loop however slow its start.
    out?.once('data', () => {
      out.pause();
      setTimeout(() => out.resume(), 200);
    });
    const r = await child.done;
    expect(r.code).toBe(0);
    const res = resultOf(r.stderr);
    expect(res.ticks).toBeGreaterThan(0);
    expect(stdoutSeqs(r.stdout)).toEqual(range(0, res.records));
  }, 30_000);
});

describe('a signal during a loop of awaited log calls', () => {
  it.each(['sync', 'direct'])(
    '%s strategy, handleSignals: SIGTERM mid-burst exits 143 with every acknowledged record in the file',
    async (strategy) => {
      const file = path.join(dir, `signal-${strategy}.log`);
      // The loop would run 30 s; without the signal handled it ends by itself with exit code 0.
      const child = startChild(
        'async-awaited-loop.mjs',
        { file, strategy, handleSignals: true, forMs: 30_000, ackEvery: 200 },
        60_000,
      );
      await child.waitForAck(1_999, 30_000);
      child.child.kill('SIGTERM');
      const r = await child.done;
      expect(r.code).toBe(143);
      expect(r.signal).toBeNull();
      const log = readSeqs(file);
      expect(log.torn).toBe(false);
      expect(log.malformed).toEqual([]);
      expect(firstGap(log.seqs)).toBe(-1);
      expect(log.seqs.length).toBeGreaterThanOrEqual(r.lastAck + 1);
    },
    60_000,
  );
});
