import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../fixtures/helpers.js';
import { eventually, firstGap, readLog, seqsOf, startChild } from './harness.js';

// R4 (docs/reliability.md): a signal mid-burst with `handleSignals: true`. The child logs numbered records
// in batches to a buffered file that nothing flushes by size or timer, acknowledging each batch
// on stderr; the parent signals it after some batches. Every acknowledged record must be in the
// file, and the exit code must be 128 + the signal number (or the application's own).
const NO_FLUSH = { bufferSize: 1 << 26, flushInterval: 3_600_000 };

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

describe('R4: a signal mid-burst with handleSignals: true', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s: every acknowledged record is in the file, exit code %i', async (signal, code) => {
    const file = path.join(dir, 'burst.log');
    const c = startChild('process-burst.mjs', { file, ...NO_FLUSH });
    await c.waitForAck(5_000);
    const ackedBeforeSignal = c.ack;
    c.child.kill(signal);
    const r = await c.done;
    expect(r.code).toBe(code);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toContain('DONE');
    const log = readLog(file);
    expect(log.torn).toBeUndefined();
    expect(log.malformed).toEqual([]);
    const seqs = seqsOf(log.records);
    expect(firstGap(seqs)).toBe(-1);
    // The handler runs between batches, after an ACK: the file holds exactly what was acknowledged.
    expect(seqs.length).toBe(r.lastAck + 1);
    expect(r.lastAck).toBeGreaterThanOrEqual(ackedBeforeSignal);
  });

  it('without handleSignals, SIGTERM kills the process as Node does (signal, no flush): the buffered records are lost', async () => {
    // The baseline that shows what the option buys.
    const file = path.join(dir, 'plain.log');
    const c = startChild('process-burst.mjs', { file, ...NO_FLUSH, handleSignals: false });
    await c.waitForAck(2_000);
    c.child.kill('SIGTERM');
    const r = await c.done;
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGTERM');
    expect(seqsOf(readLog(file).records)).toEqual([]);
  });

  it('an application SIGTERM listener keeps its own behaviour (its exit code 3); the logger flushed before it ran', async () => {
    const file = path.join(dir, 'app.log');
    const c = startChild('process-burst.mjs', {
      file,
      ...NO_FLUSH,
      appSignal: { signal: 'SIGTERM', exitCode: 3 },
    });
    await c.waitForAck(5_000);
    c.child.kill('SIGTERM');
    const r = await c.done;
    expect(r.code).toBe(3);
    const seen = /APP SIGTERM LINES (\d+)/.exec(r.stderr);
    // When the application's listener ran, every acknowledged record was already on disk.
    expect(Number(seen?.[1])).toBe(r.lastAck + 1);
    const log = readLog(file);
    expect(firstGap(seqsOf(log.records))).toBe(-1);
    expect(seqsOf(log.records)).toHaveLength(r.lastAck + 1);
    // What the application logged in its handler was written at its exit.
    expect(log.records.at(-1)).toMatchObject({ message: 'shutdown', signal: 'SIGTERM' });
  });
});

describe('SIGHUP with handleSignals: { sighup: "reopen" } (logrotate: move, then signal)', () => {
  it('new records go to a fresh file, the old ones stay in the moved file, the process keeps running', async () => {
    const file = path.join(dir, 'app.log');
    const moved = `${file}.1`;
    // The library's default buffering (64 KiB, 100 ms): the moved file keeps receiving until the signal.
    const c = startChild('process-burst.mjs', { file, handleSignals: { sighup: 'reopen' } });
    await c.waitForAck(3_000);
    await eventually(() => fs.existsSync(file));
    fs.renameSync(file, moved);
    const atSignal = c.ack;
    c.child.kill('SIGHUP');
    await eventually(() => fs.existsSync(file));
    // Still logging well after the SIGHUP: it did not exit.
    await c.waitForAck(atSignal + 5_000);
    c.child.kill('SIGTERM');
    const r = await c.done;
    expect(r.code).toBe(143);

    const old = readLog(moved);
    const fresh = readLog(file);
    for (const l of [old, fresh]) {
      expect(l.torn).toBeUndefined();
      expect(l.malformed).toEqual([]);
    }
    const a = seqsOf(old.records);
    const b = seqsOf(fresh.records);
    // The writer may notice the move itself (it checks the path every fileCheckInterval) and reopen
    // before the signal comes: the split point is then earlier, the invariant below the same.
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    // Old ∪ new = every acknowledged record, in order, none twice; the old file is a prefix.
    expect(firstGap([...a, ...b])).toBe(-1);
    expect(a.length + b.length).toBe(r.lastAck + 1);
  });
});
