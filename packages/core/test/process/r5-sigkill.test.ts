import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { firstGap, readLog, seqsOf, startChild } from './harness.js';

// R5 (docs/reliability.md): SIGKILL mid-burst. Nothing runs in the child after the kill, so only what
// reached write(2) survives. The child acknowledges each batch on stderr (`ACK <seq>`, written
// after the log calls returned); every ACK the parent reads was made before the kill.
//   sync:      0 acknowledged records lost, at most 1 torn final line.
//   buffered:  ERROR/CRITICAL acknowledged are never lost (they are written before the call
//              returns, with everything buffered before them); INFO loss ≤ the window (bufferSize).
// The measured figures are printed (docs/errors-and-signals.md quotes them).
const RUNS = 3;
const KILL_AFTER = 20_000;

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

interface Outcome {
  acked: number;
  written: number;
  lost: number;
  /** Records written beyond the last ACK (logged, not yet acknowledged): allowed. */
  unacked: number;
  torn: boolean;
  /** Shortest whole line, in bytes with its newline: the lost bytes are at least lost × this. */
  minLine: number;
  lastErrorAcked: number;
}

async function killMidBurst(spec: Record<string, unknown>): Promise<Outcome> {
  const file = path.join(dir, `kill-${Math.random().toString(36).slice(2)}.log`);
  const c = startChild('process-burst.mjs', { file, handleSignals: false, ...spec });
  await c.waitForAck(KILL_AFTER);
  c.child.kill('SIGKILL');
  const r = await c.done;
  expect(r.signal).toBe('SIGKILL');
  const log = readLog(file);
  expect(log.malformed).toEqual([]);
  const seqs = seqsOf(log.records);
  // Whatever survived is a prefix: nothing missing in the middle, nothing twice, in order.
  expect(firstGap(seqs)).toBe(-1);
  const acked = r.lastAck + 1;
  const errorEvery = (spec.errorEvery as number | undefined) ?? 0;
  const lastErrorAcked = errorEvery > 0 ? Math.floor(acked / errorEvery) * errorEvery - 1 : -1;
  let minLine = Number.POSITIVE_INFINITY;
  for (const rec of log.records) minLine = Math.min(minLine, Buffer.byteLength(JSON.stringify(rec)) + 1);
  return {
    acked,
    written: seqs.length,
    lost: Math.max(0, acked - seqs.length),
    unacked: Math.max(0, seqs.length - acked),
    torn: log.torn !== undefined,
    minLine,
    lastErrorAcked,
  };
}

function report(label: string, runs: Outcome[]): void {
  const lines = runs.map(
    (o, i) =>
      `  run ${i + 1}: acknowledged ${o.acked}, written ${o.written}, lost ${o.lost} (~${o.lost * o.minLine} B), unacknowledged written ${o.unacked}, torn final line ${o.torn ? 'yes' : 'no'}`,
  );
  console.log(`R5 ${label}\n${lines.join('\n')}`);
}

describe('R5: SIGKILL mid-burst', () => {
  it('mode sync: 0 acknowledged records lost, at most 1 torn final line', async () => {
    const runs: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await killMidBurst({ mode: 'sync' }));
    report('sync', runs);
    for (const o of runs) {
      expect(o.lost).toBe(0);
      expect(o.written).toBeGreaterThanOrEqual(o.acked);
    }
  });

  it('mode buffered (bufferSize 16 KiB, no timer): ERROR records 0 lost, INFO loss within the window', async () => {
    const bufferSize = 16 * 1024;
    const runs: Outcome[] = [];
    for (let i = 0; i < RUNS; i++)
      runs.push(
        await killMidBurst({ mode: 'buffered', bufferSize, flushInterval: 3_600_000, errorEvery: 1000 }),
      );
    report(`buffered, bufferSize ${bufferSize}, flushInterval 1 h, every 1000th record ERROR`, runs);
    for (const o of runs) {
      // Every acknowledged ERROR record (and so everything before it) is on disk.
      expect(o.written).toBeGreaterThan(o.lastErrorAcked);
      expect(o.lost * o.minLine).toBeLessThanOrEqual(bufferSize);
    }
  });

  it('mode buffered with the library defaults (64 KiB, 100 ms): INFO loss within the window', async () => {
    const runs: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await killMidBurst({ mode: 'buffered' }));
    report('buffered, defaults (bufferSize 65536, flushInterval 100 ms), INFO only', runs);
    for (const o of runs) expect(o.lost * o.minLine).toBeLessThanOrEqual(64 * 1024);
  });
});
