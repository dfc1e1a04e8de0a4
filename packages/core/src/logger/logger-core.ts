import { constructorConfig, resolveConfig } from '../config/resolve.js';
import type { LoggingConfig } from '../config/types.js';
import type { CloseOptions } from '../destinations/destination.js';
import type { QueueWriterFactory } from '../destinations/fd-destination.js';
import type { DestinationContext } from '../destinations/index.js';
import type { MemoryView } from '../destinations/memory.js';
import { MemoryDestination } from '../destinations/memory.js';
import type { PendingLineFactory } from '../destinations/stream.js';
import { AsyncLocalStorage, EventEmitter } from '../internal/builtins.js';
import { DEFAULT_LIMITS, type Limits } from '../internal/limits.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import { LogCounters } from '../metrics/counters.js';
import type { ErrorTracker } from '../metrics/error-tracker.js';
import { LatencyHistogram } from '../metrics/latency.js';
import {
  addRedactionStats,
  destinationFigures,
  emptyRedactionStats,
  type PerformanceMetrics,
  sumTruncations,
  throughputOf,
} from '../metrics/performance.js';
import { compilePipeline, DEFAULT_LAYER, type Pipeline } from '../pipeline/compile.js';
import { dispatch } from '../pipeline/dispatch.js';
import { type Processor, runProcessors } from '../pipeline/processor.js';
import { buildProcessors, createAuditChain, type ProcessorChain } from '../pipeline/processors.js';
import { PluginHost } from '../plugins/plugin-host.js';
import { captureCaller } from '../record/caller.js';
import { LEVELS, levelName } from '../record/levels.js';
import { Normalizer } from '../record/normalize.js';
import { otelTraceFields } from '../record/otel-trace.js';
import type { Fields, LogRecord, RecordKind, SerializedError } from '../record/record.js';
import type { AuditChainProcessor } from '../security/audit-chain.js';
import type { DataSanitizer } from '../security/data-sanitizer.js';
import { nodeFs } from '../writers/fs-port.js';
import type { CoreOptions } from './options.js';
import { WriteErrorReporter } from './write-errors.js';

export type { PerformanceMetrics } from '../metrics/performance.js';
export type { CoreOptions } from './options.js';
export { DestinationWriteError } from './write-errors.js';

const noopStore = new AsyncLocalStorage<Fields>();

/**
 * The state every facade of one logger shares (the root, its children, its layer loggers):
 * the compiled pipeline, counters, context storage and lifecycle. Facades only parse arguments.
 */
export class LoggerCore {
  pipeline: Pipeline;
  readonly counters = new LogCounters();
  readonly normalizer: Normalizer;
  readonly events = new EventEmitter();
  readonly context = noopStore;
  contextUsed = false;
  readonly includeCaller: boolean;
  closed = false;
  /** Steps between record and destinations, in order (redaction, threat tagging, plugins). */
  processors: readonly Processor[] = [];
  /** Processor calls that threw (the record went on without that step). */
  processorErrors = 0;
  /** The logger's plugins: the `plugins` processor stage, plugin formats and destination types. */
  readonly plugins: PluginHost;
  #steps: ProcessorChain;
  // Date.now(), not performance.now(): the `performance` global loads perf_hooks (~1 ms of every startup).
  readonly #createdAt = Date.now();
  /** Present only with `enablePerformanceMonitoring`: a disabled monitor costs one comparison per record. */
  readonly #latency: LatencyHistogram | undefined;
  readonly #audit: AuditChainProcessor;
  /** Counters of the sanitizers and threat processors of configurations replaced by updateConfig. */
  readonly #retired = { redaction: emptyRedactionStats(), securityEvents: 0, blocked: 0 };
  readonly #env: NodeJS.ProcessEnv;
  readonly #limits: Limits;
  /** The constructor's formatting options: top-level config keys at constructor precedence. */
  readonly #constructorConfig: LoggingConfig;
  readonly #buildContext: Omit<DestinationContext, 'id' | 'layerLevel' | 'formatters'>;
  /** Facades (the root, children, layer loggers) to rebind when the pipeline changes; weakly held. */
  readonly #facades = new Set<WeakRef<object>>();
  readonly #forget = new FinalizationRegistry<WeakRef<object>>((ref) => this.#facades.delete(ref));
  readonly #rebind = new WeakMap<object, () => void>();
  #closing: Promise<void> | undefined;
  #warnedClosed = false;
  readonly #errors = new WriteErrorReporter(this.events, () => this.errorTracker);
  /** Where this logger's own failures and crashes are tracked (`undefined`: the module-level tracker). */
  readonly errorTracker: ErrorTracker | undefined;
  /** Removes the process hooks of `captureUncaught` / `handleSignals` (process-hooks.ts). */
  readonly #unhook: (() => void) | undefined;

  /**
   * `queueWriter`: AsyncHydraLogger's queue writes console and file destinations (src/async/);
   * `pendingLine`: its calls' promises wait for their stream destinations' write callbacks.
   */
  constructor(
    options: CoreOptions,
    internal: { queueWriter?: QueueWriterFactory; pendingLine?: PendingLineFactory } = {},
  ) {
    const env = options.env ?? process.env;
    const mode =
      options.bareMetalMode === true ? 'bare' : options.highPerformanceMode === true ? 'fast' : undefined;
    // The modes keep the default 64 KiB batch: 256 KiB measured slower (bench text-file and
    // json-file, 0.88–0.96× the defaults) and took 20 MiB more memory.
    const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.normalizer = new Normalizer(limits);
    this.includeCaller = options.includeCaller === true && mode === undefined;
    this.context = new AsyncLocalStorage<Fields>();
    this.#env = env;
    this.plugins = new PluginHost({
      normalizer: this.normalizer,
      drop: (reason) => this.counters.drop(reason),
      metrics: () => this.metrics(),
      log: (level, layer, message, fields) => this.log(level, layer, message, fields, undefined, this.log),
      emit: (err) => this.events.listenerCount('pluginError') > 0 && this.events.emit('pluginError', err),
      track: (plugin, hook, error) =>
        loadExtrasChunk().trackPluginError(this.errorTracker, plugin, hook, error),
      destinations: () => this.pipeline.destinations,
      ready: () => this.pipeline !== undefined,
    });
    this.#buildContext = {
      limits,
      fs: options.fs ?? nodeFs,
      env,
      report: (id, err) => this.reportWriteError(id, err),
      plugins: this.plugins,
      ...(internal.queueWriter !== undefined && { queueWriter: internal.queueWriter }),
      ...(internal.pendingLine !== undefined && { pendingLine: internal.pendingLine }),
    };
    this.#latency =
      options.enablePerformanceMonitoring === true && mode === undefined ? new LatencyHistogram() : undefined;
    this.#constructorConfig = constructorConfig(options, mode);
    this.#limits = limits;
    const cfg = this.plugins.resolveConfig(() => resolveConfig(options.config, env, this.#constructorConfig));
    this.#audit = createAuditChain(cfg, options.auditKey ?? (env.HYDRA_LOG_AUDIT_KEY || undefined));
    this.#steps = buildProcessors(cfg, limits, env, this.#audit, this.plugins.stage);
    this.processors = this.#steps.processors;
    this.pipeline = this.plugins.compile(() => compilePipeline(cfg, this.#buildContext));
    this.errorTracker = options.errorTracker;
    // Crash and signal hooks are in the extras chunk: loaded only when asked for.
    this.#unhook =
      options.captureUncaught === undefined && options.handleSignals === undefined
        ? undefined
        : loadExtrasChunk().installProcessHooks(this, options);
  }

  /** Registers a facade whose methods depend on the pipeline; `rebind` must not hold the facade strongly. */
  track<T extends object>(facade: T, rebind: (facade: T) => void): void {
    const ref = new WeakRef(facade);
    this.#facades.add(ref);
    this.#forget.register(facade, ref, facade);
    this.#rebind.set(facade, () => rebind(facade));
  }

  /**
   * Compiles `config` (same precedence as the constructor) and swaps it in: every facade gets
   * methods for the new levels, and the old destinations are flushed and closed. Nothing logged
   * before the swap is lost (flushed to the old destinations); nothing after it goes to them.
   * On an invalid config, throws and keeps the current pipeline.
   */
  async updateConfig(config: LoggingConfig | string): Promise<void> {
    if (this.closed) return;
    const cfg = this.plugins.resolveConfig(() => resolveConfig(config, this.#env, this.#constructorConfig));
    const next = this.plugins.compile(() => compilePipeline(cfg, this.#buildContext));
    const security = buildProcessors(cfg, this.#limits, this.#env, this.#audit, this.plugins.stage);
    const old = this.pipeline;
    addRedactionStats(this.#retired.redaction, this.#steps.sanitizer.stats());
    this.#retired.securityEvents += this.#steps.threats?.stats().flagged ?? 0;
    this.#retired.blocked += this.#steps.threats?.stats().blocked ?? 0;
    this.#steps = security;
    this.processors = security.processors;
    this.pipeline = next;
    for (const ref of this.#facades) {
      const f = ref.deref();
      if (f !== undefined) this.#rebind.get(f)?.();
    }
    for (const d of old.destinations) d.flushSync();
    await Promise.all(old.destinations.map((d) => d.close()));
    await this.plugins.closeRetired();
  }

  /** The hot path: parse nothing here (facades did), build one record, dispatch it. Never throws. */
  log(
    level: number,
    layer: string,
    message: unknown,
    fields: unknown,
    bindings: Fields | undefined,
    skip: Function,
    kind?: RecordKind,
  ): void {
    if (this.closed) {
      this.logAfterClose();
      return;
    }
    const route = this.pipeline.routes.get(layer) ?? this.pipeline.defaultRoute;
    // security(), audit() and compliance() records are never filtered out by levels.
    if (level < route.minLevel && kind === undefined) return;
    const t0 = this.#latency === undefined ? 0 : performance.now();
    const pt = this.plugins.sampling ? this.plugins.start() : 0;
    try {
      let f: Fields | undefined;
      let error: SerializedError | undefined;
      let msg: string;
      if (typeof message === 'string') msg = this.normalizer.string(message);
      else if (typeof message === 'object' && message !== null) {
        const kind = this.normalizer.kind(message);
        if (kind === 'error') {
          error = this.normalizer.error(message as Error);
          msg = error.message;
          f = { err: error };
        } else {
          // An object where the message goes (JavaScript callers): its keys become fields, so
          // redaction sees them as keys instead of as text.
          msg = '';
          f = this.normalizer.fields(kind === 'object' ? (message as Fields) : { value: message });
        }
      } else msg = message === undefined ? '' : String(message);
      if (fields !== undefined && fields !== null) {
        // Arrays, primitives and objects that cannot be inspected (a revoked Proxy) are wrapped:
        // fields are always an object (one JSON object per line).
        const kind = typeof fields === 'object' ? this.normalizer.kind(fields) : 'hostile';
        const raw: Fields =
          kind === 'object' ? (fields as Fields) : kind === 'error' ? { err: fields } : { value: fields };
        const n = this.normalizer.fields(raw);
        if (n !== raw && error === undefined) error = this.#firstError(n);
        f = f === undefined ? n : { ...f, ...n };
      }
      let context: Fields | undefined;
      if (this.contextUsed) context = this.context.getStore();
      // trace_id, span_id, trace_flags of the active OpenTelemetry span (one property read without it).
      const trace: Fields | undefined = otelTraceFields();
      if (bindings !== undefined || context !== undefined || trace !== undefined)
        f = mergeFields(bindings, context, trace, f);
      const record: LogRecord = {
        time: Date.now(),
        level,
        levelName: levelName(level),
        layer,
        message: msg,
        fields: f,
        bindings,
        context,
        error,
        caller: this.includeCaller ? captureCaller(skip) : undefined,
      };
      if (kind !== undefined) record.kind = kind;
      const out = this.processors.length === 0 ? record : this.#process(record);
      // Counted under the layer as written (redaction may have changed a layer name holding a secret).
      this.counters.count(level, out === undefined ? layer : out.layer);
      // security(), audit() and compliance() records are written before the call returns, like errors.
      if (out !== undefined)
        dispatch(route, out, level >= LEVELS.ERROR || kind !== undefined, kind !== undefined);
      if (pt !== 0) this.plugins.timed(out, pt);
      if (this.#latency !== undefined) this.#latency.record((performance.now() - t0) * 1000);
    } catch (err) {
      this.counters.drop('internal_error');
      this.reportWriteError('(pipeline)', err as NodeJS.ErrnoException);
    }
  }

  #process(record: LogRecord): LogRecord | undefined {
    return runProcessors(
      this.processors,
      record,
      (p, err) => {
        this.processorErrors++;
        this.reportWriteError(`(processor ${p.name})`, err as NodeJS.ErrnoException);
      },
      // The plugin stage counts its own drops, by plugin (`plugin:<name>`).
      (p) => p !== this.plugins.stage && this.counters.drop(`processor:${p.name}`),
    );
  }

  /** The first top-level field that was an Error (serialized), for GELF's full_message and plugins. */
  #firstError(fields: Fields): SerializedError | undefined {
    for (const k in fields) {
      const v = fields[k];
      if (this.normalizer.isSerializedError(v)) return v;
    }
    return undefined;
  }

  /** Lowest level a facade bound to `layer` (or to every layer) can let through. */
  minLevel(layer: string | undefined): number {
    if (layer === undefined) return this.pipeline.minLevel;
    return (this.pipeline.routes.get(layer) ?? this.pipeline.defaultRoute).minLevel;
  }

  isEnabled(level: number, layer: string | undefined): boolean {
    return !this.closed && level >= this.minLevel(layer);
  }

  flushSync(): void {
    for (const d of this.pipeline.destinations) d.flushSync();
  }

  async flush(): Promise<void> {
    await Promise.all(this.pipeline.destinations.map((d) => d.flush()));
  }

  close(options?: CloseOptions): Promise<void> {
    if (this.#closing === undefined) {
      this.closed = true;
      this.#unhook?.();
      // Plugins close after the destinations (their handlers flush first).
      this.#closing = Promise.all(this.pipeline.destinations.map((d) => d.close(options))).then(() =>
        this.plugins.close(),
      );
    }
    return this.#closing;
  }

  reopen(): void {
    for (const d of this.pipeline.destinations) d.reopen();
  }

  memory(name: string | undefined): MemoryView | undefined {
    for (const d of this.pipeline.destinations)
      if (d instanceof MemoryDestination && (name === undefined || d.id === name)) return d;
    return undefined;
  }

  /** The sanitizer of the current configuration (patterns and keys added to it last until the next updateConfig). */
  get sanitizer(): DataSanitizer {
    return this.#steps.sanitizer;
  }

  metrics(): PerformanceMetrics {
    const redaction = emptyRedactionStats();
    addRedactionStats(redaction, this.#retired.redaction);
    addRedactionStats(redaction, this.#steps.sanitizer.stats());
    const threats = this.#steps.threats?.stats();
    const dropped: Record<string, number> = { ...this.counters.dropped };
    const written = destinationFigures(this.pipeline.destinations, dropped);
    return {
      totalLogs: this.counters.total,
      throughput: throughputOf(this.counters.total, Date.now() - this.#createdAt),
      latency: this.#latency?.summary(),
      byLevel: this.counters.byLevel(),
      byLayer: this.counters.byLayer(),
      dropped,
      bytesWritten: written.bytesWritten,
      writes: written.writes,
      flushes: written.flushes,
      errors: written.errors,
      truncations: sumTruncations(this.normalizer.truncations, redaction.truncations),
      processorErrors: this.processorErrors,
      redactions: redaction.redactions,
      redactionsByKind: redaction.byKind,
      securityEvents: this.#retired.securityEvents + (threats?.flagged ?? 0),
      threatsBlocked: this.#retired.blocked + (threats?.blocked ?? 0),
      ...this.plugins.metrics(),
      destinations: written.destinations,
    };
  }

  /** One `error` event and one stderr line per destination and error code; later ones are only counted. */
  reportWriteError(destination: string, err: NodeJS.ErrnoException): void {
    this.#errors.report(destination, err);
  }

  /** Counts a call on a closed logger as dropped and warns once. */
  logAfterClose(): void {
    this.counters.drop('closed');
    if (this.#warnedClosed) return;
    this.#warnedClosed = true;
    process.emitWarning(
      'a log call reached a closed hydra-logger; it was ignored (counted as dropped: closed)',
      {
        code: 'HYDRA_W_LOG_AFTER_CLOSE',
      },
    );
  }
}

/** Bindings, then context, then the active span's trace fields, then the call's fields: later sources win a key. */
function mergeFields(
  bindings: Fields | undefined,
  context: Fields | undefined,
  trace: Fields | undefined,
  fields: Fields | undefined,
): Fields | undefined {
  if (trace === undefined) {
    if (context === undefined && fields === undefined) return bindings;
    if (bindings === undefined && fields === undefined) return context;
    if (bindings === undefined && context === undefined) return fields;
    return { ...bindings, ...context, ...fields };
  }
  // otelTraceFields() made `trace` for this record alone. A spread, not Object.assign: a field named
  // `__proto__` must stay a field, not set the object's prototype.
  if (bindings === undefined && context === undefined && fields === undefined) return trace;
  return { ...bindings, ...context, ...trace, ...fields };
}

export { DEFAULT_LAYER };
