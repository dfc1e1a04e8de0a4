import type { Writable } from 'node:stream';
import type { Formatter } from '../formats/formatter.js';
import type { Destination, DestinationStats, ErrorReporter } from './destination.js';

/**
 * Writes each line to a Writable (`stream.write`) or calls a function with it. A Writable
 * buffers on its own, so `flushSync` cannot force it; `flush()` resolves once every line
 * written so far has been handled by the stream. Stream errors are counted, never rethrown.
 */
export class StreamDestination implements Destination {
  readonly type = 'stream';
  #records = 0;
  #bytes = 0;
  #errors = 0;
  #dropped: Record<string, number> = {};
  #closed = false;
  readonly #onError = (err: NodeJS.ErrnoException) => {
    this.#errors++;
    this.report(this.id, err);
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
        this.#dropped.stream_closed = (this.#dropped.stream_closed ?? 0) + 1;
        return;
      } else t.write(line);
      this.#bytes += line.length;
    } catch (err) {
      this.#dropped.write_error = (this.#dropped.write_error ?? 0) + 1;
      this.#onError(err as NodeJS.ErrnoException);
    }
  }
  flushSync(): void {}
  flush(): Promise<void> {
    const t = this.target;
    if (typeof t === 'function' || t.destroyed || t.writableEnded) return Promise.resolve();
    return new Promise((resolve) => t.write('', () => resolve()));
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (typeof this.target !== 'function') this.target.off('error', this.#onError);
  }
  reopen(): void {}
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
