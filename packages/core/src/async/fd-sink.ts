import type { FdTargetSpec } from '../destinations/fd-destination.js';
import { fs } from '../internal/builtins.js';
import type { WriterStats } from '../writers/fd-writer.js';
import { type FsPort, nodeFs } from '../writers/fs-port.js';
import { FileRotation, rotateFiles } from '../writers/rotation.js';

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

const RETRYABLE = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR', 'EBUSY']);

function noProgress(): NodeJS.ErrnoException {
  return Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EAGAIN' });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

type AsyncWrite = (
  fd: number,
  buf: Uint8Array,
  off: number,
  len: number,
  cb: (err: NodeJS.ErrnoException | null, n: number) => void,
) => void;

export class FdSink {
  readonly stats: WriterStats = {
    bytesWritten: 0,
    writes: 0,
    flushes: 0,
    retries: 0,
    dropped: {},
    errors: 0,
  };
  /** `file:<absolute path>` or `fd:<n>`: names the target in the journal. */
  readonly key: string;
  readonly file: string | undefined;
  readonly #spec: FdTargetSpec;
  readonly #port: FsPort;
  readonly #asyncWrite: AsyncWrite | undefined;
  readonly #rot: FileRotation | undefined;
  #fd = -1;
  #regular = false;
  /** Bytes in the file as far as this sink knows (size at open plus what it wrote). */
  #size = 0;
  #torn = false;
  #headerDone: boolean;

  constructor(spec: FdTargetSpec) {
    this.#spec = spec;
    this.#port = spec.fs;
    this.file = 'file' in spec.target ? spec.target.file : undefined;
    this.key = this.file === undefined ? `fd:${(spec.target as { fd: number }).fd}` : `file:${this.file}`;
    this.#headerDone = spec.header === undefined;
    const port = spec.fs;
    if (port === nodeFs) this.#asyncWrite = (fd, buf, off, len, cb) => fs.write(fd, buf, off, len, null, cb);
    else if (typeof (port as Partial<AsyncWritePort>).write === 'function')
      this.#asyncWrite = (fd, buf, off, len, cb) =>
        (port as AsyncWritePort).write(fd, buf, off, len, null, cb);
    if (spec.rotation !== undefined && this.file !== undefined) {
      this.#rot = new FileRotation(spec.rotation, spec.now ?? (() => Date.now()));
      this.stats.rotations = 0;
      this.stats.rotationErrors = 0;
    }
  }

  get isOpen(): boolean {
    return this.#fd >= 0;
  }

  /**
   * True when writes can go to libuv's thread pool: a regular file (whose size shows when an
   * in-flight write landed, so a synchronous flush can wait for it) through a port that can write
   * asynchronously. Pipes, terminals and devices are written synchronously (docs/async.md).
   */
  get canWriteAsync(): boolean {
    return this.#asyncWrite !== undefined && this.#regular;
  }

  get rotatesBySize(): boolean {
    return this.#rot?.policy.maxSize !== undefined;
  }

  /** Opens the descriptor if needed (and writes the CSV header into an empty file); returns the error of a failed open. */
  ensureOpen(): NodeJS.ErrnoException | undefined {
    if (this.#fd >= 0) return undefined;
    try {
      this.#fd = this.#spec.open();
    } catch (err) {
      this.#fail(err as NodeJS.ErrnoException);
      return err as NodeJS.ErrnoException;
    }
    let size = 0;
    let mtimeMs: number | undefined;
    try {
      const st = this.#port.fstatSync(this.#fd);
      this.#regular = st.isFile();
      size = this.#regular ? st.size : 0;
      mtimeMs = st.mtimeMs;
    } catch {
      this.#regular = false;
    }
    this.#size = size;
    if (this.#rot?.opened(size, mtimeMs) === true) {
      // A previous run left a file from an earlier hourly/daily period: rotate it first.
      this.#rotate();
      return this.ensureOpen();
    }
    if (!this.#headerDone) {
      this.#headerDone = true;
      if (size === 0 && this.#spec.header !== undefined) {
        const r = this.#writeAll(this.#spec.header);
        if (r.error !== undefined) this.#fail(r.error);
      }
    }
    return undefined;
  }

  /** Time rotation, checked before each batch: the period ended, so this batch goes to a new file. */
  beforeBatch(): void {
    const rot = this.#rot;
    if (rot?.due()) {
      this.#rotate();
      rot.startPeriod();
    }
  }

  /** Bytes that fit before a size rotation (`Infinity` without `maxSize`), and whether the file holds no record yet. */
  room(): { bytes: number; fresh: boolean } {
    const rot = this.#rot;
    if (rot === undefined) return { bytes: Number.POSITIVE_INFINITY, fresh: false };
    if (this.#fd < 0) this.ensureOpen();
    return { bytes: rot.room(), fresh: rot.fresh };
  }

  /** Moves the current file away now (size rotation); false when that failed (writing goes on in the same file). */
  rotateNow(): boolean {
    return this.#rot === undefined ? false : this.#rotate();
  }

  /** Writes `data` (whole lines) before returning. */
  writeSync(data: string): WriteOutcome {
    const openErr = this.ensureOpen();
    if (openErr !== undefined) return { landed: 0, error: openErr };
    const torn = this.#torn;
    const r = this.#writeAll(torn ? `\n${data}` : data);
    return this.#outcome(r.landed, r.error, torn, r.error === undefined ? undefined : r.text);
  }

  /**
   * Hands `data` to the thread pool (only when {@link canWriteAsync}); `done` runs once all of it
   * landed or a write failed. The returned handle lets a synchronous flush wait for it.
   */
  writeAsync(data: string, done: (o: WriteOutcome) => void): InFlightWrite {
    const torn = this.#torn;
    const payload = Buffer.from(torn ? `\n${data}` : data);
    const handle: InFlightWrite = { expectedEnd: this.#size + payload.length, unaccounted: payload.length };
    const write = this.#asyncWrite as AsyncWrite;
    const fd = this.#fd;
    let off = 0;
    const finish = (error: NodeJS.ErrnoException | undefined): void => {
      if (handle.unaccounted > 0) {
        // Not yet counted by a synchronous flush: count what landed now.
        this.#wrote(Math.min(off, handle.unaccounted), off > 0 ? 1 : 0);
        handle.unaccounted = 0;
      }
      if (error !== undefined) this.stats.errors++;
      done(this.#outcome(off, error, torn, error === undefined ? undefined : payload));
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
    step();
    return handle;
  }

  /**
   * Blocks until the file shows the in-flight write landed (its size reached the expected end) or
   * `budgetMs` passed. True: the write is done and counted; the caller may write after it in order.
   */
  waitLanded(w: InFlightWrite, budgetMs: number): boolean {
    const deadline = Date.now() + budgetMs;
    for (;;) {
      let size: number;
      try {
        size = this.#port.fstatSync(this.#fd).size;
      } catch {
        return false;
      }
      if (size >= w.expectedEnd) {
        if (w.unaccounted > 0) this.#wrote(w.unaccounted, 1);
        w.unaccounted = 0;
        this.#torn = false;
        return true;
      }
      if (Date.now() >= deadline) return false;
      sleepSync(0.1);
    }
  }

  fsyncSync(): NodeJS.ErrnoException | undefined {
    if (this.#fd < 0 || !this.#regular) return undefined;
    try {
      this.#port.fsyncSync(this.#fd);
      return undefined;
    } catch (err) {
      this.#fail(err as NodeJS.ErrnoException);
      return err as NodeJS.ErrnoException;
    }
  }

  fsyncAsync(done: (err: NodeJS.ErrnoException | undefined) => void): void {
    if (this.#fd < 0 || !this.#regular) {
      done(undefined);
      return;
    }
    const port = this.#port as Partial<AsyncWritePort>;
    const cb = (err: NodeJS.ErrnoException | null): void => {
      if (err) this.#fail(err);
      done(err ?? undefined);
    };
    if (this.#port === nodeFs) fs.fsync(this.#fd, cb);
    else if (typeof port.fsync === 'function') port.fsync(this.#fd, cb);
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
      this.#torn = b[0] !== 10;
    } catch {
      // Unknown: leave it; a missing file has no tail.
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  /** Closes the descriptor if this sink owns it. */
  close(): void {
    if (this.#fd >= 0 && this.#spec.ownsFd) {
      try {
        this.#port.closeSync(this.#fd);
      } catch (err) {
        this.#fail(err as NodeJS.ErrnoException);
      }
    }
    this.#fd = -1;
  }

  /** Closes the file; the next write opens it again (logrotate moved it away). */
  reopen(): void {
    if (this.#fd < 0 || !this.#spec.ownsFd) return;
    this.close();
    this.#headerDone = this.#spec.header === undefined;
    this.#torn = false;
    this.#rot?.closed();
  }

  /** Turns bytes landed of the (maybe `\n`-prefixed) payload into bytes of `data`, and remembers a cut line. */
  #outcome(
    landedPayload: number,
    error: NodeJS.ErrnoException | undefined,
    prefixed: boolean,
    payload: string | Buffer | undefined,
  ): WriteOutcome {
    if (landedPayload > 0) this.#rot?.filled();
    if (error === undefined) {
      this.#torn = false;
      return { landed: landedPayload - (prefixed ? 1 : 0), error };
    }
    this.#fail(error);
    if (landedPayload > 0 && payload !== undefined) {
      const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
      this.#torn = buf[landedPayload - 1] !== 10;
    }
    return { landed: Math.max(0, landedPayload - (prefixed ? 1 : 0)), error };
  }

  /** Writes all of `text`, completing partial writes and retrying busy sinks; never throws. */
  #writeAll(text: string): { landed: number; error: NodeJS.ErrnoException | undefined; text: string } {
    const port = this.#port;
    const { writeRetries, writeRetryBudgetMs } = this.#spec.limits;
    let buf: Buffer | undefined;
    let off = 0;
    let attempts = 0;
    let waited = 0;
    for (;;) {
      try {
        if (buf === undefined) {
          const n = port.writeSync(this.#fd, text);
          const total = n >= text.length ? Buffer.byteLength(text) : -1;
          if (n === total) {
            this.#wrote(n, 1);
            return { landed: n, error: undefined, text };
          }
          if (n === 0) throw noProgress();
          this.#wrote(n, 1);
          buf = Buffer.from(text);
          off = n;
        } else {
          const n = port.writeSync(this.#fd, buf, off, buf.length - off);
          if (n === 0) throw noProgress();
          this.#wrote(n, 1);
          off += n;
          if (off >= buf.length) return { landed: off, error: undefined, text };
        }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!RETRYABLE.has(err.code ?? '') || attempts >= writeRetries || waited >= writeRetryBudgetMs) {
          this.stats.errors++;
          return { landed: off, error: err, text };
        }
        attempts++;
        this.stats.retries++;
        const ms = Math.min(2 ** attempts, 100, writeRetryBudgetMs - waited);
        sleepSync(ms);
        waited += ms;
      }
    }
  }

  #wrote(bytes: number, calls: number): void {
    this.stats.writes += calls;
    this.stats.bytesWritten += bytes;
    this.#size += bytes;
    this.#rot?.wrote(bytes);
  }

  #fail(err: NodeJS.ErrnoException): void {
    this.#spec.report(err);
  }

  #rotate(): boolean {
    const rot = this.#rot as FileRotation;
    const result = rotateFiles(this.#port, this.file as string, rot.policy, () => {
      if (this.#fd >= 0) {
        try {
          this.#port.closeSync(this.#fd);
        } catch (err) {
          this.#fail(err as NodeJS.ErrnoException);
        }
      }
      this.#fd = -1;
      this.#headerDone = this.#spec.header === undefined;
      this.#torn = false;
      rot.closed();
    });
    const stats = this.stats as Required<WriterStats>;
    if (result.rotated) stats.rotations++;
    else rot.rearm();
    for (const err of result.errors) {
      stats.rotationErrors++;
      stats.errors++;
      this.#fail(err);
    }
    return result.rotated;
  }
}
