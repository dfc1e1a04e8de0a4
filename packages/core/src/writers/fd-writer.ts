import { DEFAULT_LIMITS } from '../internal/limits.js';
import { registerExitFlush, unregisterExitFlush } from './exit-flush.js';
import type { FsPort } from './fs-port.js';
import { FileRotation, type RotationPolicy, rotateFiles } from './rotation.js';

/** `sync`: one write(2) per record, survives SIGKILL. `buffered`: batched, flushed by size, timer, errors and exit. */
export type WriteMode = 'sync' | 'buffered';

/** Error codes worth another attempt: the sink is busy, not broken. */
const RETRYABLE = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR', 'EBUSY']);

/** A write that took 0 bytes is treated as a busy sink (retried, bounded), so it cannot spin forever. */
function noProgress(): NodeJS.ErrnoException {
  return Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EAGAIN' });
}

const NEWLINE = Buffer.from('\n');

/** Lines in `buf` (its newlines). */
function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
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
  /** Called on every failed write, open or rotation, with the error; the caller decides how to report it. */
  onError(err: NodeJS.ErrnoException): void;
  /** Rotate the file at `file` by size and/or time (docs/rotation.md); files only. */
  rotation?: { file: string; policy: RotationPolicy } | undefined;
  /** The clock rotation reads (default `Date.now()`); tests inject one. */
  now?: (() => number) | undefined;
  /**
   * The path `open()` opens (file destinations): at most every `checkInterval` ms, before a write,
   * the writer checks that this path still leads to its descriptor's file, and reopens it if not.
   * Needs a port with `statSync`; without one, or without `file`, nothing is checked.
   */
  file?: string | undefined;
  /** Least time (ms) between two such checks; default {@link DEFAULT_LIMITS}.fileCheckInterval. */
  checkInterval?: number | undefined;
}

/** The writer's file was deleted or replaced under it: reported once per kind, then counted in `reopened`. */
function fileGone(
  file: string,
  deleted: boolean,
  lost: number,
  interval: number,
  rotating: boolean,
): NodeJS.ErrnoException & { uncounted?: boolean } {
  if (!deleted && rotating) {
    // This writer rotates the file too: someone else (another process, logrotate) rotated it.
    const err: NodeJS.ErrnoException & { uncounted?: boolean } = new Error(
      `log file ${file} was rotated or replaced by another writer while open; reopened the path. Two writers rotating one file rename backups over each other's: records can be lost that way, and that loss cannot be counted. Give each process its own file (docs/rotation.md)`,
    );
    err.code = 'EHYDRA_FILE_ROTATED_ELSEWHERE';
    err.path = file;
    err.uncounted = true;
    return err;
  }
  const err: NodeJS.ErrnoException = new Error(
    deleted
      ? `log file ${file} was deleted while open; reopened it (a new file). ` +
          (lost > 0
            ? `Up to ${lost} records written to it after the deletion (in the ${interval} ms before it was noticed) are lost, counted in dropped.file_deleted`
            : 'Nothing was written to it after the deletion')
      : `log file ${file} was replaced or moved away while open (logrotate, another process's rotation); reopened the path. Records written before went to the moved file, none lost`,
  );
  err.code = deleted ? 'EHYDRA_FILE_DELETED' : 'EHYDRA_FILE_REPLACED';
  err.path = file;
  return err;
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
  readonly #rot: FileRotation | undefined;
  /** When the next file check is due (`Date.now()` ms, set when the file is opened); `Infinity`: none. */
  #checkAt = Number.POSITIVE_INFINITY;
  readonly #checkInterval: number;
  /** Records written to the open file since the last check found it in place. */
  #sinceCheck = 0;

  constructor(options: FdWriterOptions) {
    this.#o = options;
    this.#headerDone = options.header === undefined;
    this.#checkInterval = options.checkInterval ?? DEFAULT_LIMITS.fileCheckInterval;
    if (options.file !== undefined && options.fs.statSync !== undefined) this.stats.reopened = 0;
    if (options.rotation !== undefined) {
      const now = options.now ?? (() => Date.now());
      this.#rot = new FileRotation(options.rotation.policy, now);
      this.stats.rotations = 0;
      this.stats.rotationErrors = 0;
    }
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
    const rot = this.#rot;
    if (rot?.due()) {
      // The period ended: what was accepted before goes to the old file, this record to the new one.
      this.flushSync();
      this.#rotate();
      rot.startPeriod();
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
      this.#sinceCheck = 0;
      this.#rot?.closed();
    }
  }

  /**
   * Checks that the path still leads to the open file (one `fstat` and one `stat`); if the file
   * was deleted or replaced, closes it so that the next write opens the path again, counts that
   * in `reopened`, counts as `file_deleted` the records written to a deleted file since the last
   * check, and reports it. Returns true when it closed the file. Never throws.
   */
  #checkFile(now: number): boolean {
    this.#checkAt = now + this.#checkInterval;
    const o = this.#o;
    const file = o.file as string;
    let own: ReturnType<FsPort['fstatSync']>;
    let deleted: boolean;
    let moved = false;
    try {
      own = o.fs.fstatSync(this.#fd);
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
    if (this.#o.ownsFd) {
      try {
        o.fs.closeSync(this.#fd);
      } catch {
        // The file is gone from the path either way; the next write opens the path.
      }
    }
    this.#fd = -1;
    this.#headerDone = o.header === undefined;
    this.#torn = false;
    this.#sinceCheck = 0;
    this.#rot?.closed();
    (this.stats as Required<WriterStats>).reopened++;
    if (lost > 0) this.#drop('file_deleted', lost);
    o.onError(fileGone(file, deleted, lost, this.#checkInterval, this.#rot !== undefined));
    return true;
  }

  #ensureOpen(): boolean {
    if (this.#fd >= 0) return true;
    try {
      this.#fd = this.#o.open();
    } catch (err) {
      this.#o.onError(err as NodeJS.ErrnoException);
      return false;
    }
    if (this.stats.reopened !== undefined) this.#checkAt = Date.now() + this.#checkInterval;
    const rot = this.#rot;
    if (!this.#headerDone || rot !== undefined) {
      let empty = true;
      let size = 0;
      let mtimeMs: number | undefined;
      try {
        const st = this.#o.fs.fstatSync(this.#fd);
        empty = !st.isFile() || st.size === 0;
        size = st.isFile() ? st.size : 0;
        mtimeMs = st.mtimeMs;
      } catch {
        // Unknown: write the header; a duplicate header is better than a file without one.
      }
      if (rot?.opened(size, mtimeMs) === true) {
        // A previous run left a file from an earlier hourly/daily period: rotate it first.
        this.#rotate();
        return this.#ensureOpen();
      }
      if (!this.#headerDone) {
        this.#headerDone = true;
        if (empty && this.#o.header !== undefined) this.#writeAll(this.#o.header);
      }
    }
    return true;
  }

  /**
   * Moves the current file away (docs/rotation.md); the next write opens a new one. On failure the
   * error is counted and reported, and writing goes on in the current file. Never throws.
   */
  #rotate(): boolean {
    // Another process (or logrotate) may have rotated the file already: then the path leads to a
    // new file, and renaming it would move that process's file, not ours. Reopen instead.
    if (this.#fd >= 0 && this.#checkAt !== Number.POSITIVE_INFINITY && this.#checkFile(Date.now()))
      return true;
    const rot = this.#rot as FileRotation;
    const o = this.#o;
    const { file, policy } = o.rotation as NonNullable<FdWriterOptions['rotation']>;
    const result = rotateFiles(o.fs, file, policy, () => {
      if (this.#fd >= 0) {
        try {
          o.fs.closeSync(this.#fd);
        } catch (err) {
          o.onError(err as NodeJS.ErrnoException);
        }
      }
      this.#fd = -1;
      this.#headerDone = o.header === undefined;
      this.#torn = false;
      this.#sinceCheck = 0;
      rot.closed();
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

  #writeBatch(data: string, records: number): void {
    if (this.#fd >= 0 && this.#checkAt !== Number.POSITIVE_INFINITY) {
      const now = Date.now();
      if (now >= this.#checkAt) this.#checkFile(now);
    }
    if (!this.#ensureOpen()) {
      this.#drop('open_error', records);
      return;
    }
    const rot = this.#rot;
    if (rot === undefined || rot.room() >= Buffer.byteLength(data)) {
      this.#writeChunk(data, records);
      return;
    }
    // Rotating by size: cut the batch at line boundaries so that no file passes maxSize, except
    // by one line longer than maxSize, which is written alone into a fresh file.
    const buf = Buffer.from(data);
    let off = 0;
    let failed = false;
    while (off < buf.length) {
      const room = rot.room();
      let end: number;
      if (failed || buf.length - off <= room) end = buf.length;
      else {
        const nl = room > 0 ? buf.lastIndexOf(10, off + room - 1) : -1;
        if (nl >= off) end = nl + 1;
        else if (rot.fresh) {
          const eol = buf.indexOf(10, off);
          end = eol === -1 ? buf.length : eol + 1;
        } else {
          failed = !this.#rotate();
          if (!this.#ensureOpen()) {
            this.#drop('open_error', countLines(buf.subarray(off)));
            return;
          }
          continue;
        }
      }
      const chunk = buf.subarray(off, end);
      this.#writeChunk(chunk, end === buf.length && off === 0 ? records : countLines(chunk));
      off = end;
    }
  }

  /** Writes records to the open descriptor; on failure reports, counts what was dropped, and marks a torn line. */
  #writeChunk(data: string | Buffer, records: number): void {
    const torn = this.#torn;
    const payload = torn ? (typeof data === 'string' ? `\n${data}` : Buffer.concat([NEWLINE, data])) : data;
    const err = this.#writeAll(payload);
    if (err === undefined) {
      this.#torn = false;
      this.#sinceCheck += records;
      this.#rot?.filled();
      return;
    }
    if (this.#landed > 0) this.#rot?.filled();
    this.#o.onError(err);
    // Lines that reached the sink whole before the failure were written, not dropped. A cut line
    // is dropped (its fragment stays behind), and ended by the next write so no record is glued to it.
    let written = 0;
    if (this.#landed > 0) {
      const landed = Buffer.from(payload).subarray(0, this.#landed);
      for (let i = landed.indexOf(10); i !== -1; i = landed.indexOf(10, i + 1)) written++;
      if (torn) written--;
      this.#torn = landed[landed.length - 1] !== 10;
      this.#sinceCheck += written;
    }
    this.#drop(`write_error:${err.code ?? 'UNKNOWN'}`, records - written);
  }

  /** Writes all of `data`, completing partial writes and retrying busy sinks; returns the final error, if any. */
  #writeAll(data: string | Buffer): NodeJS.ErrnoException | undefined {
    const o = this.#o;
    let buf: Buffer | undefined = typeof data === 'string' ? undefined : data;
    let off = 0;
    let attempts = 0;
    let waited = 0;
    for (;;) {
      try {
        if (buf === undefined) {
          const text = data as string;
          const n = o.fs.writeSync(this.#fd, text);
          const total = n >= text.length ? Buffer.byteLength(text) : -1;
          if (n === total) {
            this.#wrote(n);
            return undefined;
          }
          if (n === 0) throw noProgress();
          this.#wrote(n);
          buf = Buffer.from(text);
          off = n;
        } else {
          const n = o.fs.writeSync(this.#fd, buf, off, buf.length - off);
          if (n === 0) throw noProgress();
          this.#wrote(n);
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

  #wrote(n: number): void {
    this.stats.writes++;
    this.stats.bytesWritten += n;
    this.#rot?.wrote(n);
  }

  #drop(reason: string, n: number): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
  }
}
