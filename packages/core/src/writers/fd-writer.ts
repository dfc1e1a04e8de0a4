import { registerExitFlush, unregisterExitFlush } from './exit-flush.js';
import type { FsPort } from './fs-port.js';

/** `sync`: one write(2) per record, survives SIGKILL. `buffered`: batched, flushed by size, timer, errors and exit. */
export type WriteMode = 'sync' | 'buffered';

/** Error codes worth another attempt: the sink is busy, not broken. */
const RETRYABLE = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR', 'EBUSY']);

/** A write that took 0 bytes is treated as a busy sink (retried, bounded), so it cannot spin forever. */
function noProgress(): NodeJS.ErrnoException {
  return Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EAGAIN' });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Counters every writer keeps; read by the metrics. */
export interface WriterStats {
  bytesWritten: number;
  /** write(2) calls that succeeded (a partial write counts once per call). */
  writes: number;
  flushes: number;
  retries: number;
  /** Records dropped, by reason (`write_error:ENOSPC`, `closed`, …). */
  dropped: Record<string, number>;
  errors: number;
}

export interface FdWriterOptions {
  mode: WriteMode;
  bufferSize: number;
  flushInterval: number;
  retries: number;
  retryBudgetMs: number;
  fs: FsPort;
  /** Opens (or returns) the descriptor; called lazily before the first write, and again after a failed open. */
  open(): number;
  /** Close the descriptor on close() (files: yes; stdout/stderr: no). */
  ownsFd: boolean;
  /** Written once before the first line when the sink is empty (csv). */
  header?: string | undefined;
  /** Called on every failed write or open, with the error; the caller decides how to report it. */
  onError(err: NodeJS.ErrnoException): void;
}

/**
 * Writes lines to a file descriptor with `fs.writeSync`, whatever the descriptor is (file, pipe,
 * TTY). Partial writes are completed; EAGAIN and friends are retried with a bounded, sleeping
 * backoff; other errors drop the batch, count it by reason, and never throw to the caller.
 * The next write tries again, so writing resumes when the fault clears.
 */
export class FdWriter {
  readonly stats: WriterStats = {
    bytesWritten: 0,
    writes: 0,
    flushes: 0,
    retries: 0,
    dropped: {},
    errors: 0,
  };
  readonly #o: FdWriterOptions;
  #fd = -1;
  #buf = '';
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #headerDone: boolean;
  /** Bytes of the batch that reached the sink before `#writeAll` gave up. */
  #landed = 0;
  /** A failed write cut a line: the sink ends in a fragment, so the next write starts with `\n`. */
  #torn = false;

  constructor(options: FdWriterOptions) {
    this.#o = options;
    this.#headerDone = options.header === undefined;
    if (options.mode === 'buffered') registerExitFlush(this);
  }

  get mode(): WriteMode {
    return this.#o.mode;
  }

  /** Records accepted but not yet written. */
  get pending(): number {
    return this.#pending;
  }

  /** Takes one formatted line. `urgent` (ERROR and above) writes it and everything before it now. */
  write(line: string, urgent: boolean): void {
    if (this.#closed) {
      this.#drop('closed', 1);
      return;
    }
    if (this.#o.mode === 'sync') {
      this.#writeBatch(line, 1);
      return;
    }
    this.#buf += line;
    this.#pending++;
    if (urgent || this.#buf.length >= this.#o.bufferSize) this.flushSync();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.flushSync();
      }, this.#o.flushInterval);
      this.#timer.unref();
    }
  }

  /** Writes everything pending before returning. Never throws. */
  flushSync(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending === 0) return;
    const data = this.#buf;
    const n = this.#pending;
    this.#buf = '';
    this.#pending = 0;
    this.stats.flushes++;
    this.#writeBatch(data, n);
  }

  /** Flushes, then closes the descriptor if this writer owns it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flushSync();
    this.#closed = true;
    unregisterExitFlush(this);
    if (this.#fd >= 0 && this.#o.ownsFd) {
      try {
        this.#o.fs.closeSync(this.#fd);
      } catch (err) {
        this.#o.onError(err as NodeJS.ErrnoException);
      }
    }
    this.#fd = -1;
  }

  /**
   * Closes and reopens the descriptor on the next write (after logrotate moved the file away).
   * Pending lines are flushed to the old file first.
   */
  reopen(): void {
    this.flushSync();
    if (this.#fd >= 0 && this.#o.ownsFd) {
      try {
        this.#o.fs.closeSync(this.#fd);
      } catch (err) {
        this.#o.onError(err as NodeJS.ErrnoException);
      }
      this.#fd = -1;
      this.#headerDone = this.#o.header === undefined;
      this.#torn = false;
    }
  }

  #ensureOpen(): boolean {
    if (this.#fd >= 0) return true;
    try {
      this.#fd = this.#o.open();
    } catch (err) {
      this.#o.onError(err as NodeJS.ErrnoException);
      return false;
    }
    if (!this.#headerDone) {
      this.#headerDone = true;
      let empty = true;
      try {
        const st = this.#o.fs.fstatSync(this.#fd);
        empty = !st.isFile() || st.size === 0;
      } catch {
        // Unknown: write the header; a duplicate header is better than a file without one.
      }
      if (empty && this.#o.header !== undefined) this.#writeAll(this.#o.header);
    }
    return true;
  }

  #writeBatch(data: string, records: number): void {
    if (!this.#ensureOpen()) {
      this.#drop('open_error', records);
      return;
    }
    const torn = this.#torn;
    const payload = torn ? `\n${data}` : data;
    const err = this.#writeAll(payload);
    if (err === undefined) {
      this.#torn = false;
      return;
    }
    this.#o.onError(err);
    // Lines that reached the sink whole before the failure were written, not dropped. A cut line
    // is dropped (its fragment stays behind), and ended by the next write so no record is glued to it.
    let written = 0;
    if (this.#landed > 0) {
      const landed = Buffer.from(payload).subarray(0, this.#landed);
      for (let i = landed.indexOf(10); i !== -1; i = landed.indexOf(10, i + 1)) written++;
      if (torn) written--;
      this.#torn = landed[landed.length - 1] !== 10;
    }
    this.#drop(`write_error:${err.code ?? 'UNKNOWN'}`, records - written);
  }

  /** Writes all of `data`, completing partial writes and retrying busy sinks; returns the final error, if any. */
  #writeAll(data: string): NodeJS.ErrnoException | undefined {
    const o = this.#o;
    let buf: Buffer | undefined;
    let off = 0;
    let attempts = 0;
    let waited = 0;
    for (;;) {
      try {
        if (buf === undefined) {
          const n = o.fs.writeSync(this.#fd, data);
          const total = n >= data.length ? Buffer.byteLength(data) : -1;
          if (n === total) {
            this.stats.writes++;
            this.stats.bytesWritten += n;
            return undefined;
          }
          if (n === 0) throw noProgress();
          this.stats.writes++;
          this.stats.bytesWritten += n;
          buf = Buffer.from(data);
          off = n;
        } else {
          const n = o.fs.writeSync(this.#fd, buf, off, buf.length - off);
          if (n === 0) throw noProgress();
          this.stats.writes++;
          this.stats.bytesWritten += n;
          off += n;
          if (off >= buf.length) return undefined;
        }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!RETRYABLE.has(err.code ?? '') || attempts >= o.retries || waited >= o.retryBudgetMs) {
          this.stats.errors++;
          this.#landed = off;
          return err;
        }
        attempts++;
        this.stats.retries++;
        const ms = Math.min(2 ** attempts, 100, o.retryBudgetMs - waited);
        sleepSync(ms);
        waited += ms;
      }
    }
  }

  #drop(reason: string, n: number): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
  }
}
