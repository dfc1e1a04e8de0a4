import { registerExitFlush, unregisterExitFlush } from './exit-flush.js';
import { FdEngine, type FdEngineOptions, type WriterStats } from './fd-engine.js';
import { countLines } from './write-faults.js';

export type { WriterStats } from './fd-engine.js';

/** `sync`: one write(2) per record, survives SIGKILL. `buffered`: batched, flushed by size, timer, errors and exit. */
export type WriteMode = 'sync' | 'buffered';

export interface FdWriterOptions extends FdEngineOptions {
  mode: WriteMode;
  bufferSize: number;
  flushInterval: number;
}

/**
 * The `sync` and `buffered` write policies over the {@link FdEngine} (also the worker thread's
 * writer): whatever the descriptor is (file, pipe, TTY), partial writes are completed, EAGAIN and
 * friends retried with a bounded, sleeping backoff; other errors drop the batch, count it by
 * reason, and never throw to the caller. The next write tries again, so writing resumes when the
 * fault clears.
 */
export class FdWriter {
  readonly #o: FdWriterOptions;
  readonly #e: FdEngine;
  #buf = '';
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: FdWriterOptions) {
    this.#o = options;
    this.#e = new FdEngine(options);
    if (options.mode === 'buffered') registerExitFlush(this);
  }

  get stats(): WriterStats {
    return this.#e.stats;
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
      this.#e.drop('closed', 1);
      return;
    }
    const rot = this.#e.rot;
    if (rot?.due()) {
      // The period ended: what was accepted before goes to the old file, this record to the new one.
      this.flushSync();
      this.#e.rotateIfDue();
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
    this.#e.stats.flushes++;
    this.#writeBatch(data, n);
  }

  /** Flushes, then closes the descriptor if this writer owns it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flushSync();
    this.#closed = true;
    unregisterExitFlush(this);
    this.#e.close();
  }

  /**
   * Closes and reopens the descriptor on the next write (after logrotate moved the file away).
   * Pending lines are flushed to the old file first.
   */
  reopen(): void {
    this.flushSync();
    this.#e.reopen();
  }

  #writeBatch(data: string, records: number): void {
    const e = this.#e;
    e.checkDue();
    if (e.ensureOpen() !== undefined) {
      e.drop('open_error', records);
      return;
    }
    const rot = e.rot;
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
          failed = !e.rotate();
          if (e.ensureOpen() !== undefined) {
            e.drop('open_error', countLines(buf.subarray(off)));
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

  /** Writes records to the open descriptor; on failure reports and counts what was dropped. */
  #writeChunk(data: string | Buffer, records: number): void {
    const e = this.#e;
    const err = e.write(data, records);
    if (err === undefined) return;
    this.#o.onError(err);
    // Lines that reached the sink whole before the failure were written, not dropped. A cut line
    // is dropped (its fragment stays behind), and ended by the next write so no record is glued to it.
    e.drop(`write_error:${err.code ?? 'UNKNOWN'}`, records - e.landedLines);
  }
}
