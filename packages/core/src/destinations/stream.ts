import type { Writable } from 'node:stream';
import { isWritable, show } from '../config/checker.js';
import { HydraLoggerError } from '../errors.js';
import type { ColorTarget } from '../formats/colors.js';
import type { Formatter } from '../formats/formatter.js';
import type { LineSettler, PendingLineFactory } from './context.js';
import type { Destination, DestinationStats, ErrorReporter } from './destination.js';
import { formatterFor } from './formatter-for.js';
import type { DestinationType } from './type.js';

/** The options of `{ type: 'stream' }`. */
export interface StreamOptions {
  stream: Writable | ((line: string) => void);
  /**
   * A Writable: bytes held while it is above its highWaterMark (`write()` returned `false`, no
   * `'drain'` yet); a line past this is dropped, counted as `stream_full` (default 8 MiB).
   */
  maxBufferedBytes?: number;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    stream: StreamOptions;
  }
}

export type { LineSettler, PendingLineFactory } from './context.js';

/** The bounds of a stream destination (defaults in `DEFAULT_LIMITS`, docs/limits.md). */
export interface StreamBounds {
  /** Bytes held while the Writable is above its highWaterMark; past it, new lines are dropped (`stream_full`). */
  maxBufferedBytes: number;
  /** `flush()`/`close()` give up once the Writable has confirmed nothing for this long (ms). */
  stallMs: number;
}

/** A line held while the Writable is above its highWaterMark. */
interface Held {
  line: string;
  bytes: number;
  settle: LineSettler | undefined;
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException | null)?.code ?? 'UNKNOWN';

/**
 * Writes each line to a Writable (one `write` call per line) or calls a function with it.
 *
 * Backpressure: once `write()` returns `false`, nothing more goes to the Writable until it emits
 * `'drain'`; meanwhile lines wait here, up to `maxBufferedBytes`, and a line past that is dropped
 * (`stream_full`). So the memory a slow stream costs is its highWaterMark plus that bound.
 *
 * A Writable buffers on its own, so `flushSync` cannot force it; `flush()` resolves once every
 * line so far has been confirmed by the stream (its write callback ran), or once the stream has
 * confirmed nothing for `stallMs`; `close()` then counts what is left as `stream_timeout`.
 * Stream errors are counted, reported once per code, never rethrown: a line the stream fails to
 * take (its callback gets an error, including lines still queued when it is destroyed) is counted
 * as `write_error:<code>`; after an `'error'` or `'close'`, and once the stream has ended, lines
 * are dropped as `stream_closed`.
 */
export class StreamDestination implements Destination {
  readonly type = 'stream';
  #records = 0;
  #bytes = 0;
  #writes = 0;
  #errors = 0;
  #dropped: Record<string, number> = {};
  #closed = false;
  /** Lines handed to the Writable whose write callback has not run yet. */
  #inFlight = 0;
  /** Write callbacks seen: progress, for the stall bound of `flush()`. */
  #confirmed = 0;
  /** Settlers of the lines in flight (AsyncHydraLogger only), so that `close()` can give them up. */
  readonly #settlers = new Set<LineSettler>();
  /** Lines waiting for `'drain'`, from `#heldHead` on. */
  #held: (Held | undefined)[] = [];
  #heldHead = 0;
  #heldBytes = 0;
  /** `write()` returned false: nothing more goes to the Writable until `'drain'`. */
  #blocked = false;
  /** `'error'` or `'close'` seen, or the stream was ended: it takes nothing more. */
  #dead = false;
  /** An error was reported: a closed stream is not reported again. */
  #reported = false;
  /** `close()` gave up on the lines left: their callbacks, if they ever come, are ignored. */
  #abandoned = false;
  #waiting: (() => void)[] = [];
  #stallTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #onError = (err: NodeJS.ErrnoException) => {
    this.#fail(err);
    // An errored Writable takes no more lines: those it has get their callbacks (with the error),
    // the ones waiting here are dropped.
    this.#die();
  };
  readonly #onClose = () => this.#die();
  readonly #onDrain = () => {
    this.#blocked = false;
    this.#pump();
  };
  /** The write callback of a line (AsyncHydraLogger's lines wrap it, see `#handOver`). */
  readonly #written = (err?: Error | null): void => {
    if (this.#abandoned) return;
    this.#confirmed++;
    if (err) this.#drop(`write_error:${codeOf(err)}`);
    if (--this.#inFlight === 0) this.#wakeIfIdle();
  };

  constructor(
    readonly id: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly target: Writable | ((line: string) => void),
    readonly report: ErrorReporter,
    readonly bounds: StreamBounds,
    readonly pendingLine?: PendingLineFactory,
  ) {
    if (typeof target !== 'function') {
      target.on('error', this.#onError);
      target.on('close', this.#onClose);
      target.on('drain', this.#onDrain);
    }
  }

  write(line: string): void {
    this.#records++;
    const t = this.target;
    if (typeof t === 'function') {
      try {
        t(line);
        this.#writes++;
        this.#bytes += Buffer.byteLength(line);
      } catch (err) {
        const reason = `write_error:${codeOf(err)}`;
        this.#drop(reason);
        this.pendingLine?.(this.id)(reason, err);
        this.#fail(err);
      }
      return;
    }
    const settle = this.pendingLine?.(this.id);
    if (this.#dead || t.destroyed || t.writableEnded) {
      this.#die();
      this.#lose('stream_closed', settle);
      return;
    }
    const bytes = Buffer.byteLength(line);
    if (this.#blocked || this.#heldHead < this.#held.length) {
      if (this.#heldBytes + bytes > this.bounds.maxBufferedBytes) {
        this.#lose('stream_full', settle);
        return;
      }
      this.#held.push({ line, bytes, settle });
      this.#heldBytes += bytes;
      return;
    }
    this.#handOver(t, line, bytes, settle);
  }

  flushSync(): void {}

  flush(): Promise<void> {
    if (typeof this.target === 'function' || this.#idle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#armStallTimer();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const t = this.target;
    if (typeof t === 'function') return;
    await this.flush();
    // A stalled stream: what it has not confirmed, and what still waits here, is given up and counted.
    const left = this.#inFlight + this.#heldCount();
    if (left > 0) {
      this.#abandoned = true;
      this.#dropN('stream_timeout', left);
      this.#inFlight = 0;
      for (const settle of this.#settlers) settle('stream_timeout');
      this.#settlers.clear();
      for (const h of this.#takeHeld()) h.settle?.('stream_timeout');
    }
    t.off('error', this.#onError);
    t.off('close', this.#onClose);
    t.off('drain', this.#onDrain);
  }

  reopen(): void {}

  stats(): DestinationStats {
    return {
      type: this.type,
      records: this.#records,
      pending: this.#inFlight + this.#heldCount(),
      bytesWritten: this.#bytes,
      writes: this.#writes,
      flushes: 0,
      retries: 0,
      errors: this.#errors,
      dropped: { ...this.#dropped },
    };
  }

  /** Writes one line to the Writable; `write() === false` blocks the next ones until `'drain'`. */
  #handOver(t: Writable, line: string, bytes: number, settle: LineSettler | undefined): void {
    let done = this.#written;
    if (settle !== undefined) {
      this.#settlers.add(settle);
      done = (err) => {
        this.#written(err);
        // Absent when close() gave it up already.
        if (this.#settlers.delete(settle)) settle(err ? `write_error:${codeOf(err)}` : undefined, err);
      };
    }
    // Counted before the call: a Writable-like object may call back synchronously.
    this.#inFlight++;
    try {
      if (!t.write(line, done)) this.#blocked = true;
      this.#writes++;
      this.#bytes += bytes;
    } catch (err) {
      // A write that throws never calls back.
      this.#inFlight--;
      const reason = `write_error:${codeOf(err)}`;
      this.#drop(reason);
      if (settle !== undefined && this.#settlers.delete(settle)) settle(reason, err);
      this.#fail(err);
    }
  }

  /** A write that threw, or an `'error'` event: counted, and reported (the logger reports each code once). */
  #fail(err: unknown): void {
    this.#errors++;
    this.#reported = true;
    this.report(this.id, err as NodeJS.ErrnoException);
  }

  /** After `'drain'`: the held lines go to the Writable, oldest first, until it pushes back again. */
  #pump(): void {
    const t = this.target as Writable;
    while (!this.#blocked && !this.#dead && this.#heldHead < this.#held.length) {
      const h = this.#held[this.#heldHead] as Held;
      this.#held[this.#heldHead++] = undefined;
      this.#heldBytes -= h.bytes;
      this.#handOver(t, h.line, h.bytes, h.settle);
    }
    this.#compactHeld();
    this.#wakeIfIdle();
  }

  /** The stream is gone (error, close, ended): what waits here is dropped; waiting flushes resolve once it is idle. */
  #die(): void {
    if (this.#dead && this.#heldCount() === 0) return;
    this.#dead = true;
    this.#blocked = false;
    for (const h of this.#takeHeld()) this.#lose('stream_closed', h.settle);
    this.#wakeIfIdle();
  }

  /** A line dropped before it reached the stream. */
  #lose(reason: string, settle: LineSettler | undefined): void {
    this.#drop(reason);
    settle?.(reason);
    if (reason === 'stream_closed' && !this.#reported) {
      // Reported once, and only when a line is lost: a caller ending its own stream after the logger is not an error.
      this.#reported = true;
      const t = this.target as Writable;
      const code = t.destroyed ? 'ERR_STREAM_DESTROYED' : 'ERR_STREAM_WRITE_AFTER_END';
      this.report(
        this.id,
        Object.assign(new Error(`the stream is closed; its records are dropped (stream_closed)`), { code }),
      );
    }
  }

  #heldCount(): number {
    return this.#held.length - this.#heldHead;
  }

  #takeHeld(): Held[] {
    const out = this.#held.slice(this.#heldHead) as Held[];
    this.#held = [];
    this.#heldHead = 0;
    this.#heldBytes = 0;
    return out;
  }

  /** Keeps the held array from growing forever while lines keep arriving as others leave. */
  #compactHeld(): void {
    if (this.#heldHead === this.#held.length) {
      this.#held = [];
      this.#heldHead = 0;
    } else if (this.#heldHead > 1024 && this.#heldHead * 2 > this.#held.length) {
      this.#held = this.#held.slice(this.#heldHead);
      this.#heldHead = 0;
    }
  }

  #idle(): boolean {
    return this.#inFlight === 0 && this.#heldCount() === 0;
  }

  #wakeIfIdle(): void {
    if (this.#waiting.length === 0 || !this.#idle()) return;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    if (this.#stallTimer !== undefined) clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
    for (const resolve of waiting) resolve();
  }

  /** Resolves the waiting flushes once the stream has confirmed nothing for `stallMs`. */
  #armStallTimer(): void {
    if (this.#stallTimer !== undefined) return;
    const seen = this.#confirmed;
    this.#stallTimer = setTimeout(() => {
      this.#stallTimer = undefined;
      if (this.#waiting.length === 0) return;
      if (this.#confirmed === seen) this.#wake();
      else this.#armStallTimer();
    }, this.bounds.stallMs);
    // Waiting for a stream must not keep the process alive on its own.
    this.#stallTimer.unref?.();
  }

  #drop(reason: string): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + 1;
  }

  #dropN(reason: string, n: number): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + n;
  }
}

/** `{ type: 'stream', stream }`: a Writable (with backpressure bounds), or a function called with each line. */
export const streamType: DestinationType = {
  name: 'stream',
  options: {
    stream: (v, at, c) => {
      if (!(isWritable(v) || typeof v === 'function'))
        c.fail(at, `expected a Writable stream or a function (line) => void, got ${show(v)}`);
    },
    maxBufferedBytes: (v, at, c) => {
      if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v > 0))
        c.fail(
          at,
          `expected a positive integer (bytes held while the stream is above its highWaterMark), got ${show(v)}`,
        );
    },
  },
  elsewhere: {
    // A console's `stream` is checked by the console type; other types ignore the key, as before the registry.
    stream: () => {},
  },
  create(d, ctx, id, minLevel) {
    const target = d.stream as Writable | ((line: string) => void) | string;
    if (typeof target === 'string')
      throw new HydraLoggerError(
        'HYDRA_E_CONFIG_INVALID',
        `${id}: a stream destination needs a Writable or a function`,
      );
    const colorTarget = typeof target === 'function' ? undefined : (target as ColorTarget);
    const colorMode = (d.colorMode as 'auto' | undefined) ?? 'auto';
    const formatter = formatterFor(
      d,
      { format: 'json', target: colorTarget, colorMode, stackLines: true },
      ctx,
    );
    const bounds = {
      maxBufferedBytes: (d.maxBufferedBytes as number | undefined) ?? ctx.limits.streamMaxBufferedBytes,
      stallMs: ctx.limits.streamStallMs,
    };
    return new StreamDestination(id, minLevel, formatter, target, ctx.report, bounds, ctx.pendingLine);
  },
};
