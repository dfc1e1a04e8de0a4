import type { MagicConfigFactory, MagicConfigInfo, MagicConfigName } from '../config/magic.js';
import type { LoggingConfig } from '../config/types.js';
import type { CloseOptions } from '../destinations/destination.js';
import type { MemoryView } from '../destinations/memory.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import type { PerformanceMetrics } from '../metrics/performance.js';
import type { PluginError } from '../plugins/plugin-error.js';
import type { Plugin, PluginInsights } from '../plugins/types.js';
import { type LevelInput, parseLevel } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import type { DataSanitizer } from '../security/data-sanitizer.js';
import { runWithContext, snapshotFields } from './context.js';
import { LayerLogger } from './layer-logger.js';
import { bindClosed, bindMethods, kindMethod, type LogMethod } from './log-methods.js';
import { LoggerCore } from './logger-core.js';
import type { CoreOptions } from './options.js';
import type { DestinationWriteError } from './write-errors.js';

/** Options of `new HydraLogger(options)` / `createLogger(options)`; all optional. */
export interface HydraLoggerOptions extends CoreOptions {}

/** Events a logger emits. */
export interface HydraLoggerEvents {
  /** A destination failed to write (once per destination and error code); the records were dropped and counted. */
  error: (err: DestinationWriteError) => void;
  /**
   * A plugin hook threw or returned something unusable (once per plugin and hook; later ones are
   * counted in `getPerformanceMetrics().pluginErrors`). Without a listener, one stderr line.
   */
  pluginError: (err: PluginError) => void;
}

let childInit: { core: LoggerCore; bindings: Fields | undefined } | undefined;

/**
 * @internal A HydraLogger facade over an existing core (not exported from the package):
 * AsyncHydraLogger (src/async/) forwards the methods it does not redefine to one, so both loggers
 * share one implementation of them. Its `close()` only detaches it, as a child's does.
 */
export function facadeOverCore(core: LoggerCore, bindings: Fields | undefined): HydraLogger {
  childInit = { core, bindings };
  return new HydraLogger();
}

/**
 * The logger. Zero-config (`new HydraLogger()`) writes plain text to stdout at INFO; a config
 * routes named layers to their own destinations and formats. Log calls never throw and never
 * lose a record silently: every drop is counted with a reason in `getPerformanceMetrics()`.
 *
 * @example
 * const logger = new HydraLogger();
 * logger.info('APP', 'Application started');
 * logger.info('Application started', { port: 8080 });
 * logger.layer('AUTH').warn('locked out', { userId: 7 });
 * await logger.close();
 */
export class HydraLogger {
  declare readonly trace: LogMethod;
  declare readonly debug: LogMethod;
  declare readonly info: LogMethod;
  declare readonly warning: LogMethod;
  declare readonly warn: LogMethod;
  declare readonly error: LogMethod;
  declare readonly critical: LogMethod;
  declare readonly fatal: LogMethod;
  /** WARNING to the SECURITY layer (or the layer given); always redacted, written before the call returns. */
  readonly security: LogMethod;
  /**
   * INFO to the AUDIT layer (or the layer given); always redacted, written before the call returns.
   * Records of the AUDIT layer carry `prevHash` and `hash`: a tamper-evident chain that
   * `verifyAuditChain(path)` checks.
   */
  readonly audit: LogMethod;
  /** INFO to the COMPLIANCE layer (or the layer given); always redacted, written before the call returns. */
  readonly compliance: LogMethod;
  readonly #core: LoggerCore;
  readonly #bindings: Fields | undefined;
  readonly #isChild: boolean;
  #detached = false;

  /**
   * @throws ConfigValidationError when `options.config` is invalid (every problem, with its path).
   * @throws EnvironmentError when a `HYDRA_LOG_*` variable holds an invalid value.
   */
  constructor(options: HydraLoggerOptions = {}) {
    const init = childInit;
    childInit = undefined;
    this.#core = init?.core ?? new LoggerCore(options);
    this.#bindings = init?.bindings;
    this.#isChild = init !== undefined;
    this.#core.track(this, HydraLogger.#rebind);
    bindMethods(this, this.#core, undefined, this.#bindings);
    this.security = kindMethod(this.#core, 'security', this.#bindings);
    this.audit = kindMethod(this.#core, 'audit', this.#bindings);
    this.compliance = kindMethod(this.#core, 'compliance', this.#bindings);
  }

  /**
   * The redactor of the current configuration: `logger.sanitizer.addPattern(name, regex, placeholder)`,
   * `addSensitiveKey(key)`, `removePattern(name)` … Changes last until the next `updateConfig`.
   */
  get sanitizer(): DataSanitizer {
    return this.#core.sanitizer;
  }

  /** Registers a named configuration for {@link HydraLogger.forMagic}. Built-ins cannot be replaced. */
  static registerMagic(name: string, factory: MagicConfigFactory, description?: string): void {
    loadExtrasChunk().registerMagic(name, factory, description);
  }

  /** Removes a registered magic config; `false` when there was none. Built-ins cannot be removed. */
  static unregisterMagic(name: string): boolean {
    return loadExtrasChunk().unregisterMagic(name);
  }

  static hasMagicConfig(name: string): boolean {
    return loadExtrasChunk().hasMagicConfig(name);
  }

  /** Every registered magic config, built-ins first. */
  static listMagicConfigs(): MagicConfigInfo[] {
    return loadExtrasChunk().listMagicConfigs();
  }

  /**
   * A logger from a named configuration; `options` may add anything but `config`.
   * @throws HydraLoggerError (`HYDRA_E_MAGIC_CONFIG`) for an unknown name, listing the available names.
   */
  static forMagic(name: MagicConfigName, options: Omit<HydraLoggerOptions, 'config'> = {}): HydraLogger {
    return new HydraLogger({ ...options, config: loadExtrasChunk().magicConfig(name) });
  }

  static forProduction(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('production', options);
  }
  static forDevelopment(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('development', options);
  }
  static forTesting(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('testing', options);
  }
  static forMicroservice(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('microservice', options);
  }
  static forWebApp(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('web_app', options);
  }
  static forApiService(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('api_service', options);
  }
  static forBackgroundWorker(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('background_worker', options);
  }
  static forHighPerformance(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('high_performance', options);
  }
  static forBareMetal(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('bare_metal', options);
  }
  static forMinimal(options?: Omit<HydraLoggerOptions, 'config'>): HydraLogger {
    return HydraLogger.forMagic('minimal', options);
  }

  static #rebind(logger: HydraLogger): void {
    if (!logger.#detached) bindMethods(logger, logger.#core, undefined, logger.#bindings);
  }

  /**
   * Replaces the configuration at runtime (an object or a config file path; environment
   * variables apply as at construction). Levels take effect for this logger, its children and
   * layer loggers; destinations that went away are flushed and closed; no record is lost or
   * written twice. An invalid config throws and leaves the current one in place.
   */
  updateConfig(config: LoggingConfig | string): Promise<void> {
    return this.#core.updateConfig(config);
  }

  /** A logger whose records carry `bindings` (merged over this logger's own). Shares destinations. */
  child(bindings: Fields): HydraLogger {
    const own = snapshotFields(this.#core, bindings);
    childInit = {
      core: this.#core,
      bindings: this.#bindings === undefined ? own : { ...this.#bindings, ...own },
    };
    return new HydraLogger();
  }

  /** A logger bound to one layer, whose methods take `(message, fields?)`. */
  layer(name: string): LayerLogger {
    return new LayerLogger(this.#core, name, this.#bindings);
  }

  /** Runs `fn` with `context` added to every record logged inside it, across awaits. Returns `fn`'s result. */
  runWithContext<T>(context: Fields, fn: () => T): T {
    return runWithContext(this.#core, context, fn);
  }

  /** Whether a record of `level` (in `layer`, or in any layer) would be written anywhere. */
  isLevelEnabled(level: LevelInput, layer?: string): boolean {
    const n = parseLevel(level);
    return n !== undefined && this.#core.isEnabled(n, layer);
  }

  /** Writes everything buffered; resolves when streams have taken it. */
  flush(): Promise<void> {
    return this.#core.flush();
  }

  /** Writes everything buffered before returning (files and console; a Writable stream buffers on its own). */
  flushSync(): void {
    this.#core.flushSync();
  }

  /**
   * Flushes and closes every destination. Idempotent: later calls return the same promise.
   * A log call after close is a no-op that warns once and is counted as dropped (`closed`).
   * On a child logger, only detaches the child; the parent stays open.
   * `timeoutMs`: how long network destinations keep delivering (default 5 s) before they count what
   * is left as dropped (`closed`) and report it (docs/destinations.md).
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#isChild) {
      this.#detached = true;
      bindClosed(this, this.#core);
      return Promise.resolve();
    }
    return this.#core.close(options);
  }

  /** `await using logger = new HydraLogger()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Closes and reopens every file on its next write (after logrotate moved it away). */
  reopen(): void {
    this.#core.reopen();
  }

  /**
   * Adds a plugin instance under `name` (docs/plugins.md): its hooks run for every record of this
   * logger and its children, after the config's plugins, until `removePlugin`; `updateConfig`
   * keeps it. Its formats and destination types are usable by the next `updateConfig`.
   * @throws PluginError (`HYDRA_E_PLUGIN_INVALID`, `HYDRA_E_PLUGIN_INIT`) when it is not a usable plugin or its `init` throws.
   */
  addPlugin(name: string, plugin: Plugin): this {
    this.#core.plugins.add(name, plugin);
    return this;
  }

  /**
   * Removes a plugin (added or from config) and calls its `close()`; `false` when there is none.
   * @throws PluginError (`HYDRA_E_PLUGIN_INVALID`) for a formatter or handler plugin the current configuration uses.
   */
  removePlugin(name: string): boolean {
    return this.#core.plugins.remove(name);
  }

  /** Per plugin: type, hook calls, errors, drops, time spent (total, mean, max, slow calls) and its own `getInsights()`. */
  getPluginInsights(): Record<string, PluginInsights> {
    return this.#core.plugins.insights();
  }

  /** Counters: records by level and layer, drops by reason, bytes, writes, flushes, errors, per destination. */
  getPerformanceMetrics(): PerformanceMetrics {
    return this.#core.metrics();
  }

  /** The lines and records held by a `memory` destination (the first one, or the one named `name`). */
  memory(name?: string): MemoryView | undefined {
    return this.#core.memory(name);
  }

  on<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#core.events.on(event, listener);
    return this;
  }

  once<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#core.events.once(event, listener);
    return this;
  }

  off<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#core.events.off(event, listener);
    return this;
  }
}

/** `createLogger(options)` is `new HydraLogger(options)`. */
export function createLogger(options: HydraLoggerOptions = {}): HydraLogger {
  return new HydraLogger(options);
}
