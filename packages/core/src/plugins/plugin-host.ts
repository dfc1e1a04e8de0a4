import { withPluginNamesDeferred } from '../config/names-deferred.js';
import type { LogDestination, LoggingConfig } from '../config/types.js';
import type { Destination } from '../destinations/destination.js';
import type { Formatter } from '../formats/formatter.js';
import { loadConfigChunk } from '../internal/load-config.js';
import { loadPluginsChunk } from '../internal/load-plugins.js';
import type { Processor } from '../pipeline/processor.js';
import type { LogRecord } from '../record/record.js';
import type { PluginEngine, PluginHostOptions } from './host.js';
import { PluginError } from './plugin-error.js';
import { TapList } from './taps.js';
import type { Plugin, PluginInsights } from './types.js';

const NO_NAMES = Object.freeze({ destinations: [], formats: [] });

/**
 * The plugins of one logger. Most loggers have none, so the machinery (the engine: slots, hook
 * isolation, verdicts, the plugin stage; plugins/host.ts) is in the plugins chunk and created with
 * the first plugin: a config `plugins` entry or `addPlugin`. Until then this answers for it — no
 * plugin formats or destination types, a pass-through processor, empty insights — and keeps what
 * the engine must start from (whether plugins are enabled, whether the logger is closed).
 */
export class PluginHost {
  /**
   * The `plugins` processor, in the pipeline from the start (after redaction, before the audit
   * chain): passes records through until there is an engine, then runs the engine's stage.
   */
  readonly stage: Processor;
  /** Handler plugins with `tap: true`, read by dispatch on every route (empty until the engine fills it). */
  readonly taps = new TapList();
  readonly #opts: PluginHostOptions;
  #engine: PluginEngine | undefined;
  #enabled = true;
  #nextEnabled = true;
  #closed = false;

  constructor(opts: PluginHostOptions) {
    this.#opts = opts;
    this.stage = {
      name: 'plugins',
      process: (record: LogRecord) =>
        this.#engine === undefined ? record : this.#engine.stage.process(record),
    };
  }

  #engineNow(): PluginEngine {
    this.#engine ??= new (loadPluginsChunk().PluginEngine)(
      this.#opts,
      { enabled: this.#enabled, closed: this.#closed },
      this.taps,
    );
    return this.#engine;
  }

  /** Whether any performance plugin samples records: the logger then calls {@link start} and {@link timed}. */
  get sampling(): boolean {
    return this.#engine?.sampling === true;
  }

  start(): number {
    return this.#engine === undefined ? 0 : this.#engine.start();
  }

  timed(record: LogRecord | undefined, t0: number): void {
    this.#engine?.timed(record, t0);
  }

  formatter(name: string): Formatter | undefined {
    return this.#engine?.formatter(name);
  }

  destination(
    d: LogDestination,
    id: string,
    minLevel: number,
    formatter: () => Formatter,
  ): Destination | undefined {
    return this.#engine?.destination(d, id, minLevel, formatter);
  }

  /**
   * Resolves a configuration with its plugins (see `PluginEngine.resolveConfig`). Without an engine
   * and without `plugins` entries, that is validating it with no plugin-provided names.
   */
  resolveConfig(resolve: () => LoggingConfig): LoggingConfig {
    if (this.#engine !== undefined) return this.#engine.resolveConfig(resolve);
    const raw = withPluginNamesDeferred(resolve);
    const enabled = raw.enablePlugins !== false;
    if (enabled && (raw.plugins?.length ?? 0) > 0) return this.#engineNow().resolveConfig(() => raw);
    // No type or format name to check (zero-config): the validator is not loaded.
    const cfg =
      raw.consoleFormat === undefined && raw.layers === undefined
        ? raw
        : loadConfigChunk().checkConfigNames(raw, NO_NAMES);
    this.#nextEnabled = enabled;
    return cfg;
  }

  /** Runs `compile`; commits what {@link resolveConfig} staged when it succeeds. */
  compile<T>(compile: () => T): T {
    if (this.#engine !== undefined) return this.#engine.compile(compile);
    const out = compile();
    this.#enabled = this.#nextEnabled;
    return out;
  }

  /** `logger.addPlugin(name, plugin)`. */
  add(name: string, plugin: Plugin): void {
    if (this.#engine === undefined && this.#closed)
      throw new PluginError('HYDRA_E_PLUGIN_INVALID', String(name), `plugin "${name}": the logger is closed`);
    this.#engineNow().add(name, plugin);
  }

  /** `logger.removePlugin(name)`: `false` when there is none. */
  remove(name: string): boolean {
    return this.#engine?.remove(name) ?? false;
  }

  insights(): Record<string, PluginInsights> {
    return this.#engine?.insights() ?? {};
  }

  metrics(): { pluginEvents: Record<string, number>; pluginErrors: Record<string, number> } {
    return this.#engine?.metrics() ?? { pluginEvents: {}, pluginErrors: {} };
  }

  async closeRetired(): Promise<void> {
    await this.#engine?.closeRetired();
  }

  /** Closes every plugin (after the destinations closed); later `addPlugin` calls throw. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#engine?.close();
  }
}
