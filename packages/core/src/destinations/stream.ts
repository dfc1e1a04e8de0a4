import type { Writable } from 'node:stream';
import type { Formatter } from '../formats/formatter.js';
import type { Destination, DestinationStats, ErrorReporter } from './destination.js';

/**
 * Writes each line to a Writable (`stream.write`) or calls a function with it. A Writable
 * buffers on its own, so `flushSync` cannot force it; `flush()` resolves once every line
 * written so far has been handled by the stream. Stream errors are counted, never rethrown:
 * every line the stream fails to take (its write callback gets an error, including the lines
 * still queued when it is destroyed) is counted as dropped.
 */
export class StreamDestination implements Destination {
  readonly type = 'stream';
  #records = 0;
  #bytes = 0;
  #errors = 0;
  #dropped: Record<string, number> = {};
  #closed = false;
  /** Lines handed to the Writable whose write callback has not run yet. */
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  readonly #onError = (err: NodeJS.ErrnoException) => {
    this.#errors++;
    this.report(this.id, err);
  };
  /** The write callback: counts a line the stream failed to take (reported once by `#onError`). */
  readonly #written = (err?: NodeJS.ErrnoException | null): void => {
    if (err) this.#drop(`write_error:${err.code ?? 'UNKNOWN'}`);
    if (--this.#inFlight === 0 && this.#waiting.length > 0) {
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const resolve of waiting) resolve();
    }
  };

  constructor(
    readonly id: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly target: Writable | ((line: string) => void),
    readonly report: ErrorReporter,
  ) {
    if (typeof target !== 'function') target.on('error', this.#onError);
  }

  write(line: string): void {
    this.#records++;
    const t = this.target;
    try {
      if (typeof t === 'function') t(line);
      else if (t.destroyed || t.writableEnded) {
        this.#drop('stream_closed');
        return;
      } else {
        t.write(line, this.#written);
        // Counted after the call: Node never calls back synchronously, and a write that throws never calls back.
        this.#inFlight++;
      }
      this.#bytes += Buffer.byteLength(line);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.#drop(`write_error:${e?.code ?? 'UNKNOWN'}`);
      this.#onError(e);
    }
  }
  flushSync(): void {}
  flush(): Promise<void> {
    const t = this.target;
    if (typeof t === 'function' || this.#inFlight === 0 || t.destroyed || t.writableEnded)
      return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (typeof this.target !== 'function') this.target.off('error', this.#onError);
  }
  reopen(): void {}
  #drop(reason: string): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + 1;
  }
  stats(): DestinationStats {
    return {
      type: this.type,
      records: this.#records,
      pending: 0,
      bytesWritten: this.#bytes,
      writes: this.#records,
      flushes: 0,
      retries: 0,
      errors: this.#errors,
      dropped: { ...this.#dropped },
    };
  }
}
