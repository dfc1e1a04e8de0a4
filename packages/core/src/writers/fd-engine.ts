import { DEFAULT_LIMITS } from '../internal/limits.js';
import type { FsPort } from './fs-port.js';
import { FileRotation, type RotationPolicy, rotateFiles } from './rotation.js';
import { fileGone, noProgress, RETRYABLE, sleepSync } from './write-faults.js';

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
  /** Files rotated (only on a file destination with `maxSize` or `rotateInterval`). */
  rotations?: number;
  /** Rotations or compressions that failed (also counted in `errors`); records then stay in the current file. */
  rotationErrors?: number;
  /**
   * Times the file was found deleted or replaced (moved away by logrotate, another process's
   * rotation, `rm`) and the path opened again (file destinations only; docs/rotation.md).
   */
  reopened?: number;
}

/** Figures of a writer that has written nothing yet. */
export function zeroStats(): WriterStats {
  return { bytesWritten: 0, writes: 0, flushes: 0, retries: 0, dropped: {}, errors: 0 };
}

/** What an {@link FdEngine} writes to and how. */
export interface FdEngineOptions {
  fs: FsPort;
  /** Opens (or returns) the descriptor; called lazily before the first write, and again after a failed open. */
  open(): number;
  /** Close the descriptor on close() (files: yes; stdout/stderr: no). */
  ownsFd: boolean;
  /** Written once before the first line when the sink is empty (csv). */
  header?: string | undefined;
  /** Called on every failed write, open or rotation, with the error; the caller decides how to report it. */
  onError(err: NodeJS.ErrnoException): void;
  /** Attempts after a busy sink (EAGAIN …) and the time they may take together (ms). */
  retries: number;
  retryBudgetMs: number;
  /** Rotate the file at `file` by size and/or time (docs/rotation.md); files only. */
  rotation?: { file: string; policy: RotationPolicy } | undefined;
  /** The clock rotation reads (default `Date.now()`); tests inject one. */
  now?: (() => number) | undefined;
  /**
   * The path `open()` opens (file destinations): at most every `checkInterval` ms, before a write,
   * the engine checks that this path still leads to its descriptor's file, and reopens it if not.
   * Needs a port with `statSync`; without one, or without `file`, nothing is checked.
   */
  file?: string | undefined;
  /** Least time (ms) between two such checks; default {@link DEFAULT_LIMITS}.fileCheckInterval. */
  checkInterval?: number | undefined;
}

/**
 * The one write engine: bytes to a file descriptor with `fs.writeSync`, whatever the descriptor is
 * (file, pipe, TTY). It opens lazily (CSV header into an empty file), completes partial writes,
 * retries busy sinks with a bounded sleeping backoff, ends a line cut by a failure before the next
 * write, rotates files (writers/rotation.ts), and notices a file deleted or replaced under it
 * (at most every `checkInterval` ms) and opens the path again. Never throws.
 *
 * The write policies sit on top: {@link FdWriter} (`sync`, `buffered`, and the worker thread's
 * writer) and the async queue's FdSink (src/async/), which adds writes through libuv's thread pool.
 */
export class FdEngine {
  readonly stats: WriterStats = zeroStats();
  readonly o: FdEngineOptions;
  readonly rot: FileRotation | undefined;
  fd = -1;
  /** The open descriptor is a regular file (its size is known). */
  regular = false;
  /** Bytes in the file as far as this engine knows (size at open plus what it wrote). */
  size = 0;
  /** A failed write cut a line: the sink ends in a fragment, so the next write starts with `\n`. */
  torn = false;
  /** Bytes of the last `write()`'s data that reached the sink before it gave up. */
  landed = 0;
  /** Whole lines among them. */
  landedLines = 0;
  #headerDone: boolean;
  /** When the next file check is due (`Date.now()` ms, set when the file is opened); `Infinity`: none. */
  #checkAt = Number.POSITIVE_INFINITY;
  readonly checkInterval: number;
  /** Records written to the open file since the last check found it in place. */
  #sinceCheck = 0;
  /** Bytes of the payload `#writeAll` got out before it gave up. */
  #out = 0;

  constructor(options: FdEngineOptions) {
    this.o = options;
    this.#headerDone = options.header === undefined;
    this.checkInterval = options.checkInterval ?? DEFAULT_LIMITS.fileCheckInterval;
    if (options.file !== undefined && options.fs.statSync !== undefined) this.stats.reopened = 0;
    if (options.rotation !== undefined) {
      this.rot = new FileRotation(options.rotation.policy, options.now ?? (() => Date.now()));
      this.stats.rotations = 0;
      this.stats.rotationErrors = 0;
    }
  }

  /** Before a batch: the file check when due (deleted or replaced → reopen on the next write). */
  checkDue(): void {
    if (this.fd >= 0 && this.#checkAt !== Number.POSITIVE_INFINITY) {
      const now = Date.now();
      if (now >= this.#checkAt) this.#checkFile(now);
    }
  }

  /** Time rotation: the period ended, so what comes next goes to a new file. */
  rotateIfDue(): boolean {
    const rot = this.rot;
    if (rot === undefined || !rot.due()) return false;
    this.rotate();
    rot.startPeriod();
    return true;
  }

  /** Opens the descriptor if needed (and writes the CSV header into an empty file); returns the error of a failed open. */
  ensureOpen(): NodeJS.ErrnoException | undefined {
    if (this.fd >= 0) return undefined;
    const o = this.o;
    try {
      this.fd = o.open();
    } catch (err) {
      o.onError(err as NodeJS.ErrnoException);
      return err as NodeJS.ErrnoException;
    }
    if (this.stats.reopened !== undefined) this.#checkAt = Date.now() + this.checkInterval;
    let size = 0;
    let mtimeMs: number | undefined;
    try {
      const st = o.fs.fstatSync(this.fd);
      this.regular = st.isFile();
      size = this.regular ? st.size : 0;
      mtimeMs = st.mtimeMs;
    } catch {
      // Unknown: write the header; a duplicate header is better than a file without one.
      this.regular = false;
    }
    this.size = size;
    if (this.rot?.opened(size, mtimeMs) === true) {
      // A previous run left a file from an earlier hourly/daily period: rotate it first.
      this.rotate();
      return this.ensureOpen();
    }
    if (!this.#headerDone) {
      this.#headerDone = true;
      if (size === 0 && o.header !== undefined) {
        const err = this.#writeAll(o.header);
        if (err !== undefined) o.onError(err);
      }
    }
    return undefined;
  }

  /**
   * Writes `records` whole lines (`data`) to the open descriptor, after ending a line an earlier
   * failure cut. On failure returns the error (already counted in `errors`, not yet reported) and
   * leaves in {@link landed} / {@link landedLines} how much of `data` reached the sink.
   */
  write(data: string | Buffer, records: number): NodeJS.ErrnoException | undefined {
    const torn = this.torn;
    const payload = torn ? (typeof data === 'string' ? `\n${data}` : Buffer.concat([NEWLINE, data])) : data;
    const err = this.#writeAll(payload);
    if (err === undefined) {
      this.torn = false;
      this.#sinceCheck += records;
      this.rot?.filled();
      return undefined;
    }
    this.settleFailed(payload, this.#out, torn);
    return err;
  }

  /**
   * After a failed write of `payload` (`prefixed`: it began with the `\n` ending a cut line) of which
   * `out` bytes landed: sets {@link landed}, {@link landedLines}, and whether a line is now cut.
   */
  settleFailed(payload: string | Buffer, out: number, prefixed: boolean): void {
    let lines = 0;
    if (out > 0) {
      this.rot?.filled();
      const landed = (typeof payload === 'string' ? Buffer.from(payload) : payload).subarray(0, out);
      for (let i = landed.indexOf(10); i !== -1; i = landed.indexOf(10, i + 1)) lines++;
      if (prefixed) lines--;
      this.torn = landed[landed.length - 1] !== 10;
    }
    this.landed = Math.max(0, out - (prefixed ? 1 : 0));
    this.landedLines = lines;
    this.#sinceCheck += lines;
  }

  /** Counts a successful write of `bytes` (`calls` write(2) calls). */
  wrote(bytes: number, calls: number): void {
    this.stats.writes += calls;
    this.stats.bytesWritten += bytes;
    this.size += bytes;
    this.rot?.wrote(bytes);
  }

  /** Records written to the file outside {@link write} (an async write that landed whole). */
  delivered(records: number): void {
    this.torn = false;
    this.#sinceCheck += records;
    this.rot?.filled();
  }

  drop(reason: string, n: number): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
  }

  /** Closes the descriptor if this engine owns it. */
  close(): void {
    if (this.fd >= 0 && this.o.ownsFd) {
      try {
        this.o.fs.closeSync(this.fd);
      } catch (err) {
        this.o.onError(err as NodeJS.ErrnoException);
      }
    }
    this.fd = -1;
  }

  /** Closes the file; the next write opens the path again (logrotate moved it away). */
  reopen(): void {
    if (this.fd < 0 || !this.o.ownsFd) return;
    this.close();
    this.#forget();
  }

  /**
   * Moves the current file away (docs/rotation.md); the next write opens a new one. On failure the
   * error is counted and reported, and writing goes on in the current file. Never throws.
   */
  rotate(): boolean {
    // Another process (or logrotate) may have rotated the file already: then the path leads to a
    // new file, and renaming it would move that process's file, not ours. Reopen instead.
    if (this.fd >= 0 && this.#checkAt !== Number.POSITIVE_INFINITY && this.#checkFile(Date.now()))
      return true;
    const rot = this.rot as FileRotation;
    const o = this.o;
    const { file, policy } = o.rotation as NonNullable<FdEngineOptions['rotation']>;
    const result = rotateFiles(o.fs, file, policy, () => {
      if (this.fd >= 0) {
        try {
          o.fs.closeSync(this.fd);
        } catch (err) {
          o.onError(err as NodeJS.ErrnoException);
        }
      }
      this.fd = -1;
      this.#forget();
    });
    const stats = this.stats as Required<WriterStats>;
    if (result.rotated) stats.rotations++;
    else rot.rearm();
    for (const err of result.errors) {
      stats.rotationErrors++;
      stats.errors++;
      o.onError(err);
    }
    return result.rotated;
  }

  /** A new file comes next: header again, no cut line, nothing written since a check. */
  #forget(): void {
    this.#headerDone = this.o.header === undefined;
    this.torn = false;
    this.#sinceCheck = 0;
    this.rot?.closed();
  }

  /**
   * Checks that the path still leads to the open file (one `fstat` and one `stat`); if the file
   * was deleted or replaced, closes it so that the next write opens the path again, counts that
   * in `reopened`, counts as `file_deleted` the records written to a deleted file since the last
   * check, and reports it. Returns true when it closed the file. Never throws.
   */
  #checkFile(now: number): boolean {
    this.#checkAt = now + this.checkInterval;
    const o = this.o;
    const file = o.file as string;
    let own: ReturnType<FsPort['fstatSync']>;
    let deleted: boolean;
    let moved = false;
    try {
      own = o.fs.fstatSync(this.fd);
      if (own.ino === undefined || !own.isFile()) return false;
      deleted = own.nlink === 0;
      if (!deleted) {
        try {
          const st = (o.fs.statSync as NonNullable<FsPort['statSync']>)(file);
          moved = st.ino !== own.ino || st.dev !== own.dev;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException)?.code;
          moved = code === 'ENOENT' || code === 'ENOTDIR';
        }
      }
    } catch {
      return false;
    }
    if (!deleted && !moved) {
      this.#sinceCheck = 0;
      return false;
    }
    // Unlinking sets the file's ctime; each write sets mtime and ctime. A file last written
    // before it was deleted (mtime < ctime) lost nothing of ours: the deletion took what was in it.
    // Otherwise the records written since the last check are counted lost (some may predate the
    // deletion: an upper bound, never an undercount).
    const writtenAfter = own.mtimeMs === undefined || own.ctimeMs === undefined || own.mtimeMs >= own.ctimeMs;
    const lost = deleted && writtenAfter ? this.#sinceCheck : 0;
    if (o.ownsFd) {
      try {
        o.fs.closeSync(this.fd);
      } catch {
        // The file is gone from the path either way; the next write opens the path.
      }
    }
    this.fd = -1;
    this.#forget();
    (this.stats as Required<WriterStats>).reopened++;
    if (lost > 0) this.drop('file_deleted', lost);
    o.onError(fileGone(file, deleted, lost, this.checkInterval, this.rot !== undefined));
    return true;
  }

  /** Writes all of `data`, completing partial writes and retrying busy sinks; returns the final error, if any. */
  #writeAll(data: string | Buffer): NodeJS.ErrnoException | undefined {
    const o = this.o;
    let buf: Buffer | undefined = typeof data === 'string' ? undefined : data;
    let off = 0;
    let attempts = 0;
    let waited = 0;
    for (;;) {
      try {
        if (buf === undefined) {
          const text = data as string;
          const n = o.fs.writeSync(this.fd, text);
          const total = n >= text.length ? Buffer.byteLength(text) : -1;
          if (n === total) {
            this.wrote(n, 1);
            return undefined;
          }
          if (n === 0) throw noProgress();
          this.wrote(n, 1);
          buf = Buffer.from(text);
          off = n;
        } else {
          const n = o.fs.writeSync(this.fd, buf, off, buf.length - off);
          if (n === 0) throw noProgress();
          this.wrote(n, 1);
          off += n;
          if (off >= buf.length) return undefined;
        }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!RETRYABLE.has(err.code ?? '') || attempts >= o.retries || waited >= o.retryBudgetMs) {
          this.stats.errors++;
          this.#out = off;
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
}

const NEWLINE = Buffer.from('\n');
