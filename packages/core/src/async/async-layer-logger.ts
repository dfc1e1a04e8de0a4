import { snapshotFields } from '../logger/context.js';
import type { LoggerCore } from '../logger/logger-core.js';
import { type LevelInput, parseLevel } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import { type AsyncLayerLogMethod, bindAsyncClosed, bindAsyncMethods } from './async-methods.js';
import type { AsyncLogQueue } from './queue.js';

/**
 * `asyncLogger.layer('AUTH')`: LayerLogger's surface, with methods returning the record's promise.
 * Shares destinations and queue with the logger it came from.
 */
export class AsyncLayerLogger {
  declare readonly trace: AsyncLayerLogMethod;
  declare readonly debug: AsyncLayerLogMethod;
  declare readonly info: AsyncLayerLogMethod;
  declare readonly warning: AsyncLayerLogMethod;
  declare readonly warn: AsyncLayerLogMethod;
  declare readonly error: AsyncLayerLogMethod;
  declare readonly critical: AsyncLayerLogMethod;
  declare readonly fatal: AsyncLayerLogMethod;
  /** The layer name. */
  readonly name: string;
  readonly #core: LoggerCore;
  readonly #queue: AsyncLogQueue;
  readonly #bindings: Fields | undefined;
  #detached = false;

  /** @internal Use `asyncLogger.layer(name)`. */
  constructor(core: LoggerCore, queue: AsyncLogQueue, name: string, bindings: Fields | undefined) {
    this.#core = core;
    this.#queue = queue;
    this.name = name;
    this.#bindings = bindings;
    core.track(this, AsyncLayerLogger.#rebind);
    bindAsyncMethods(this, core, queue, name, bindings);
  }

  static #rebind(logger: AsyncLayerLogger): void {
    if (!logger.#detached)
      bindAsyncMethods(logger, logger.#core, logger.#queue, logger.name, logger.#bindings);
  }

  /** A logger for the same layer whose records also carry `bindings`. */
  child(bindings: Fields): AsyncLayerLogger {
    const own = snapshotFields(this.#core, bindings);
    return new AsyncLayerLogger(
      this.#core,
      this.#queue,
      this.name,
      this.#bindings === undefined ? own : { ...this.#bindings, ...own },
    );
  }

  isLevelEnabled(level: LevelInput): boolean {
    const n = parseLevel(level);
    return n !== undefined && this.#core.isEnabled(n, this.name);
  }

  /** Detaches this layer logger: its later calls resolve at once (counted, one warning). The parent stays open. */
  close(): void {
    this.#detached = true;
    bindAsyncClosed(this, this.#core);
  }
}
