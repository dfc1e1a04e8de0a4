import type { FdTargetSpec } from '../destinations/fd-destination.js';
import { fs } from '../internal/builtins.js';
import { FdEngine, type WriterStats } from '../writers/fd-engine.js';
import { type FsPort, nodeFs } from '../writers/fs-port.js';
import { noProgress, sleepSync } from '../writers/write-faults.js';

/**
 * The descriptor of one console or file destination of an AsyncHydraLogger, written by its queue
 * lane. Unlike FdWriter (which hides failures behind counters, as a synchronous logger must), every
 * write here reports exactly how many bytes landed and why it stopped, so the lane can hand the
 * rest to the next strategy. Partial writes are completed, busy sinks (EAGAIN …) retried with a
 * bounded sleeping backoff, a line cut by a failure is ended before the next one, and files rotate
 * by size and time (writers/rotation.ts) between batches. Never throws.
 */

/** A fs port that can also write without blocking the event loop (node's `fs.write` shape); tests inject one. */
export interface AsyncWritePort extends FsPort {
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: null,
    callback: (err: NodeJS.ErrnoException | null, written: number) => void,
  ): void;
  /** Optional: `fsync` without blocking; without it, `fsyncSync` runs on the main thread. */
  fsync?(fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void;
}

/** What one write achieved: bytes of the data that reached the sink, and the error that stopped it. */
export interface WriteOutcome {
  landed: number;
  error: NodeJS.ErrnoException | undefined;
}

/** An async write in flight: where the file will end once it landed. */
export interface InFlightWrite {
  readonly expectedEnd: number;
  /** Bytes still to be counted when it completes (0 once a synchronous flush saw them land). */
  unaccounted: number;
}

type AsyncWrite = (
  fd: number,
  buf: Uint8Array,
  off: number,
  len: number,
  cb: (err: NodeJS.ErrnoException | null, n: number) => void,
) => void;

export class FdSink {
  /** `file:<absolute path>` or `fd:<n>`: names the target in the journal. */
  readonly key: string;
  readonly file: string | undefined;
  readonly #port: FsPort;
  readonly #asyncWrite: AsyncWrite | undefined;
  readonly #e: FdEngine;

  constructor(spec: FdTargetSpec) {
    this.#port = spec.fs;
    this.file = 'file' in spec.target ? spec.target.file : undefined;
    this.key = this.file === undefined ? `fd:${(spec.target as { fd: number }).fd}` : `file:${this.file}`;
    const port = spec.fs;
    if (port === nodeFs) this.#asyncWrite = (fd, buf, off, len, cb) => fs.write(fd, buf, off, len, null, cb);
    else if (typeof (port as Partial<AsyncWritePort>).write === 'function')
      this.#asyncWrite = (fd, buf, off, len, cb) =>
        (port as AsyncWritePort).write(fd, buf, off, len, null, cb);
    const file = this.file;
    this.#e = new FdEngine({
      fs: port,
      open: () => spec.open(),
      ownsFd: spec.ownsFd,
      header: spec.header,
      onError: (err) => spec.report(err),
      retries: spec.limits.writeRetries,
      retryBudgetMs: spec.limits.writeRetryBudgetMs,
      rotation:
        spec.rotation !== undefined && file !== undefined ? { file, policy: spec.rotation } : undefined,
      now: spec.now,
      file,
      checkInterval: spec.limits.fileCheckInterval,
    });
  }

  get stats(): WriterStats {
    return this.#e.stats;
  }

  get isOpen(): boolean {
    return this.#e.fd >= 0;
  }

  /**
   * True when writes can go to libuv's thread pool: a regular file (whose size shows when an
   * in-flight write landed, so a synchronous flush can wait for it) through a port that can write
   * asynchronously. Pipes, terminals and devices are written synchronously (docs/async.md).
   */
  get canWriteAsync(): boolean {
    return this.#asyncWrite !== undefined && this.#e.regular;
  }

  get rotatesBySize(): boolean {
    return this.#e.rot?.policy.maxSize !== undefined;
  }

  /** Opens the descriptor if needed (and writes the CSV header into an empty file); returns the error of a failed open. */
  ensureOpen(): NodeJS.ErrnoException | undefined {
    return this.#e.ensureOpen();
  }

  /**
   * Before each batch: the check that the file is still at its path (deleted or replaced: the
   * batch goes to the path opened again), then time rotation (the period ended: a new file).
   */
  beforeBatch(): void {
    this.#e.checkDue();
    this.#e.rotateIfDue();
  }

  /** Bytes that fit before a size rotation (`Infinity` without `maxSize`), and whether the file holds no record yet. */
  room(): { bytes: number; fresh: boolean } {
    const rot = this.#e.rot;
    if (rot === undefined) return { bytes: Number.POSITIVE_INFINITY, fresh: false };
    if (this.#e.fd < 0) this.ensureOpen();
    return { bytes: rot.room(), fresh: rot.fresh };
  }

  /** Moves the current file away now (size rotation); false when that failed (writing goes on in the same file). */
  rotateNow(): boolean {
    return this.#e.rot === undefined ? false : this.#e.rotate();
  }

  /** Writes `data` (`lines` whole lines) before returning. */
  writeSync(data: string, lines: number): WriteOutcome {
    const e = this.#e;
    const openErr = e.ensureOpen();
    if (openErr !== undefined) return { landed: 0, error: openErr };
    const error = e.write(data, lines);
    if (error === undefined) return { landed: Buffer.byteLength(data), error };
    e.o.onError(error);
    return { landed: e.landed, error };
  }

  /**
   * Hands `data` (`lines` whole lines) to the thread pool (only when {@link canWriteAsync}); `done`
   * runs once all of it landed or a write failed. The returned handle lets a synchronous flush wait for it.
   */
  writeAsync(data: string, lines: number, done: (o: WriteOutcome) => void): InFlightWrite {
    const e = this.#e;
    // The batch's file check or time rotation may have closed the file since the lane saw it open.
    const openErr = e.ensureOpen();
    const torn = e.torn;
    const payload = Buffer.from(torn ? `\n${data}` : data);
    const handle: InFlightWrite = { expectedEnd: e.size + payload.length, unaccounted: payload.length };
    const write = this.#asyncWrite as AsyncWrite;
    const fd = e.fd;
    let off = 0;
    const finish = (error: NodeJS.ErrnoException | undefined): void => {
      if (handle.unaccounted > 0) {
        // Not yet counted by a synchronous flush: count what landed now.
        e.wrote(Math.min(off, handle.unaccounted), off > 0 ? 1 : 0);
        handle.unaccounted = 0;
      }
      if (error === undefined) {
        e.delivered(lines);
        done({ landed: off - (torn ? 1 : 0), error });
        return;
      }
      e.stats.errors++;
      e.settleFailed(payload, off, torn);
      e.o.onError(error);
      done({ landed: e.landed, error });
    };
    const step = (): void => {
      try {
        write(fd, payload, off, payload.length - off, (err, n) => {
          if (err) return finish(err);
          if (n === 0) return finish(noProgress());
          off += n;
          if (off < payload.length) step();
          else finish(undefined);
        });
      } catch (err) {
        finish(err as NodeJS.ErrnoException);
      }
    };
    if (openErr === undefined) step();
    else setImmediate(() => finish(openErr));
    return handle;
  }

  /**
   * Blocks until the file shows the in-flight write landed (its size reached the expected end) or
   * `budgetMs` passed. True: the write is done and counted; the caller may write after it in order.
   */
  waitLanded(w: InFlightWrite, budgetMs: number): boolean {
    const e = this.#e;
    const deadline = Date.now() + budgetMs;
    for (;;) {
      let size: number;
      try {
        size = this.#port.fstatSync(e.fd).size;
      } catch {
        return false;
      }
      if (size >= w.expectedEnd) {
        if (w.unaccounted > 0) e.wrote(w.unaccounted, 1);
        w.unaccounted = 0;
        e.torn = false;
        return true;
      }
      if (Date.now() >= deadline) return false;
      sleepSync(0.1);
    }
  }

  fsyncSync(): NodeJS.ErrnoException | undefined {
    const e = this.#e;
    if (e.fd < 0 || !e.regular) return undefined;
    try {
      this.#port.fsyncSync(e.fd);
      return undefined;
    } catch (err) {
      e.o.onError(err as NodeJS.ErrnoException);
      return err as NodeJS.ErrnoException;
    }
  }

  fsyncAsync(done: (err: NodeJS.ErrnoException | undefined) => void): void {
    const e = this.#e;
    if (e.fd < 0 || !e.regular) {
      done(undefined);
      return;
    }
    const port = this.#port as Partial<AsyncWritePort>;
    const cb = (err: NodeJS.ErrnoException | null): void => {
      if (err) e.o.onError(err);
      done(err ?? undefined);
    };
    if (this.#port === nodeFs) fs.fsync(e.fd, cb);
    else if (typeof port.fsync === 'function') port.fsync(e.fd, cb);
    else done(this.fsyncSync());
  }

  /**
   * Another writer (a worker thread that died) may have left a cut line at the end of the file:
   * if the last byte is not a newline, the next write starts with one.
   */
  checkTail(): void {
    if (this.file === undefined) return;
    let fd = -1;
    try {
      fd = fs.openSync(this.file, 'r');
      const size = fs.fstatSync(fd).size;
      if (size === 0) return;
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, size - 1);
      this.#e.torn = b[0] !== 10;
    } catch {
      // Unknown: leave it; a missing file has no tail.
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  /** Closes the descriptor if this sink owns it. */
  close(): void {
    this.#e.close();
  }

  /** Closes the file; the next write opens it again (logrotate moved it away). */
  reopen(): void {
    this.#e.reopen();
  }
}
