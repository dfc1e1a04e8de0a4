import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BatchAck,
  type PendingBatch,
  WorkerSink,
  type WorkerSinkOptions,
} from '../../src/writers/worker/index.js';
import { makeTempDir, range, readLines, removeDir } from '../fixtures/helpers.js';

// The worker thread of mode 'worker' (docs/worker.md; R12 of docs/reliability.md), driven directly. From the sources the
// worker script is worker-entry.ts, bundled on the fly (entry-url.ts); the built package is
// exercised by the child-process tests in worker-mode.test.ts.
const FAULT_PORT = new URL('../fixtures/worker-fault-port.mjs', import.meta.url).href;

let dir: string;
let file: string;
const sinks: WorkerSink[] = [];

beforeEach(() => {
  dir = makeTempDir();
  file = path.join(dir, 'app.log');
});

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
  removeDir(dir);
});

interface Made {
  sink: WorkerSink;
  errors: NodeJS.ErrnoException[];
}

function make(extra: Partial<WorkerSinkOptions> = {}): Made {
  const errors: NodeJS.ErrnoException[] = [];
  const sink = new WorkerSink({ target: { file }, onError: (e) => errors.push(e), ...extra });
  sinks.push(sink);
  return { sink, errors };
}

const line = (i: number, pad = ''): string => `${JSON.stringify({ seq: i, pad })}\n`;

/** The seq of each line in `file` (throws on a torn line). */
function fileSeqs(f = file): number[] {
  return readLines(f).map((l) => (JSON.parse(l) as { seq: number }).seq);
}

const died = (errors: NodeJS.ErrnoException[]) => errors.filter((e) => e.code === 'ERR_HYDRA_WORKER_DIED');

describe('WorkerSink: order and completeness', () => {
  it('100,000 lines land in order, exactly once', async () => {
    const { sink, errors } = make();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      // Varying lengths and multi-byte characters: batches cut anywhere but between lines.
      sink.write(line(i, i % 7 === 0 ? 'é€😀'.repeat(i % 13) : 'x'.repeat(i % 50)), false);
      if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
    }
    await sink.flush();
    expect(fileSeqs()).toEqual(range(0, N));
    const s = sink.stats();
    expect(s).toMatchObject({ pending: 0, acknowledged: N, dropped: {}, errors: 0, crashed: false });
    expect(s.batches).toBeGreaterThan(10);
    expect(s.bytesWritten).toBe(fs.statSync(file).size);
    expect(errors).toEqual([]);
  });

  it('flushSync() returns only once every line is on disk', () => {
    const { sink } = make();
    for (let i = 0; i < 5_000; i++) sink.write(line(i), false);
    sink.flushSync();
    expect(fileSeqs()).toEqual(range(0, 5_000));
    expect(sink.pending).toBe(0);
  });

  it('an urgent line is on disk, with everything before it, when write() returns', () => {
    const { sink } = make();
    for (let i = 0; i < 100; i++) sink.write(line(i), false);
    sink.write(line(100), true);
    expect(fileSeqs()).toEqual(range(0, 101));
  });

  it('lines of one tick share one batch: whenWritten() does not post early', async () => {
    const { sink } = make();
    for (let i = 0; i < 3; i++) sink.write(line(i), false);
    const p = [sink.whenWritten(), sink.whenWritten()];
    expect(sink.stats().batches).toBe(0);
    await Promise.all(p);
    expect(sink.stats()).toMatchObject({ batches: 1, writes: 1, acknowledged: 3 });
    expect(fileSeqs()).toEqual([0, 1, 2]);
  });

  it('backpressure: write() blocks while more than maxPendingBytes are unacknowledged, and loses nothing', async () => {
    const { sink } = make({
      batchSize: 1024,
      maxPendingBytes: 4096,
      fsModule: { url: FAULT_PORT, options: { stallMs: 2 } },
    });
    for (let i = 0; i < 2_000; i++) sink.write(line(i), false);
    // Never more in flight than the bound (plus one batch).
    expect(sink.pending * 14).toBeLessThan(4096 + 1024 + 100);
    await sink.flush();
    expect(fileSeqs()).toEqual(range(0, 2_000));
  });

  it('close() writes everything, is idempotent, ends the thread; later writes are counted as closed', async () => {
    const { sink } = make();
    const exited = new Promise<number>((r) => sink.thread!.once('exit', r));
    for (let i = 0; i < 1_000; i++) sink.write(line(i), false);
    await sink.close();
    await sink.close();
    expect(await exited).toBe(0);
    expect(fileSeqs()).toEqual(range(0, 1_000));
    sink.write(line(1_000), true);
    expect(sink.stats().dropped).toEqual({ closed: 1 });
    expect(sink.crashed).toBe(false);
  });

  it('reopen(): lines before it go to the moved file, lines after it to a new file', async () => {
    const { sink } = make();
    sink.write(line(0), false);
    sink.flushSync();
    fs.renameSync(file, `${file}.1`);
    sink.write(line(1), false);
    sink.reopen();
    sink.write(line(2), false);
    await sink.flush();
    expect(fileSeqs(`${file}.1`)).toEqual([0, 1]);
    expect(fileSeqs()).toEqual([2]);
  });
});

describe('WorkerSink: rotation in the worker', () => {
  it('size rotation: old ∪ new files hold every line once, in order; rotations are counted', async () => {
    const { sink, errors } = make({
      rotation: { maxSize: 20_000, backupCount: 100, compress: false },
      batchSize: 4096,
    });
    for (let i = 0; i < 3_000; i++) sink.write(line(i), false);
    await sink.flush();
    const backups = fs
      .readdirSync(dir)
      .filter((n) => n !== 'app.log')
      .map((n) => Number(n.slice('app.log.'.length)))
      .sort((a, b) => b - a);
    expect(backups.length).toBeGreaterThan(2);
    const all = [...backups.flatMap((n) => fileSeqs(`${file}.${n}`)), ...fileSeqs()];
    expect(all).toEqual(range(0, 3_000));
    for (const n of backups) expect(fs.statSync(`${file}.${n}`).size).toBeLessThanOrEqual(20_000);
    expect(sink.stats().rotations).toBe(backups.length);
    expect(errors).toEqual([]);
  });
});

describe('WorkerSink: faults in the worker behave as in FdWriter', () => {
  /** Writes `sizes[k]` lines as batch k, each acknowledged before the next. */
  async function batches(sink: WorkerSink, sizes: number[]): Promise<void> {
    let seq = 0;
    for (const [k, n] of sizes.entries()) {
      for (let i = 0; i < n; i++) expect(sink.write(line(seq++), false)).toBe(k + 1);
      await sink.flush();
    }
  }

  it('ENOSPC: the failed batches are dropped and counted per record, reported, and writing resumes', async () => {
    const acks: BatchAck[] = [];
    const { sink, errors } = make({
      fsModule: { url: FAULT_PORT, options: { failWrites: { code: 'ENOSPC', after: 1, times: 2 } } },
      onAck: (a) => acks.push(a),
    });
    await batches(sink, [10, 7, 5, 3]);
    // Per-batch delivery, for a ledger: which batches were written and which dropped.
    expect(acks).toEqual([
      { seq: 1, records: 10, dropped: 0 },
      { seq: 2, records: 7, dropped: 7 },
      { seq: 3, records: 5, dropped: 5 },
      { seq: 4, records: 3, dropped: 0 },
    ]);
    expect(fileSeqs()).toEqual([...range(0, 10), ...range(22, 25)]);
    const s = sink.stats();
    expect(s.dropped).toEqual({ 'write_error:ENOSPC': 12 });
    expect(s.errors).toBe(2);
    expect(s).toMatchObject({ acknowledged: 25, pending: 0, crashed: false });
    expect(errors.map((e) => e.code)).toEqual(['ENOSPC', 'ENOSPC']);
    expect(errors[0]?.syscall).toBe('write');
  });

  it('EAGAIN: retried (bounded), nothing dropped', async () => {
    const { sink, errors } = make({
      fsModule: { url: FAULT_PORT, options: { failWrites: { code: 'EAGAIN', after: 0, times: 3 } } },
    });
    await batches(sink, [5, 5]);
    expect(fileSeqs()).toEqual(range(0, 10));
    expect(sink.stats()).toMatchObject({ retries: 3, dropped: {}, errors: 0 });
    expect(errors).toEqual([]);
  });

  it('EAGAIN beyond the retry budget: dropped and counted, like FdWriter', async () => {
    const { sink, errors } = make({
      retries: 2,
      fsModule: { url: FAULT_PORT, options: { failWrites: { code: 'EAGAIN', after: 0, times: 3 } } },
    });
    await batches(sink, [4, 6]);
    expect(fileSeqs()).toEqual(range(4, 10));
    expect(sink.stats()).toMatchObject({ retries: 2, dropped: { 'write_error:EAGAIN': 4 }, errors: 1 });
    expect(errors.map((e) => e.code)).toEqual(['EAGAIN']);
  });
});

describe('R12: the worker thread crashes', () => {
  it('exits while batches are pending: reported once, pending written by the fallback, later writes land', async () => {
    const { sink, errors } = make({
      batchSize: 4096,
      fsModule: { url: FAULT_PORT, options: { crashAt: { write: 3, how: 'exit' } } },
    });
    for (let i = 0; i < 20_000; i++) sink.write(line(i), false);
    const settled = sink.flush();
    await settled;
    expect(sink.crashed).toBe(true);
    for (let i = 20_000; i < 20_100; i++) sink.write(line(i), false);
    sink.write(line(20_100), true);
    expect(fileSeqs()).toEqual(range(0, 20_101));
    expect(died(errors)).toHaveLength(1);
    expect(died(errors)[0]?.message).toMatch(/exited with code 7/);
    const s = sink.stats();
    expect(s.takenOver).toBeGreaterThan(0);
    expect(s.acknowledged + s.takenOver).toBe(20_000);
    expect(s).toMatchObject({ crashed: true, pending: 0, dropped: {} });
  });

  it('throws an uncaught error: error and exit events both fire, the crash is reported once', async () => {
    const { sink, errors } = make({
      batchSize: 4096,
      fsModule: { url: FAULT_PORT, options: { crashAt: { write: 2, how: 'throw' } } },
    });
    const exited = new Promise((r) => sink.thread!.once('exit', r));
    for (let i = 0; i < 10_000; i++) sink.write(line(i), false);
    await sink.flush();
    await exited;
    await new Promise((r) => setImmediate(r));
    sink.write(line(10_000), false);
    sink.flushSync();
    expect(fileSeqs()).toEqual(range(0, 10_001));
    expect(sink.stats().takenOver).toBeGreaterThan(0);
    expect(died(errors)).toHaveLength(1);
    expect(died(errors)[0]?.message).toMatch(/injected worker crash/);
  });

  it('terminate() mid-stream: the onCrash hook receives exactly the unacknowledged batches', async () => {
    const handed: PendingBatch[] = [];
    const { sink, errors } = make({
      batchSize: 2048,
      fsModule: { url: FAULT_PORT, options: { stallMs: 20 } },
      onCrash: (pending) => handed.push(...pending),
    });
    for (let i = 0; i < 2_000; i++) sink.write(line(i), false);
    const flushed = sink.flush();
    await new Promise((r) => setTimeout(r, 150));
    await sink.thread!.terminate();
    await flushed; // a pending flush settles
    const written = fileSeqs();
    const takenOver = handed.flatMap((b) =>
      b.data
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    );
    expect(handed.length).toBeGreaterThan(0);
    expect([...written, ...takenOver]).toEqual(range(0, 2_000));
    expect(handed.reduce((n, b) => n + b.records, 0)).toBe(takenOver.length);
    expect(died(errors)).toHaveLength(1);
    const s = sink.stats();
    expect(s.acknowledged).toBe(written.length);
    expect(s.takenOver).toBe(takenOver.length);
    // The hook owned them; later writes go through the fallback writer.
    sink.write(line(2_000), true);
    expect(fileSeqs().at(-1)).toBe(2_000);
  });

  it('a stalled worker: a blocked flushSync gives up after flushTimeoutMs and the fallback writes everything once', async () => {
    const { sink, errors } = make({
      flushTimeoutMs: 200,
      fsModule: { url: FAULT_PORT, options: { stallMs: 1_500 } },
    });
    for (let i = 0; i < 50; i++) sink.write(line(i), false);
    const t0 = Date.now();
    sink.flushSync();
    expect(Date.now() - t0).toBeLessThan(1_400);
    expect(fileSeqs()).toEqual(range(0, 50));
    expect(died(errors)[0]?.message).toMatch(/no progress for 200 ms/);
    await sink.close(); // the worker was terminated in its stall: it never writes the batch again
    expect(fileSeqs()).toEqual(range(0, 50));
  });

  it('a worker that cannot start (its fs module fails to load): everything goes to the fallback', async () => {
    const { sink, errors } = make({ fsModule: { url: new URL('./no-such-port.mjs', FAULT_PORT).href } });
    for (let i = 0; i < 100; i++) sink.write(line(i), false);
    await sink.flush();
    sink.write(line(100), true);
    expect(fileSeqs()).toEqual(range(0, 101));
    expect(died(errors)).toHaveLength(1);
  });
});
