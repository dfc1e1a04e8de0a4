import type { MagicConfigFactory, MagicConfigInfo, MagicConfigName } from '../config/magic.js';
import type { LoggingConfig } from '../config/types.js';
import type { CloseOptions } from '../destinations/destination.js';
import type { MemoryView } from '../destinations/memory.js';
import type { PendingLineFactory } from '../destinations/stream.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import { snapshotFields } from '../logger/context.js';
import { facadeOverCore, HydraLogger, type HydraLoggerEvents } from '../logger/hydra-logger.js';
import { type CoreOptions, LoggerCore, type PerformanceMetrics } from '../logger/logger-core.js';
import type { Plugin, PluginInsights } from '../plugins/types.js';
import type { LevelInput } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import type { DataSanitizer } from '../security/data-sanitizer.js';
import { AsyncLayerLogger } from './async-layer-logger.js';
import { type AsyncLogMethod, asyncKindMethod, bindAsyncClosed, bindAsyncMethods } from './async-methods.js';
import {
  type AsyncLogQueue,
  type AsyncQueueClass,
  MultiFallbackAsyncQueue,
  type QueueOptions,
  type QueuePerformanceMetrics,
} from './queue.js';
import { RESOLVED, RecordDroppedError } from './ticket.js';

/** Options of `new AsyncHydraLogger(options)`: HydraLogger's, plus the queue's (docs/async.md). */
export interface AsyncHydraLoggerOptions extends CoreOptions, QueueOptions {
  /** The queue class (default {@link MultiFallbackAsyncQueue}); it gets the queue options. */
  queueClass?: AsyncQueueClass;
}

const QUEUE_KEYS = [
  'primaryStrategy',
  'fallbackStrategies',
  'capacity',
  'maxQueueBytes',
  'policy',
  'maxBatchBytes',
  'latencyThresholdMs',
  'probeIntervalMs',
  'maxProbeIntervalMs',
  'recoverAfter',
  'memoryCapacity',
  'maxHoldMs',
  'journalDir',
  'journalMaxBytes',
  'inFlightWaitMs',
] as const satisfies readonly (keyof QueueOptions)[];

function queueOptionsOf(options: AsyncHydraLoggerOptions): QueueOptions {
  const out: Record<string, unknown> = {};
  for (const k of QUEUE_KEYS) if (options[k] !== undefined) out[k] = options[k];
  return out as QueueOptions;
}

/**
 * Stream destinations write their lines themselves (not through a lane): each line they take adds
 * to the log call's ticket, settled by the stream's write callback (destinations/stream.ts).
 */
function pendingLinesOf(queue: MultiFallbackAsyncQueue): PendingLineFactory {
  return (destination) => {
    const ticket = queue.ticket();
    ticket.remaining++;
    return (reason, cause) =>
      ticket.settle(reason === undefined ? undefined : new RecordDroppedError(destination, reason, cause));
  };
}

let childInit: { core: LoggerCore; queue: AsyncLogQueue; bindings: Fields } | undefined;
let innerOf: (logger: AsyncHydraLogger) => HydraLogger;

type MagicOptions = Omit<AsyncHydraLoggerOptions, 'config'>;

/**
 * The logger of HydraLogger, whose log methods return a promise that resolves once the record is
 * written (write(2) done; after `fsync` with a destination's `fsync: true`). Same layers, formats,
 * destinations, config, magic configs, security, plugins and metrics: it runs the same pipeline,
 * and only the last step differs: console and file lines go through a {@link MultiFallbackAsyncQueue}
 * (records of one tick share one write; strategies fall back when a write fails). ERROR, CRITICAL
 * and security/audit/compliance records are written before the call returns. See docs/async.md.
 *
 * @example
 * const logger = new AsyncHydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: 'app.log' }] } } } });
 * await logger.info('order placed', { orderId: 7 }); // on disk now
 * await logger.close();
 */
export class AsyncHydraLogger {
  declare readonly trace: AsyncLogMethod;
  declare readonly debug: AsyncLogMethod;
  declare readonly info: AsyncLogMethod;
  declare readonly warning: AsyncLogMethod;
  declare readonly warn: AsyncLogMethod;
  declare readonly error: AsyncLogMethod;
  declare readonly critical: AsyncLogMethod;
  declare readonly fatal: AsyncLogMethod;
  /** WARNING to the SECURITY layer (or the layer given); redacted, written before the call returns. */
  readonly security: AsyncLogMethod;
  /** INFO to the AUDIT layer (or the layer given); redacted, hash-chained, written before the call returns. */
  readonly audit: AsyncLogMethod;
  /** INFO to the COMPLIANCE layer (or the layer given); redacted, written before the call returns. */
  readonly compliance: AsyncLogMethod;
  readonly #core: LoggerCore;
  readonly #queue: AsyncLogQueue;
  readonly #bindings: Fields | undefined;
  readonly #isChild: boolean;
  /** A HydraLogger facade over the same core: the methods both loggers share are its. */
  readonly #inner: HydraLogger;
  #detached = false;
  #closing: Promise<void> | undefined;

  static {
    innerOf = (logger) => logger.#inner;
  }

  /**
   * @throws ConfigValidationError when `options.config` or a queue option is invalid.
   * @throws EnvironmentError when a `HYDRA_LOG_*` variable holds an invalid value.
   */
  constructor(options: AsyncHydraLoggerOptions = {}) {
    const init = childInit;
    childInit = undefined;
    if (init !== undefined) {
      this.#core = init.core;
      this.#queue = init.queue;
      this.#bindings = init.bindings;
    } else {
      const Queue = options.queueClass ?? MultiFallbackAsyncQueue;
      const queue = new Queue(queueOptionsOf(options));
      this.#queue = queue;
      this.#core = new LoggerCore(options, {
        queueWriter: (spec) => queue.lane(spec),
        ...(queue instanceof MultiFallbackAsyncQueue && { pendingLine: pendingLinesOf(queue) }),
      });
      // A previous run's journal is written before anything this logger logs.
      queue.start();
    }
    this.#isChild = init !== undefined;
    this.#inner = facadeOverCore(this.#core, this.#bindings);
    this.#core.track(this, AsyncHydraLogger.#rebind);
    bindAsyncMethods(this, this.#core, this.#queue, undefined, this.#bindings);
    this.security = asyncKindMethod(this.#core, this.#queue, 'security', this.#bindings);
    this.audit = asyncKindMethod(this.#core, this.#queue, 'audit', this.#bindings);
    this.compliance = asyncKindMethod(this.#core, this.#queue, 'compliance', this.#bindings);
  }

  static #rebind(logger: AsyncHydraLogger): void {
    if (!logger.#detached) bindAsyncMethods(logger, logger.#core, logger.#queue, undefined, logger.#bindings);
  }

  // ——— magic configs (the registry is HydraLogger's) ———

  static registerMagic(name: string, factory: MagicConfigFactory, description?: string): void {
    loadExtrasChunk().registerMagic(name, factory, description);
  }
  static unregisterMagic(name: string): boolean {
    return loadExtrasChunk().unregisterMagic(name);
  }
  static hasMagicConfig(name: string): boolean {
    return loadExtrasChunk().hasMagicConfig(name);
  }
  static listMagicConfigs(): MagicConfigInfo[] {
    return loadExtrasChunk().listMagicConfigs();
  }
  /** @throws HydraLoggerError (`HYDRA_E_MAGIC_CONFIG`) for an unknown name. */
  static forMagic(name: MagicConfigName, options: MagicOptions = {}): AsyncHydraLogger {
    return new AsyncHydraLogger({ ...options, config: loadExtrasChunk().magicConfig(name) });
  }
  static forProduction(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('production', options);
  }
  static forDevelopment(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('development', options);
  }
  static forTesting(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('testing', options);
  }
  static forMicroservice(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('microservice', options);
  }
  static forWebApp(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('web_app', options);
  }
  static forApiService(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('api_service', options);
  }
  static forBackgroundWorker(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('background_worker', options);
  }
  static forHighPerformance(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('high_performance', options);
  }
  static forBareMetal(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('bare_metal', options);
  }
  static forMinimal(options?: MagicOptions): AsyncHydraLogger {
    return AsyncHydraLogger.forMagic('minimal', options);
  }

  // ——— what differs from HydraLogger ———

  /**
   * Resolves at once: the logger is ready when constructed (a previous run's journal is replayed by
   * the constructor, before any new line). Kept for code that calls `await logger.initialize()`.
   */
  initialize(): Promise<void> {
    return RESOLVED;
  }

  /** A logger whose records carry `bindings` (merged over this logger's own). Shares destinations and queue. */
  child(bindings: Fields): AsyncHydraLogger {
    const own = snapshotFields(this.#core, bindings);
    childInit = {
      core: this.#core,
      queue: this.#queue,
      bindings: this.#bindings === undefined ? own : { ...this.#bindings, ...own },
    };
    return new AsyncHydraLogger();
  }

  /** A logger bound to one layer, whose methods take `(message, fields?)` and return the record's promise. */
  layer(name: string): AsyncLayerLogger {
    return new AsyncLayerLogger(this.#core, this.#queue, name, this.#bindings);
  }

  /** Resolves once every record logged so far is written (or held by the `memory` strategy). */
  flush(): Promise<void> {
    return this.#core.flush();
  }

  /** Writes every record logged so far before returning (waiting for a write in flight). */
  flushSync(): void {
    this.#core.flushSync();
  }

  /**
   * Drains the queue (every pending promise settles), writes or journals what the `memory` strategy
   * holds, and closes every destination. Idempotent: later calls return the same promise. A log call
   * after it resolves at once, is counted as dropped (`closed`) and warns once. On a child, only detaches it.
   * `timeoutMs`: how long network destinations keep delivering (default 5 s; docs/destinations.md).
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#isChild) {
      this.#detached = true;
      bindAsyncClosed(this, this.#core);
      return RESOLVED;
    }
    this.#closing ??= this.#core.close(options).then(() => this.#queue.close());
    return this.#closing;
  }

  /** `await using logger = new AsyncHydraLogger()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The queue's figures: strategy, success rate, latency, depth, drops, health, per strategy and per destination. */
  getQueuePerformanceMetrics(): QueuePerformanceMetrics {
    return this.#queue.metrics();
  }

  on<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#inner.on(event, listener);
    return this;
  }

  once<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#inner.once(event, listener);
    return this;
  }

  off<E extends keyof HydraLoggerEvents>(event: E, listener: HydraLoggerEvents[E]): this {
    this.#inner.off(event, listener);
    return this;
  }

  // ——— shared with HydraLogger (its implementation, over the same core) ———

  /** See {@link HydraLogger.sanitizer}. */
  get sanitizer(): DataSanitizer {
    return this.#inner.sanitizer;
  }

  /** See {@link HydraLogger.updateConfig}: levels rebind for this logger, its children and layer loggers. */
  updateConfig(config: LoggingConfig | string): Promise<void> {
    return this.#inner.updateConfig(config);
  }

  runWithContext<T>(context: Fields, fn: () => T): T {
    return this.#inner.runWithContext(context, fn);
  }

  isLevelEnabled(level: LevelInput, layer?: string): boolean {
    return this.#inner.isLevelEnabled(level, layer);
  }

  reopen(): void {
    this.#inner.reopen();
  }

  addPlugin(name: string, plugin: Plugin): this {
    this.#inner.addPlugin(name, plugin);
    return this;
  }

  removePlugin(name: string): boolean {
    return this.#inner.removePlugin(name);
  }

  getPluginInsights(): Record<string, PluginInsights> {
    return this.#inner.getPluginInsights();
  }

  /** HydraLogger's figures; console and file destinations report what their queue lanes wrote and dropped. */
  getPerformanceMetrics(): PerformanceMetrics {
    return this.#inner.getPerformanceMetrics();
  }

  memory(name?: string): MemoryView | undefined {
    return this.#inner.memory(name);
  }
}

// Any other method HydraLogger has (or gains) works here too, on the same core: forwarded to the
// inner facade (a method returning that facade returns this logger). test/parity checks the surfaces match.
for (const name of Object.getOwnPropertyNames(HydraLogger.prototype)) {
  if (name === 'constructor' || Object.hasOwn(AsyncHydraLogger.prototype, name)) continue;
  const d = Object.getOwnPropertyDescriptor(HydraLogger.prototype, name) as PropertyDescriptor;
  if (typeof d.value === 'function') {
    const fn = d.value as (...args: unknown[]) => unknown;
    Object.defineProperty(AsyncHydraLogger.prototype, name, {
      configurable: true,
      writable: true,
      value(this: AsyncHydraLogger, ...args: unknown[]) {
        const inner = innerOf(this);
        const r = fn.apply(inner, args);
        return r === inner ? this : r;
      },
    });
  } else if (d.get !== undefined) {
    const get = d.get;
    Object.defineProperty(AsyncHydraLogger.prototype, name, {
      configurable: true,
      get(this: AsyncHydraLogger) {
        return get.call(innerOf(this));
      },
    });
  }
}
