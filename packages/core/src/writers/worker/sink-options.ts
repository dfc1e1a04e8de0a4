import type { MessagePort } from 'node:worker_threads';
import { DEFAULT_LIMITS } from '../../internal/limits.js';
import { type WriterStats, zeroStats } from '../fd-engine.js';
import { FdWriter } from '../fd-writer.js';
import { type FsPort, nodeFs } from '../fs-port.js';
import { openLogFile } from '../open-file.js';
import type { RotationPolicy } from '../rotation.js';
import type { WorkerFsModule, WorkerInit, WorkerTarget } from './protocol.js';

// The options and figures of a WorkerSink (worker-sink.ts), and the pieces it shares with its crash takeover.

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

export const ZERO_STATS: WriterStats = zeroStats();

export function workerError(message: string, cause?: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`worker thread ${message}`, { cause });
  err.code = 'ERR_HYDRA_WORKER_DIED';
  return err;
}

/**
 * The parent's Node options without those that only make sense for the main script: a worker
 * inheriting `--input-type` (as under `node --input-type=module -e …`) fails to start.
 */
export function workerExecArgv(): string[] {
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

/** The default crash fallback: a buffered FdWriter on the main thread, same target, over `o.fs` (default node:fs). */
export function fallbackWriter(o: WorkerSinkOptions, batchSize: number): FdWriter {
  if (o.fallback !== undefined) return o.fallback();
  const target = o.target;
  const file = 'file' in target ? target.file : undefined;
  const fs: FsPort = o.fs ?? nodeFs;
  return new FdWriter({
    mode: 'buffered',
    bufferSize: batchSize,
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
}

/** The worker writer's figures plus the fallback's, the drops after close, and the sink's own. */
export function sinkStats(
  w: WriterStats,
  f: WriterStats | undefined,
  closedDrops: Record<string, number>,
  own: Pick<WorkerSinkStats, 'pending' | 'batches' | 'acknowledged' | 'takenOver' | 'crashed'>,
): WorkerSinkStats {
  const dropped: Record<string, number> = { ...w.dropped };
  for (const src of [f?.dropped, closedDrops])
    for (const [k, v] of Object.entries(src ?? {})) dropped[k] = (dropped[k] ?? 0) + v;
  const s: WorkerSinkStats = {
    bytesWritten: w.bytesWritten + (f?.bytesWritten ?? 0),
    writes: w.writes + (f?.writes ?? 0),
    flushes: w.flushes + (f?.flushes ?? 0),
    retries: w.retries + (f?.retries ?? 0),
    dropped,
    errors: w.errors + (f?.errors ?? 0),
    ...own,
  };
  if (w.reopened !== undefined || f?.reopened !== undefined)
    s.reopened = (w.reopened ?? 0) + (f?.reopened ?? 0);
  if (w.rotations !== undefined || f?.rotations !== undefined) {
    s.rotations = (w.rotations ?? 0) + (f?.rotations ?? 0);
    s.rotationErrors = (w.rotationErrors ?? 0) + (f?.rotationErrors ?? 0);
  }
  return s;
}

/** What the worker thread starts with: the shared control slots, its reply port, the writer's settings. */
export function workerInit(o: WorkerSinkOptions, ctl: SharedArrayBuffer, reply: MessagePort): WorkerInit {
  return {
    ctl,
    reply,
    target: o.target,
    header: o.header,
    rotation: 'file' in o.target ? o.rotation : undefined,
    retries: o.retries ?? DEFAULT_LIMITS.writeRetries,
    retryBudgetMs: o.retryBudgetMs ?? DEFAULT_LIMITS.writeRetryBudgetMs,
    fileCheckInterval: o.fileCheckInterval ?? DEFAULT_LIMITS.fileCheckInterval,
    fsModule: o.fsModule,
  };
}

/**
 * The first write of a `{ file }` target: opens and closes the file in the main thread, so that it
 * exists before the call returns and an unopenable path is reported now (the worker, still
 * starting, opens it again; a failure there is the same code, reported once). Never throws.
 */
export function touchFile(o: WorkerSinkOptions): void {
  const fs = o.fs ?? nodeFs;
  try {
    fs.closeSync(openLogFile(fs, (o.target as { file: string }).file));
  } catch (err) {
    o.onError(err as NodeJS.ErrnoException);
  }
}

/** Calls `onAck`; what it throws is reported, never thrown into the sink. */
export function notifyAck(o: WorkerSinkOptions, ack: BatchAck): void {
  try {
    o.onAck?.(ack);
  } catch (err) {
    o.onError(err as NodeJS.ErrnoException);
  }
}
