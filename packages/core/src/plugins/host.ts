import { withPluginNamesDeferred } from '../config/names-deferred.js';
import type { LogDestination, LoggingConfig } from '../config/types.js';
import type { Destination } from '../destinations/destination.js';
import type { Formatter } from '../formats/formatter.js';
import { loadConfigChunk } from '../internal/load-config.js';
import type { PerformanceMetrics } from '../metrics/performance.js';
import type { LevelInput } from '../record/levels.js';
import type { Normalizer } from '../record/normalize.js';
import type { Fields, LogRecord } from '../record/record.js';
import { stageConfigPlugins } from './config-plugins.js';
import { handlerDestination } from './handler-destination.js';
import { HookCalls } from './hook-calls.js';
import { InitLog } from './init-log.js';
import { insightsOf } from './insights.js';
import { FAILED, PluginDestination } from './plugin-destination.js';
import { describeThrown, PluginError } from './plugin-error.js';
import { registeredTypeOf } from './registry.js';
import { checkPlugin, hooks, Slot } from './slot.js';
import { PluginStage } from './stage.js';
import { type Tap, TapList } from './taps.js';
import type {
  FormatterHooks,
  HandlerHooks,
  Plugin,
  PluginContext,
  PluginHandler,
  PluginInsights,
  PluginType,
} from './types.js';
import { describe } from './verdicts.js';

/** What the host needs from its logger (callbacks: the host never holds the logger itself). */
export interface PluginHostOptions {
  normalizer: Normalizer;
  /** Counts a dropped record under `reason` (`plugin:<name>`). */
  drop(reason: string): void;
  metrics(): PerformanceMetrics;
  log(level: number, layer: string, message: string, fields: Fields | undefined): void;
  /** Whether the logger can take records (false while its constructor builds the first pipeline). */
  ready(): boolean;
  /** Emits on the logger's `pluginError` event; `false` when nobody listens. */
  emit(err: PluginError): boolean;
  /** Tracks a failed hook in the logger's error tracker (type `plugin`). Never throws. */
  track(plugin: string, hook: string, error: unknown): void;
  /** The destinations of the current pipeline (to refuse removing a plugin they use). */
  destinations(): readonly Destination[];
}

/**
 * The plugins of one logger: the processor stage they run in (after redaction, before the audit
 * chain), the formats and destination types they provide, their timing and error counters, and
 * the config `plugins` entries (staged during `updateConfig`, committed with the new pipeline).
 * Lives in the plugins chunk: a logger holds a {@link PluginHost} (plugins/plugin-host.ts), which
 * creates its engine with the first plugin.
 */
export class PluginEngine {
  /** The `plugins` processor: security plugins, then analytics plugins, in the order they were added. */
  readonly stage: PluginStage;
  /** Whether any performance plugin wants `onRecord`: the logger then calls {@link start} and {@link timed}. */
  sampling = false;
  readonly #opts: PluginHostOptions;
  readonly #calls: HookCalls;
  #enabled = true;
  #nextEnabled = true;
  #config: Slot[] = [];
  #added: Slot[] = [];
  #staged: Slot[] | undefined;
  #retired: Slot[] = [];
  #closed = false;
  #warnedDisabled = false;
  /** Counters of plugins no longer on the logger, by name (metrics are cumulative). */
  readonly #pastEvents = new Map<string, number>();
  readonly #pastErrors = new Map<string, number>();
  readonly #initLog: InitLog;

  /** `state`: what the logger's {@link PluginHost} knew before the first plugin (enablePlugins, closed). */
  readonly #taps: TapList;

  /**
   * `state`: what the logger's {@link PluginHost} knew before the first plugin (enablePlugins,
   * closed); `taps`: the host's tap list, which this engine keeps filled.
   */
  constructor(
    opts: PluginHostOptions,
    state: { enabled: boolean; closed: boolean } = { enabled: true, closed: false },
    taps: TapList = new TapList(),
  ) {
    this.#taps = taps;
    this.#opts = opts;
    this.#enabled = state.enabled;
    this.#nextEnabled = state.enabled;
    this.#closed = state.closed;
    this.#calls = new HookCalls(opts.emit, opts.track);
    this.stage = new PluginStage(this.#calls, opts.normalizer, opts.drop);
    this.#initLog = new InitLog(opts, this.#calls);
  }

  /** Before a record is built: the start time when a performance plugin samples it, else 0. */
  start(): number {
    return this.stage.start();
  }

  /** After dispatch of a sampled record (`undefined` when it was dropped). */
  timed(record: LogRecord | undefined, t0: number): void {
    this.stage.timed(record, t0);
  }

  // ---- what the pipeline looks up ------------------------------------------------------------

  /** Plugins visible while a configuration compiles: the staged config plugins, else the current ones. */
  #lookup(): Slot[] {
    const enabled = this.#staged === undefined ? this.#enabled : this.#nextEnabled;
    return enabled ? [...(this.#staged ?? this.#config), ...this.#added] : [];
  }

  /** The formatter a plugin provides under `name`, if any. */
  formatter(name: string): Formatter | undefined {
    return this.#lookup().find((s) => s.formatter !== undefined && s.formatter.name === name)?.formatter;
  }

  /**
   * A destination of a type a handler plugin provides, or `undefined` when none does.
   * @throws PluginError (`HYDRA_E_PLUGIN_INIT`) when `createHandler` throws, `_INVALID` when it returns no `emit`.
   */
  destination(
    d: LogDestination,
    id: string,
    minLevel: number,
    formatter: () => Formatter,
  ): Destination | undefined {
    const slot = this.#lookup().find(
      (s) => s.roles.includes('handler') && (s.plugin as HandlerHooks).destinationType === d.type,
    );
    return slot === undefined ? undefined : handlerDestination(slot, d, id, minLevel, formatter);
  }

  #names(slots: readonly Slot[]): { destinations: string[]; formats: string[] } {
    const destinations: string[] = [];
    const formats: string[] = [];
    for (const s of slots) {
      const type = (s.plugin as HandlerHooks).destinationType;
      if (s.roles.includes('handler') && type !== undefined) destinations.push(type);
      if (s.roles.includes('formatter')) formats.push((s.plugin as FormatterHooks).formatName);
    }
    return { destinations, formats };
  }

  // ---- configuration: `plugins` entries, staged then committed -------------------------------

  /**
   * Resolves a configuration with its plugins: `resolve` runs with destination types and format
   * names unchecked, the `plugins` entries are instantiated (staged), then the configuration is
   * validated again with the names the plugins provide. Nothing changes until {@link compile} commits.
   */
  resolveConfig(resolve: () => LoggingConfig): LoggingConfig {
    this.#discard();
    const raw = withPluginNamesDeferred(resolve);
    const enabled = raw.enablePlugins !== false;
    this.#staged = enabled ? this.#stage(raw.plugins ?? []) : [];
    this.#nextEnabled = enabled;
    try {
      return loadConfigChunk().checkConfigNames(raw, this.#names(this.#lookup()));
    } catch (err) {
      this.#discard();
      throw err;
    }
  }

  /** Runs `compile` (which may look plugins up); commits the staged plugins when it succeeds, discards them when it throws. */
  compile<T>(compile: () => T): T {
    let out: T;
    try {
      out = compile();
    } catch (err) {
      this.#discard();
      throw err;
    }
    this.#commit();
    return out;
  }

  #stage(entries: NonNullable<LoggingConfig['plugins']>): Slot[] {
    return stageConfigPlugins(entries, {
      current: this.#config,
      added: this.#added,
      make: (name, instance, spec, type, peers, options) =>
        this.#slot(name, instance, 'config', spec, type, peers, options),
      close: (slot) => void this.#closeSlot(slot),
    });
  }

  #commit(): void {
    const staged = this.#staged;
    if (staged === undefined) return;
    this.#staged = undefined;
    this.#enabled = this.#nextEnabled;
    const removed = this.#config.filter((s) => !staged.includes(s));
    this.#config = staged;
    for (const s of removed) this.#retire(s);
    for (const s of staged) this.#start(s);
    this.#rebuild();
  }

  #discard(): void {
    const staged = this.#staged;
    if (staged === undefined) return;
    this.#staged = undefined;
    for (const s of staged) if (!this.#config.includes(s)) void this.#closeSlot(s);
  }

  // ---- adding and removing -------------------------------------------------------------------

  /**
   * Checks a plugin, calls its `init(context)`, and returns its slot (not yet running).
   * @throws PluginError `HYDRA_E_PLUGIN_INVALID` (not a plugin, names taken) or `HYDRA_E_PLUGIN_INIT` (init threw).
   */
  #slot(
    name: string,
    plugin: unknown,
    source: 'config' | 'added',
    spec: string | undefined,
    registeredType: PluginType | undefined,
    peers: readonly Slot[],
    options?: Record<string, unknown>,
  ): Slot {
    const c = checkPlugin(name, plugin, registeredType, peers);
    const slot = new Slot(name, c.plugin, c.type, c.roles, source, spec, c.sampleEvery, c.metricsIntervalMs);
    slot.runner = this.#calls.runner(slot);
    const p = plugin as Record<string, unknown>;
    if (c.roles.includes('formatter'))
      slot.formatter = { name: p.formatName as string, format: (record) => this.stage.format(slot, record) };
    if ('name' in p && p.name !== name) {
      try {
        p.name = name;
      } catch {
        // A read-only name stays as it is; the logger knows the plugin by `name` anyway.
      }
    }
    if (typeof p.init !== 'function') return this.#withTap(slot);
    const context: PluginContext = {
      name,
      options: options ?? {},
      log: (level: LevelInput, layer: string, message: string, fields?: Fields) =>
        this.#initLog.log(level, layer, message, fields),
    };
    try {
      const r = this.#calls.inside(() => (p.init as (c: PluginContext) => unknown)(context));
      if (typeof (r as { then?: unknown })?.then === 'function')
        (r as Promise<unknown>).then(undefined, (err: unknown) => this.#calls.fail(slot, 'init', err));
    } catch (err) {
      throw new PluginError(
        'HYDRA_E_PLUGIN_INIT',
        name,
        `plugin "${name}": init() threw: ${describeThrown(err)}`,
        {
          cause: err,
          hook: 'init',
        },
      );
    }
    return this.#withTap(slot);
  }

  /**
   * A handler plugin with `tap: true` gets its tap's handler now (after `init`).
   * @throws PluginError `HYDRA_E_PLUGIN_INIT` (createHandler threw) or `_INVALID` (no emit).
   */
  #withTap(slot: Slot): Slot {
    const p = slot.plugin as HandlerHooks;
    if (!slot.roles.includes('handler') || p.tap !== true) return slot;
    const type = p.destinationType ?? 'tap';
    let handler: unknown;
    try {
      handler = this.#calls.inside(() => p.createHandler({ type, format: 'json' }));
    } catch (err) {
      void this.#closeSlot(slot);
      throw new PluginError(
        'HYDRA_E_PLUGIN_INIT',
        slot.name,
        `plugin "${slot.name}": createHandler() threw for its tap: ${describeThrown(err)}`,
        { cause: err, hook: 'createHandler' },
      );
    }
    if (typeof (handler as { emit?: unknown })?.emit !== 'function') {
      void this.#closeSlot(slot);
      throw new PluginError(
        'HYDRA_E_PLUGIN_INVALID',
        slot.name,
        `plugin "${slot.name}": createHandler() for its tap returned ${describe(handler)} without emit(line, record)`,
      );
    }
    slot.tapHandler = handler as PluginHandler;
    return slot;
  }

  /**
   * `logger.addPlugin(name, plugin)`. Added plugins outlive `updateConfig`; they run after the
   * config's plugins, in the order they were added.
   */
  add(name: string, plugin: Plugin): void {
    if (this.#closed)
      throw new PluginError('HYDRA_E_PLUGIN_INVALID', String(name), `plugin "${name}": the logger is closed`);
    if (!this.#enabled) {
      if (!this.#warnedDisabled) {
        this.#warnedDisabled = true;
        process.emitWarning(
          `addPlugin("${name}") on a logger with enablePlugins: false; the plugin was not added`,
          { code: 'HYDRA_W_PLUGINS_DISABLED' },
        );
      }
      return;
    }
    const ctor = (plugin as { constructor?: unknown } | null)?.constructor;
    const slot = this.#slot(name, plugin, 'added', undefined, registeredTypeOf(ctor), [
      ...(this.#staged ?? this.#config),
      ...this.#added,
    ]);
    this.#added.push(slot);
    this.#start(slot);
    this.#rebuild();
  }

  /**
   * `logger.removePlugin(name)`: `false` when there is none. Its `close()` runs (not awaited;
   * a rejection is counted). A formatter or handler plugin that the current configuration uses
   * cannot be removed: `updateConfig` without it first.
   */
  remove(name: string): boolean {
    const slot = [...this.#config, ...this.#added].find((s) => s.name === name);
    if (slot === undefined) return false;
    const user = this.#opts
      .destinations()
      .find(
        (d) =>
          (slot.formatter !== undefined && d.formatter === slot.formatter) ||
          (d instanceof PluginDestination && d.owner === slot),
      );
    if (user !== undefined)
      throw new PluginError(
        'HYDRA_E_PLUGIN_INVALID',
        name,
        `plugin "${name}" is in use by destination ${user.id}; updateConfig without it before removing it`,
      );
    this.#config = this.#config.filter((s) => s !== slot);
    this.#added = this.#added.filter((s) => s !== slot);
    this.#rebuild();
    this.#retire(slot);
    void this.#closeSlot(slot);
    return true;
  }

  #start(slot: Slot): void {
    if (slot.started) return;
    slot.started = true;
    if (typeof hooks(slot).onMetrics === 'function' && slot.metricsIntervalMs > 0) {
      slot.timer = setInterval(() => {
        if (this.#enabled) this.#snapshot(slot);
      }, slot.metricsIntervalMs);
      slot.timer.unref();
    }
  }

  #snapshot(slot: Slot): void {
    let m: PerformanceMetrics;
    try {
      m = this.#opts.metrics();
    } catch {
      return;
    }
    this.#calls.run(slot, 'onMetrics', () => hooks(slot).onMetrics?.(m));
  }

  /** Takes a slot off the logger: timer stopped, counters kept; closed by {@link closeRetired}. */
  #retire(slot: Slot): void {
    if (slot.timer !== undefined) clearInterval(slot.timer);
    slot.timer = undefined;
    this.#pastEvents.set(slot.name, (this.#pastEvents.get(slot.name) ?? 0) + slot.events);
    this.#pastErrors.set(slot.name, (this.#pastErrors.get(slot.name) ?? 0) + slot.errors);
    this.#retired.push(slot);
  }

  /** Closes the plugins that left the logger (after updateConfig closed the destinations that used them). */
  async closeRetired(): Promise<void> {
    const retired = this.#retired;
    this.#retired = [];
    await Promise.all(retired.map((s) => this.#closeSlot(s)));
  }

  /** A final `onMetrics` snapshot (for performance plugins that take them), then `close()`. */
  async #closeSlot(slot: Slot): Promise<void> {
    if (slot.closed) return;
    slot.closed = true;
    if (slot.timer !== undefined) clearInterval(slot.timer);
    slot.timer = undefined;
    if (slot.started && typeof hooks(slot).onMetrics === 'function') this.#snapshot(slot);
    const tap = slot.tapHandler;
    slot.tapHandler = undefined;
    if (typeof tap?.close === 'function') {
      const r = this.#calls.run(slot, 'close', () => tap.close?.());
      if (r !== FAILED) await slot.runner.settle('close', r);
    }
    if (typeof hooks(slot).close !== 'function') return;
    const r = this.#calls.run(slot, 'close', () => hooks(slot).close?.());
    if (r !== FAILED) await slot.runner.settle('close', r);
  }

  /** Closes every plugin (after the destinations closed); later `addPlugin` calls throw. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#discard();
    for (const s of [...this.#config, ...this.#added]) this.#retire(s);
    this.#config = [];
    this.#added = [];
    this.#rebuild();
    await this.closeRetired();
  }

  #rebuild(): void {
    const all = this.#enabled ? [...this.#config, ...this.#added] : [];
    this.stage.security = all.filter((s) => s.roles.includes('security'));
    this.stage.analytics = all.filter((s) => s.roles.includes('analytics'));
    this.stage.sampled = all.filter(
      (s) => s.roles.includes('performance') && typeof hooks(s).onRecord === 'function',
    );
    this.sampling = this.stage.sampled.length > 0;
    const calls = this.#calls;
    const taps: Tap[] = [];
    for (const slot of all) {
      const handler = slot.tapHandler;
      if (handler !== undefined)
        taps.push({ write: (line, record) => calls.tap(slot, handler, line, record) });
    }
    this.#taps.list = taps;
  }

  // ---- what the logger reports ---------------------------------------------------------------

  /** `getPluginInsights()`: each plugin's counters and timing, and what its `getInsights()` returns. */
  insights(): Record<string, PluginInsights> {
    return insightsOf([...this.#config, ...this.#added], this.#calls);
  }

  /** `pluginEvents` and `pluginErrors` of `getPerformanceMetrics()`, by plugin name, since the logger was created. */
  metrics(): { pluginEvents: Record<string, number>; pluginErrors: Record<string, number> } {
    const events: Record<string, number> = Object.fromEntries(this.#pastEvents);
    const errors: Record<string, number> = Object.fromEntries(this.#pastErrors);
    for (const s of [...this.#config, ...this.#added]) {
      events[s.name] = (events[s.name] ?? 0) + s.events;
      errors[s.name] = (errors[s.name] ?? 0) + s.errors;
    }
    return { pluginEvents: events, pluginErrors: errors };
  }
}
