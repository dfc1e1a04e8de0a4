import { type LevelInput, parseLevel } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import { snapshotFields } from './context.js';
import { bindClosed, bindMethods, type LayerLogMethod } from './log-methods.js';
import type { LoggerCore } from './logger-core.js';

/**
 * A logger bound to one layer: `logger.layer('AUTH').warn('locked out', { userId: 7 })`.
 * Its methods take `(message, fields?)`. Shares destinations with the logger it came from.
 */
export class LayerLogger {
  declare readonly trace: LayerLogMethod;
  declare readonly debug: LayerLogMethod;
  declare readonly info: LayerLogMethod;
  declare readonly warning: LayerLogMethod;
  declare readonly warn: LayerLogMethod;
  declare readonly error: LayerLogMethod;
  declare readonly critical: LayerLogMethod;
  declare readonly fatal: LayerLogMethod;
  /** The layer name. */
  readonly name: string;
  readonly #core: LoggerCore;
  readonly #bindings: Fields | undefined;
  #detached = false;

  /** @internal Use `logger.layer(name)`. */
  constructor(core: LoggerCore, name: string, bindings: Fields | undefined) {
    this.#core = core;
    this.name = name;
    this.#bindings = bindings;
    core.track(this, LayerLogger.#rebind);
    bindMethods(this, core, name, bindings);
  }

  static #rebind(logger: LayerLogger): void {
    if (!logger.#detached) bindMethods(logger, logger.#core, logger.name, logger.#bindings);
  }

  /** A logger for the same layer whose records also carry `bindings`. */
  child(bindings: Fields): LayerLogger {
    const own = snapshotFields(this.#core, bindings);
    return new LayerLogger(
      this.#core,
      this.name,
      this.#bindings === undefined ? own : { ...this.#bindings, ...own },
    );
  }

  /** Whether a record of `level` in this layer would be written anywhere. */
  isLevelEnabled(level: LevelInput): boolean {
    const n = parseLevel(level);
    return n !== undefined && this.#core.isEnabled(n, this.name);
  }

  /** Detaches this layer logger: its later calls are no-ops (counted, one warning). The parent stays open. */
  close(): void {
    this.#detached = true;
    bindClosed(this, this.#core);
  }
}
