import type { MessagePort } from 'node:worker_threads';
import type { WriterStats } from '../fd-writer.js';
import type { RotationPolicy } from '../rotation.js';

/**
 * The wire between a {@link WorkerSink} (main thread) and its worker thread (worker-entry.ts).
 * Shared by both sides; holds no code that either side would not load anyway.
 */

/** Slots of the shared control array (an `Int32Array` over a `SharedArrayBuffer`). */
export const CTL_ACKED = 0;
/** {@link STATE_STARTING} … {@link STATE_DEAD}. */
export const CTL_STATE = 1;
export const CTL_SLOTS = 2;

export const STATE_STARTING = 0;
export const STATE_RUNNING = 1;
/** The worker flushed and closed its writer on request. */
export const STATE_CLOSED = 2;
/** The worker's `exit` handler ran without a close request (uncaught error, `process.exit` in the worker). */
export const STATE_DEAD = 3;

/**
 * True when batch `acked` is at or after batch `seq`. Sequence numbers live in an int32 slot and
 * wrap; comparing their difference modulo 2^32 stays right while fewer than 2^31 batches are in flight.
 */
export function reached(acked: number, seq: number): boolean {
  return ((acked - seq) | 0) >= 0;
}

/** Where the worker writes: a file path (opened lazily, directories created) or a descriptor it does not own. */
export type WorkerTarget = { file: string } | { fd: number };

/**
 * A module the worker imports to build its fs port: it must export
 * `createFsPort(options): FsPort | Promise<FsPort>`. An in-process port (functions, state) cannot
 * cross the thread boundary, so tests and fault injection name a module instead.
 */
export interface WorkerFsModule {
  /** `file:` URL (or absolute path) of the module. */
  url: string;
  /** Passed to `createFsPort`; must be structured-cloneable. */
  options?: unknown;
}

/** `workerData` of the worker thread. */
export interface WorkerInit {
  ctl: SharedArrayBuffer;
  /** The worker's end of the reply channel (transferred). */
  reply: MessagePort;
  target: WorkerTarget;
  header: string | undefined;
  rotation: RotationPolicy | undefined;
  retries: number;
  retryBudgetMs: number;
  /** Least time (ms) between two checks that the file is still at its path (FdWriterOptions.checkInterval). */
  fileCheckInterval: number;
  fsModule: WorkerFsModule | undefined;
}

/** Main → worker. Batches are processed in order, one write(2) (or more with rotation) per batch. */
export type ToWorker = { t: 'batch'; seq: number; data: string } | { t: 'reopen' } | { t: 'close' };

/** An error as it crosses the boundary (structured clone drops `code`, `syscall` … from Error objects). */
export interface WireError {
  message: string;
  code?: string | undefined;
  syscall?: string | undefined;
  errno?: number | undefined;
  path?: string | undefined;
}

/**
 * Worker → main. `stats` are the worker writer's figures after the batch; `records` the lines of
 * the batch, `dropped` how many of them its writer dropped (and counted) instead of writing.
 */
export type FromWorker =
  | { t: 'ack'; seq: number; records: number; dropped: number; stats: WriterStats }
  | { t: 'error'; error: WireError }
  | { t: 'closed'; stats: WriterStats };

export function toWire(err: NodeJS.ErrnoException): WireError {
  return {
    message: String(err?.message ?? err),
    code: err?.code,
    syscall: err?.syscall,
    errno: err?.errno,
    path: err?.path,
  };
}

export function fromWire(w: WireError): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(w.message);
  if (w.code !== undefined) err.code = w.code;
  if (w.syscall !== undefined) err.syscall = w.syscall;
  if (w.errno !== undefined) err.errno = w.errno;
  if (w.path !== undefined) err.path = w.path;
  return err;
}
