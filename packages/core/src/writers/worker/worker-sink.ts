import type { MessagePort, Worker } from 'node:worker_threads';
import { lazyWorkerThreads } from '../../internal/builtins.js';
import { DEFAULT_LIMITS } from '../../internal/limits.js';
import { registerExitFlush, unregisterExitFlush } from '../exit-flush.js';
import { FdWriter, type WriterStats } from '../fd-writer.js';
import { type FsPort, nodeFs } from '../fs-port.js';
import { openLogFile } from '../open-file.js';
import type { RotationPolicy } from '../rotation.js';
import { workerEntryUrl } from './entry-url.js';
import {
  CTL_ACKED,
  CTL_SLOTS,
  CTL_STATE,
  type FromWorker,
  fromWire,
  reached,
  STATE_CLOSED,
  STATE_DEAD,
  type ToWorker,
  type WorkerFsModule,
  type WorkerInit,
  type WorkerTarget,
} from './protocol.js';

/** Characters of unacknowledged batches above which `write()` blocks until the worker catches up. */
export const DEFAULT_MAX_PENDING_BYTES = DEFAULT_LIMITS.workerMaxPendingBytes;
/** Wait without any progress (ms) after which a blocked flush declares the worker stalled and takes over. */
export const DEFAULT_FLUSH_TIMEOUT_MS = DEFAULT_LIMITS.writeRetryBudgetMs + 5_000;

/** A batch posted to the worker (or still in the main thread) that the worker has not acknowledged. */
export interface PendingBatch {
  /** Position in the order of batches (1, 2, …). */
  seq: number;
  /** Formatted records, each ending with `\n`. */
  data: string;
  /** Records in `data`. */
  records: number;
}

/**
 * Called once when the worker thread dies (uncaught error, exit, `terminate()`, or no progress for
 * `flushTimeoutMs`), with every batch it had not acknowledged, oldest first. The hook now owns
 * them (write them, queue them elsewhere); without a hook they are written synchronously by the
 * fallback writer. Later `write()` calls go to the fallback writer either way.
 */
export type CrashHandler = (pending: PendingBatch[], error: NodeJS.ErrnoException) => void;

/** One batch the worker is done with: `records - dropped` of its lines were written, `dropped` counted. */
export interface BatchAck {
  seq: number;
  records: number;
  /** Lines its writer dropped (and counted in `stats().dropped`): a write error that outlasted the retries. */
  dropped: number;
}

export interface WorkerSinkOptions {
  /** Where to write: `{ file }` (opened lazily in the worker, directories created) or `{ fd }` (1, 2, a pipe…). */
  target: WorkerTarget;
  /** Written once before the first line when the file is empty (csv). */
  header?: string | undefined;
  /** Size/time rotation of a `{ file }` target, done in the worker (its own clock: `Date.now()`). */
  rotation?: RotationPolicy | undefined;
  /** Characters per posted batch; a batch is also posted at the end of every tick. Default 64 KiB. */
  batchSize?: number | undefined;
  /**
   * Backpressure: unacknowledged characters above which `write()` blocks. Default 1 Mi
   * (`DEFAULT_LIMITS.workerMaxPendingBytes`). With `batchSize`, the most a SIGKILL can lose.
   */
  maxPendingBytes?: number | undefined;
  /** A blocked flush that sees no batch acknowledged for this long takes over (ms). Default 10 s. */
  flushTimeoutMs?: number | undefined;
  /**
   * The main thread's port: a `{ file }` target is opened (directories created) and closed by the
   * first `write()`, before it returns, so the file exists and an unopenable path is reported
   * then, not when the worker thread gets to it; also the default fallback's port. Default node:fs.
   */
  fs?: FsPort | undefined;
  /** FdWriter retry settings in the worker (and the fallback). Defaults from DEFAULT_LIMITS. */
  retries?: number | undefined;
  retryBudgetMs?: number | undefined;
  /** Least time (ms) between two checks that a `{ file }` target is still at its path. Default 250. */
  fileCheckInterval?: number | undefined;
  /** The fallback writer's flush interval (ms). Default 100. */
  flushInterval?: number | undefined;
  /** A module that builds the worker's fs port (fault injection); default node:fs. */
  fsModule?: WorkerFsModule | undefined;
  /** Every failed write, open or rotation (reported from the worker), and the worker's crash, once. */
  onError(err: NodeJS.ErrnoException): void;
  onCrash?: CrashHandler | undefined;
  /**
   * Called for each batch the worker acknowledges, in order, when its acknowledgement is read (by
   * the event loop, or synchronously inside `flushSync()`/`stats()`); for per-batch delivery ledgers.
   */
  onAck?: ((ack: BatchAck) => void) | undefined;
  /** Builds the main-thread writer used after a crash; default: a buffered FdWriter over node:fs on the same target. */
  fallback?: (() => FdWriter) | undefined;
}

/** {@link WriterStats} of the worker's writer plus the fallback's, and the sink's own figures. */
export interface WorkerSinkStats extends WriterStats {
  /** Records accepted and not yet acknowledged (in the main thread's batch or in flight). */
  pending: number;
  /** Batches posted to the worker. */
  batches: number;
  /** Records the worker acknowledged (written, or dropped and counted, by its writer). */
  acknowledged: number;
  /** Records handed to the crash takeover (hook or fallback). */
  takenOver: number;
  crashed: boolean;
}

const RUNNING = 0;
const CRASHED = 1;
const CLOSED = 2;

const ZERO_STATS: WriterStats = {
  bytesWritten: 0,
  writes: 0,
  flushes: 0,
  retries: 0,
  dropped: {},
  errors: 0,
};

function workerError(message: string, cause?: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`worker thread ${message}`, { cause });
  err.code = 'ERR_HYDRA_WORKER_DIED';
  return err;
}

/**
 * The parent's Node options without those that only make sense for the main script: a worker
 * inheriting `--input-type` (as under `node --input-type=module -e …`) fails to start.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--input-type') i++;
    else if (!/^--(input-type|eval|print)=/.test(a)) out.push(a);
  }
  return out;
}

/** Hands each line of `data` to `w` (so drops are counted per record, as everywhere). */
export function writeLines(w: FdWriter, data: string): void {
  let start = 0;
  for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
    w.write(data.slice(start, nl + 1), false);
    start = nl + 1;
  }
  if (start < data.length) w.write(data.slice(start), false);
}

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
  /** Posted batches, oldest first from `#head`; acknowledged ones are cleared. */
  #inflight: (PendingBatch | undefined)[] = [];
  #head = 0;
  #inflightChars = 0;
  #inflightRecords = 0;
  #seq = 0;
  #acked = 0;
  #takenOver = 0;
  #workerStats: WriterStats = ZERO_STATS;
  #fallback: FdWriter | undefined;
  readonly #closedDrops: Record<string, number> = {};
  #waiters: { seq: number; resolve: () => void }[] = [];
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
    const init: WorkerInit = {
      ctl,
      reply: port2,
      target: options.target,
      header: options.header,
      rotation: 'file' in options.target ? options.rotation : undefined,
      retries: options.retries ?? DEFAULT_LIMITS.writeRetries,
      retryBudgetMs: options.retryBudgetMs ?? DEFAULT_LIMITS.writeRetryBudgetMs,
      fileCheckInterval: options.fileCheckInterval ?? DEFAULT_LIMITS.fileCheckInterval,
      fsModule: options.fsModule,
    };
    this.#port = port1;
    this.#port.on('message', (m: FromWorker) => this.#onReply(m));
    this.#port.unref();
    registerExitFlush(this);
    let worker: Worker | undefined;
    try {
      worker = new Worker(workerEntryUrl(), {
        workerData: init,
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
    return this.#bufRecords + this.#inflightRecords + (this.#fallback?.pending ?? 0);
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
    if (this.#touch) this.#openFile();
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
      const last = this.#inflight[this.#inflight.length - 1];
      if (this.#state === RUNNING && last !== undefined && this.#head < this.#inflight.length) {
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
    if (this.#bufRecords === 0 && this.#head >= this.#inflight.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push({ seq, resolve });
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
      const ctl = this.#ctl;
      const deadline = Date.now() + this.#timeout;
      for (;;) {
        const st = Atomics.load(ctl, CTL_STATE);
        if (st === STATE_CLOSED || st === STATE_DEAD || this.#exited) break;
        const left = deadline - Date.now();
        if (left <= 0) {
          void this.#worker?.terminate();
          break;
        }
        Atomics.wait(ctl, CTL_ACKED, Atomics.load(ctl, CTL_ACKED), Math.min(left, 50));
      }
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
    const w = this.#workerStats;
    const f = this.#fallback?.stats;
    const dropped: Record<string, number> = { ...w.dropped };
    for (const src of [f?.dropped, this.#closedDrops])
      for (const [k, v] of Object.entries(src ?? {})) dropped[k] = (dropped[k] ?? 0) + v;
    const s: WorkerSinkStats = {
      bytesWritten: w.bytesWritten + (f?.bytesWritten ?? 0),
      writes: w.writes + (f?.writes ?? 0),
      flushes: w.flushes + (f?.flushes ?? 0),
      retries: w.retries + (f?.retries ?? 0),
      dropped,
      errors: w.errors + (f?.errors ?? 0),
      pending: this.pending,
      batches: this.#seq,
      acknowledged: this.#acked,
      takenOver: this.#takenOver,
      crashed: this.crashed,
    };
    if (w.reopened !== undefined || f?.reopened !== undefined)
      s.reopened = (w.reopened ?? 0) + (f?.reopened ?? 0);
    if (w.rotations !== undefined || f?.rotations !== undefined) {
      s.rotations = (w.rotations ?? 0) + (f?.rotations ?? 0);
      s.rotationErrors = (w.rotationErrors ?? 0) + (f?.rotationErrors ?? 0);
    }
    return s;
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

  /**
   * The first write: opens and closes the file in this thread, so that it exists before the call
   * returns and an unopenable path is reported now (the worker, still starting, opens it again;
   * a failure there is the same code, reported once). Never throws.
   */
  #openFile(): void {
    this.#touch = false;
    const fs = this.#o.fs ?? nodeFs;
    try {
      fs.closeSync(openLogFile(fs, (this.#o.target as { file: string }).file));
    } catch (err) {
      this.#o.onError(err as NodeJS.ErrnoException);
    }
  }

  #post(): void {
    const batch: PendingBatch = { seq: ++this.#seq, data: this.#buf, records: this.#bufRecords };
    this.#buf = '';
    this.#bufRecords = 0;
    this.#inflight.push(batch);
    this.#inflightChars += batch.data.length;
    this.#inflightRecords += batch.records;
    this.#send({ t: 'batch', seq: batch.seq | 0, data: batch.data });
    if (this.#inflightChars > this.#maxPending) this.#relieve();
  }

  /** Backpressure: blocks until the unacknowledged batches fit in `maxPendingBytes` again. */
  #relieve(): void {
    this.#trim();
    while (this.#state === RUNNING && this.#inflightChars > this.#maxPending) {
      const head = this.#inflight[this.#head] as PendingBatch;
      const err = this.#waitAcked(head.seq);
      if (err !== undefined) this.#takeOver(err);
    }
  }

  /** Drops acknowledged batches (up to `acked`, default: the shared slot) from the in-flight list. */
  #trim(acked = Atomics.load(this.#ctl, CTL_ACKED)): void {
    const list = this.#inflight;
    while (this.#head < list.length) {
      const b = list[this.#head] as PendingBatch;
      if (!reached(acked, b.seq | 0)) break;
      list[this.#head++] = undefined;
      this.#inflightChars -= b.data.length;
      this.#inflightRecords -= b.records;
      this.#acked += b.records;
    }
    if (this.#head === list.length) {
      this.#inflight = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > list.length) {
      this.#inflight = list.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Blocks until batch `seq` is acknowledged; returns why it could not be, if so. */
  #waitAcked(seq: number): NodeJS.ErrnoException | undefined {
    const ctl = this.#ctl;
    let seen = Atomics.load(ctl, CTL_ACKED);
    let deadline = Date.now() + this.#timeout;
    for (;;) {
      if (reached(seen, seq | 0)) {
        this.#trim();
        return undefined;
      }
      if (Atomics.load(ctl, CTL_STATE) === STATE_DEAD) return workerError('died');
      const left = deadline - Date.now();
      if (left <= 0) return workerError(`made no progress for ${this.#timeout} ms`);
      Atomics.wait(ctl, CTL_ACKED, seen, Math.min(left, 50));
      const now = Atomics.load(ctl, CTL_ACKED);
      if (now !== seen) {
        seen = now;
        deadline = Date.now() + this.#timeout;
      }
    }
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
        if (this.#o.onAck !== undefined) {
          try {
            this.#o.onAck({
              seq: this.#seq - ((this.#seq - m.seq) | 0),
              records: m.records,
              dropped: m.dropped,
            });
          } catch (err) {
            this.#o.onError(err as NodeJS.ErrnoException);
          }
        }
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
    if (this.#waiters.length === 0) return;
    const keep: { seq: number; resolve: () => void }[] = [];
    for (const w of this.#waiters) {
      if (acked === 'all' || reached(acked, w.seq | 0)) w.resolve();
      else keep.push(w);
    }
    this.#waiters = keep;
    if (keep.length === 0) this.#release();
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
      if (now === this.#watchAcked && this.#head < this.#inflight.length)
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
    if (this.#fallback !== undefined) return this.#fallback;
    const o = this.#o;
    if (o.fallback !== undefined) return (this.#fallback = o.fallback());
    const target = o.target;
    const file = 'file' in target ? target.file : undefined;
    const fs: FsPort = o.fs ?? nodeFs;
    this.#fallback = new FdWriter({
      mode: 'buffered',
      bufferSize: this.#batchSize,
      flushInterval: o.flushInterval ?? DEFAULT_LIMITS.flushInterval,
      retries: o.retries ?? DEFAULT_LIMITS.writeRetries,
      retryBudgetMs: o.retryBudgetMs ?? DEFAULT_LIMITS.writeRetryBudgetMs,
      fs,
      open: file === undefined ? () => (target as { fd: number }).fd : () => openLogFile(fs, file),
      ownsFd: file !== undefined,
      file,
      checkInterval: o.fileCheckInterval,
      header: o.header,
      onError: (err) => o.onError(err),
      rotation: file === undefined || o.rotation === undefined ? undefined : { file, policy: o.rotation },
    });
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
    const pending = this.#inflight.slice(this.#head) as PendingBatch[];
    if (this.#bufRecords > 0) pending.push({ seq: ++this.#seq, data: this.#buf, records: this.#bufRecords });
    this.#inflight = [];
    this.#head = 0;
    this.#inflightChars = 0;
    this.#inflightRecords = 0;
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
