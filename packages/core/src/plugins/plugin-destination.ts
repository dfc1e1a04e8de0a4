import type { Destination, DestinationStats } from '../destinations/destination.js';
import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { PluginHandler } from './types.js';

/** Marks a hook call that threw (already counted and reported by the runner). */
export const FAILED: unique symbol = Symbol('hydra-logger.pluginHookFailed');

/** Runs one plugin's hooks: times them, counts them, and turns a throw into {@link FAILED}. */
export interface HookRunner {
  call<T>(hook: string, fn: () => T): T | typeof FAILED;
  /** Awaits what a hook returned when it is a promise; a rejection is counted like a throw. */
  settle(hook: string, result: unknown): Promise<void>;
}

/**
 * A destination whose lines go to a {@link HandlerPlugin}'s handler. A handler that throws
 * loses that line only: it is counted as `dropped.plugin_error` (and in `pluginErrors`), and the
 * next line is offered again.
 */
export class PluginDestination implements Destination {
  #records = 0;
  #bytes = 0;
  #emits = 0;
  #flushes = 0;
  #errors = 0;
  readonly #dropped: Record<string, number> = {};
  #closed = false;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly handler: PluginHandler,
    /** The plugin (slot) that made the handler: lets the logger refuse to remove a plugin in use. */
    readonly owner: object,
    readonly run: HookRunner,
  ) {}

  write(line: string, record: LogRecord): void {
    this.#records++;
    if (this.#closed) {
      this.#drop('closed');
      return;
    }
    if (this.run.call('emit', () => this.handler.emit(line, record)) === FAILED) {
      this.#errors++;
      this.#drop('plugin_error');
      return;
    }
    this.#emits++;
    this.#bytes += Buffer.byteLength(line);
  }

  /** Calls the handler's `flush` without waiting for it (a synchronous handler is done when it returns). */
  flushSync(): void {
    if (typeof this.handler.flush !== 'function') return;
    const r = this.run.call('flush', () => this.handler.flush?.());
    this.#flushes++;
    if (r !== FAILED) void this.run.settle('flush', r);
  }

  async flush(): Promise<void> {
    if (typeof this.handler.flush !== 'function') return;
    const r = this.run.call('flush', () => this.handler.flush?.());
    this.#flushes++;
    if (r !== FAILED) await this.run.settle('flush', r);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (typeof this.handler.close !== 'function') return;
    const r = this.run.call('close', () => this.handler.close?.());
    if (r !== FAILED) await this.run.settle('close', r);
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
      writes: this.#emits,
      flushes: this.#flushes,
      retries: 0,
      errors: this.#errors,
      dropped: { ...this.#dropped },
    };
  }
}
