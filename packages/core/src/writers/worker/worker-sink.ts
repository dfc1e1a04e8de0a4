import type { MessagePort, Worker } from 'node:worker_threads';
import { lazyWorkerThreads } from '../../internal/builtins.js';
import { DEFAULT_LIMITS } from '../../internal/limits.js';
import { registerExitFlush, unregisterExitFlush } from '../exit-flush.js';
import type { WriterStats } from '../fd-engine.js';
import type { FdWriter } from '../fd-writer.js';
import { workerEntryUrl } from './entry-url.js';
import { AckWaiters, InflightBatches, waitAcked, waitClosed } from './inflight.js';
import { CTL_ACKED, CTL_SLOTS, type FromWorker, fromWire, type ToWorker } from './protocol.js';
import {
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_MAX_PENDING_BYTES,
  fallbackWriter,
  notifyAck,
  type PendingBatch,
  sinkStats,
  touchFile,
  type WorkerSinkOptions,
  type WorkerSinkStats,
  workerError,
  workerExecArgv,
  workerInit,
  writeLines,
  ZERO_STATS,
} from './sink-options.js';

const RUNNING = 0;
const CRASHED = 1;
const CLOSED = 2;

/**
 * Writes formatted lines on a worker thread (docs/worker.md). The main thread appends each line to
 * a batch string and posts the batch at the end of the tick (or when it reaches `batchSize`); the
 * worker writes each batch with an {@link FdWriter} (rotation, retries and drop accounting as in
 * every other mode) and acknowledges it in a shared `Int32Array` and by a message carrying its stats.
 *
 * - `flushSync()` blocks (`Atomics.wait`) until the worker acknowledged everything accepted so far;
 *   it is registered with the exit flush, so `process.exit()` and the natural end lose nothing.
 * - `flush()` / `whenWritten()` resolve when the worker acknowledged what was accepted before.
 * - A dead or stalled worker is detected once: the error goes to `onError`, unacknowledged batches
 *   to `onCrash` (default: written synchronously by the fallback writer), later writes to the fallback.
 * - The worker is `unref()`ed: it never keeps the process alive (except while a promise waits on it).
 */
export class WorkerSink {
  readonly #o: WorkerSinkOptions;
  /** `undefined` when the thread could not even be created (then everything goes to the fallback). */
  readonly #worker: Worker | undefined;
  readonly #port: MessagePort;
  readonly #ctl: Int32Array;
  readonly #batchSize: number;
  readonly #maxPending: number;
  readonly #timeout: number;
  #state = RUNNING;
  #exited = false;
  readonly #exit: Promise<void>;
  /** The batch being filled in this tick. */
  #buf = '';
  #bufRecords = 0;
  #scheduled = false;
  /** Posted batches, oldest first; acknowledged ones are cleared. */
  readonly #inflight = new InflightBatches();
  #seq = 0;
  #takenOver = 0;
  #workerStats: WriterStats = ZERO_STATS;
  #fallback: FdWriter | undefined;
  readonly #closedDrops: Record<string, number> = {};
  readonly #waiters = new AckWaiters();
  #held = false;
  #watchdog: NodeJS.Timeout | undefined;
  #watchAcked = 0;
  /** A `{ file }` target not yet opened by the main thread (see `fs`). */
  #touch: boolean;

  constructor(options: WorkerSinkOptions) {
    this.#o = options;
    this.#batchSize = options.batchSize ?? DEFAULT_LIMITS.bufferSize;
    this.#maxPending = Math.max(options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES, this.#batchSize);
    this.#timeout = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
    this.#touch = 'file' in options.target;
    const ctl = new SharedArrayBuffer(CTL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.#ctl = new Int32Array(ctl);
    const { MessageChannel, Worker } = lazyWorkerThreads();
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#port.on('message', (m: FromWorker) => this.#onReply(m));
    this.#port.unref();
    registerExitFlush(this);
    let worker: Worker | undefined;
    try {
      worker = new Worker(workerEntryUrl(), {
        workerData: workerInit(options, ctl, port2),
        transferList: [port2],
        execArgv: workerExecArgv(),
      });
    } catch (err) {
      // No thread (resource limits, a missing worker script): report once, write in this thread.
      this.#worker = undefined;
      this.#exited = true;
      this.#exit = Promise.resolve();
      this.#takeOver(workerError(`could not start: ${(err as Error)?.message ?? err}`, err));
      port2.close();
      return;
    }
    this.#worker = worker;
    worker.unref();
    worker.on('error', (err) => this.#takeOver(workerError(`failed: ${err?.message ?? err}`, err)));
    worker.on('messageerror', (err) => this.#takeOver(workerError(`message error: ${err.message}`, err)));
    this.#exit = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#exited = true;
        this.#takeOver(workerError(`exited with code ${code}`));
        resolve();
      });
    });
  }

  /**
   * Test and health seam: the worker thread itself (`terminate()` it to simulate a crash);
   * `undefined` if it could not be created.
   */
  get thread(): Worker | undefined {
    return this.#worker;
  }

  /** True once the worker died and the fallback writer took over. */
  get crashed(): boolean {
    return this.#state === CRASHED || (this.#state === CLOSED && this.#fallback !== undefined);
  }

  /** Records accepted and not yet acknowledged by the worker (or, after a crash, not yet written by the fallback). */
  get pending(): number {
    return this.#bufRecords + this.#inflight.records + (this.#fallback?.pending ?? 0);
  }

  /**
   * Takes one formatted line (ending with `\n`). `urgent` (ERROR and above) returns only once the
   * line and everything before it are written (synchronous flush across the thread boundary).
   * Never throws. After `close()` the line is dropped and counted as `closed`.
   *
   * Returns the seq of the batch the line travels in (see {@link BatchAck}), or 0 when it went to
   * the fallback writer after a crash, or was dropped after `close()`.
   */
  write(line: string, urgent: boolean): number {
    if (this.#state !== RUNNING) {
      if (this.#state === CRASHED) this.#fallbackWriter().write(line, urgent);
      else this.#closedDrops.closed = (this.#closedDrops.closed ?? 0) + 1;
      return 0;
    }
    if (this.#touch) {
      this.#touch = false;
      touchFile(this.#o);
    }
    const seq = this.#seq + 1;
    this.#buf += line;
    this.#bufRecords++;
    if (urgent) this.flushSync();
    else if (this.#buf.length >= this.#batchSize) this.#post();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onTick);
    }
    return seq;
  }

  /**
   * Returns once the worker acknowledged every line accepted so far (blocking the thread with
   * `Atomics.wait`), or, if it is dead or makes no progress for `flushTimeoutMs`, once the takeover
   * wrote them. Never throws. Safe in a process `exit` listener.
   */
  flushSync(): void {
    if (this.#state === RUNNING) {
      if (this.#bufRecords > 0) this.#post();
      this.#trim();
      const last = this.#inflight.last;
      if (this.#state === RUNNING && last !== undefined) {
        const err = this.#waitAcked(last.seq);
        if (err !== undefined) this.#takeOver(err);
      }
      this.#drain();
    }
    if (this.#state === CRASHED) this.#fallback?.flushSync();
  }

  /** Posts what this tick accepted now and resolves once the worker acknowledged it. Never rejects. */
  flush(): Promise<void> {
    if (this.#state === RUNNING && this.#bufRecords > 0) this.#post();
    return this.whenWritten();
  }

  /**
   * Resolves once every line accepted so far is acknowledged (written by the worker, or taken over
   * after a crash), without posting early: lines of one tick still share one batch. Never rejects.
   */
  whenWritten(): Promise<void> {
    if (this.#state === CRASHED) this.#fallback?.flushSync();
    if (this.#state !== RUNNING) return Promise.resolve();
    this.#drain();
    const seq = this.#bufRecords > 0 ? this.#seq + 1 : this.#seq;
    if (this.#bufRecords === 0 && this.#inflight.empty) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.add(seq, resolve);
      this.#hold();
    });
  }

  /** Closes and reopens the file on the next write (logrotate); lines accepted before go to the old file. */
  reopen(): void {
    if (this.#state === RUNNING) {
      if (this.#bufRecords > 0) this.#post();
      this.#send({ t: 'reopen' });
    } else if (this.#state === CRASHED) this.#fallback?.reopen();
  }

  /**
   * Flushes, closes the descriptor in the worker and lets the thread end (synchronously, bounded
   * by `flushTimeoutMs`). Idempotent. Later writes are dropped and counted as `closed`.
   */
  closeSync(): void {
    if (this.#state === CLOSED) return;
    this.flushSync();
    if (this.#state === RUNNING) {
      this.#send({ t: 'close' });
      if (!waitClosed(this.#ctl, this.#timeout, () => this.#exited)) void this.#worker?.terminate();
      this.#drain();
    } else this.#fallback?.close();
    this.#state = CLOSED;
    unregisterExitFlush(this);
    this.#settle('all');
  }

  /** {@link closeSync}, then waits for the thread to end. */
  async close(): Promise<void> {
    this.closeSync();
    if (this.#exited) return;
    this.#worker?.ref();
    await this.#exit;
  }

  /** The worker writer's figures (as of its last acknowledgement), plus the fallback's and the sink's. */
  stats(): WorkerSinkStats {
    if (this.#state === RUNNING) this.#drain();
    return sinkStats(this.#workerStats, this.#fallback?.stats, this.#closedDrops, {
      pending: this.pending,
      batches: this.#seq,
      acknowledged: this.#inflight.acked,
      takenOver: this.#takenOver,
      crashed: this.crashed,
    });
  }

  readonly #onTick = (): void => {
    this.#scheduled = false;
    if (this.#state === RUNNING && this.#bufRecords > 0) this.#post();
  };

  #send(m: ToWorker): void {
    try {
      this.#worker?.postMessage(m);
    } catch (err) {
      this.#takeOver(workerError(`refused a message: ${(err as Error).message}`, err));
    }
  }

  #post(): void {
    const batch: PendingBatch = { seq: ++this.#seq, data: this.#buf, records: this.#bufRecords };
    this.#buf = '';
    this.#bufRecords = 0;
    this.#inflight.push(batch);
    this.#send({ t: 'batch', seq: batch.seq | 0, data: batch.data });
    if (this.#inflight.chars > this.#maxPending) this.#relieve();
  }

  /** Backpressure: blocks until the unacknowledged batches fit in `maxPendingBytes` again. */
  #relieve(): void {
    this.#trim();
    while (this.#state === RUNNING && this.#inflight.chars > this.#maxPending) {
      const head = this.#inflight.first as PendingBatch;
      const err = this.#waitAcked(head.seq);
      if (err !== undefined) this.#takeOver(err);
    }
  }

  /** Drops acknowledged batches (up to `acked`, default: the shared slot) from the in-flight list. */
  #trim(acked = Atomics.load(this.#ctl, CTL_ACKED)): void {
    this.#inflight.trim(acked);
  }

  /** Blocks until batch `seq` is acknowledged; returns why it could not be, if so. */
  #waitAcked(seq: number): NodeJS.ErrnoException | undefined {
    const err = waitAcked(this.#ctl, seq, this.#timeout);
    if (err === undefined) this.#trim();
    return err;
  }

  /** Reads the worker's replies now (acks, errors, stats), without waiting for the event loop. */
  #drain(): void {
    const { receiveMessageOnPort } = lazyWorkerThreads();
    for (let m = receiveMessageOnPort(this.#port); m !== undefined; m = receiveMessageOnPort(this.#port))
      this.#onReply(m.message as FromWorker);
  }

  #onReply(m: FromWorker): void {
    switch (m.t) {
      case 'ack':
        // Settled by the acknowledgement message, not the shared slot (which may be ahead): a
        // resolved promise then always sees the stats of its batch.
        this.#workerStats = m.stats;
        this.#trim(m.seq);
        // The seq of the ack (an int32 on the wire) as this side counts it.
        if (this.#o.onAck !== undefined)
          notifyAck(this.#o, {
            seq: this.#seq - ((this.#seq - m.seq) | 0),
            records: m.records,
            dropped: m.dropped,
          });
        this.#settle(m.seq);
        break;
      case 'error':
        this.#o.onError(fromWire(m.error));
        break;
      case 'closed':
        this.#workerStats = m.stats;
        break;
    }
  }

  /** Resolves the waiters whose lines are in batch `acked` or before it (all of them with `'all'`). */
  #settle(acked: number | 'all'): void {
    if (this.#waiters.settle(acked)) this.#release();
  }

  /** While a promise waits on the worker, the worker and its reply port keep the process alive. */
  #hold(): void {
    if (this.#held) return;
    this.#held = true;
    this.#worker?.ref();
    this.#port.ref();
    this.#watchAcked = Atomics.load(this.#ctl, CTL_ACKED);
    this.#watchdog = setInterval(() => {
      const now = Atomics.load(this.#ctl, CTL_ACKED);
      this.#trim();
      if (now === this.#watchAcked && !this.#inflight.empty)
        this.#takeOver(workerError(`made no progress for ${this.#timeout} ms`));
      this.#watchAcked = now;
    }, this.#timeout);
  }

  #release(): void {
    if (!this.#held) return;
    this.#held = false;
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    this.#worker?.unref();
    this.#port.unref();
  }

  #fallbackWriter(): FdWriter {
    this.#fallback ??= fallbackWriter(this.#o, this.#batchSize);
    return this.#fallback;
  }

  /**
   * The worker is gone (or stalled): detected once. Reads its last replies, reports the error, hands
   * every unacknowledged batch to `onCrash` or writes it with the fallback writer, settles waiters.
   */
  #takeOver(err: NodeJS.ErrnoException): void {
    if (this.#state !== RUNNING) return;
    this.#drain();
    this.#trim();
    this.#state = CRASHED;
    const pending = this.#inflight.takeAll();
    if (this.#bufRecords > 0) pending.push({ seq: ++this.#seq, data: this.#buf, records: this.#bufRecords });
    this.#buf = '';
    this.#bufRecords = 0;
    for (const b of pending) this.#takenOver += b.records;
    this.#o.onError(err);
    const fallback = this.#fallbackWriter();
    if (this.#o.onCrash !== undefined) {
      try {
        this.#o.onCrash(pending, err);
      } catch (hookErr) {
        this.#o.onError(hookErr as NodeJS.ErrnoException);
      }
    } else {
      for (const b of pending) writeLines(fallback, b.data);
      fallback.flushSync();
    }
    this.#settle('all');
    this.#release();
    // A stalled worker must not write later what was just taken over.
    if (!this.#exited) void this.#worker?.terminate();
  }
}
