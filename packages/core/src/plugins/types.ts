import type { HandlerDestination } from '../config/types.js';
import type { PerformanceMetrics } from '../metrics/performance.js';
import type { LevelInput } from '../record/levels.js';
import type { Fields, LogRecord } from '../record/record.js';

/** The five roles a plugin can play; a plugin's type is the role of the base class it extends. */
export const PLUGIN_TYPES = ['security', 'analytics', 'formatter', 'handler', 'performance'] as const;
export type PluginType = (typeof PLUGIN_TYPES)[number];

/** What `init(context)` receives when a plugin is added to a logger. */
export interface PluginContext {
  /** The name the plugin was added under (`addPlugin(name, …)` or `plugins[].name` in config). */
  readonly name: string;
  /** `plugins[].options` from config (a copy), or `{}`. */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Logs through the logger the plugin was added to. Records logged from inside one of the
   * plugin hooks skip every plugin hook (no recursion); they are redacted and routed as usual.
   */
  log(level: LevelInput, layer: string, message: string, fields?: Fields): void;
}

/**
 * What a {@link SecurityPlugin}'s `inspect(record)` decides:
 * - `allow`: the record goes on unchanged;
 * - `redact`: each path is replaced by `[REDACTED]`: `message`, or `fields.<key>[.<key>…]`
 *   (an array of keys for keys holding dots; array items by index). Paths that do not exist are ignored;
 * - `block`: the record is dropped, counted as `dropped["plugin:<name>"]`.
 */
export type SecurityVerdict =
  | { readonly action: 'allow' }
  | { readonly action: 'redact'; readonly paths: readonly (string | readonly (string | number)[])[] }
  | { readonly action: 'block'; readonly reason?: string };

/** What a {@link HandlerPlugin} returns for each destination of its type. */
export interface PluginHandler {
  /** One formatted line (ending in `\n`) and the record it came from. Must not throw; if it does, the line is dropped and counted. */
  emit(line: string, record: LogRecord): void;
  /** Called by `flush()`, `flushSync()` (not awaited there) and before `close()`. */
  flush?(): void | Promise<void>;
  /** Called once when the destination closes (`close()`, `updateConfig` that drops it). */
  close?(): void | Promise<void>;
}

/** Hooks every plugin may have. */
export interface PluginBaseHooks {
  name?: string;
  init?(context: PluginContext): void;
  close?(): void | Promise<void>;
  /** Anything the plugin wants to report; shown by `getPluginInsights()` under `insights`. */
  getInsights?(): unknown;
}

export interface AnalyticsHooks extends PluginBaseHooks {
  /** Returns the record (changed or not), another record, or `null`/`undefined` to drop it. */
  processEvent(record: LogRecord): LogRecord | null | undefined;
}

export interface FormatterHooks extends PluginBaseHooks {
  /** The name usable as `format:` in config. Built-in names cannot be taken. */
  readonly formatName: string;
  /** One line of text; a trailing `\n` is optional; other line breaks and control characters are escaped by the core. */
  format(record: LogRecord): string;
}

export interface HandlerHooks extends PluginBaseHooks {
  /**
   * The destination `type:` this plugin provides. Built-in types cannot be taken. Optional with
   * `tap: true` (a plugin that only taps provides no type).
   */
  readonly destinationType?: string;
  /**
   * `true`: the plugin also taps the logger: one more handler, made with
   * `createHandler({ type: destinationType ?? 'tap', format: 'json' })` when the plugin is added,
   * gets every record the logger writes, on every layer (after redaction, whatever the
   * destinations' levels), with its line as the json format writes it. When a destination of the
   * record's layer already wrote it in json, that same line is handed over (no second formatting);
   * otherwise it is formatted once for all taps. Calls are counted (and isolated: a throw loses
   * that line, counted in `pluginErrors`), not timed. The tap's `close` is called when the plugin
   * leaves the logger; `flush` is not called.
   */
  readonly tap?: boolean;
  createHandler(destination: Readonly<HandlerDestination>): PluginHandler;
}

export interface SecurityHooks extends PluginBaseHooks {
  inspect(record: Readonly<LogRecord>): SecurityVerdict;
  /** When `inspect` throws or returns a non-verdict: `false` (default) lets the record go on, `true` drops it. */
  readonly failClosed?: boolean;
}

interface PerformanceSettings extends PluginBaseHooks {
  /** `onRecord` gets one record in this many (default 100; 1 = every record). */
  readonly sampleEvery?: number;
  /** `onMetrics` is called this often, in ms (default 10,000; 0 = only the final snapshot at close). */
  readonly metricsIntervalMs?: number;
}

/** `onRecord`, `onMetrics`, or both. */
export type PerformanceHooks = PerformanceSettings &
  (
    | {
        onRecord(record: LogRecord, durationNs: number): void;
        onMetrics?(metrics: PerformanceMetrics): void;
      }
    | {
        onRecord?(record: LogRecord, durationNs: number): void;
        onMetrics(metrics: PerformanceMetrics): void;
      }
  );

/**
 * Anything `addPlugin` accepts: an instance of one of the base classes, or any object with the
 * hooks of at least one role. Every hook an object has is wired, whatever its base class.
 */
export type Plugin = AnalyticsHooks | FormatterHooks | HandlerHooks | SecurityHooks | PerformanceHooks;

/** A class whose instances are plugins; constructed with the `options` of its config entry. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are the plugin's own business.
export type PluginClass<P extends Plugin = Plugin> = new (...args: any[]) => P;

/** One entry of the plugin registry. */
export interface PluginInfo {
  readonly name: string;
  readonly type: PluginType;
  readonly plugin: PluginClass;
  /** The module it was loaded from (`loadPluginFromPath`), if any. */
  readonly path?: string;
}

/** What `getPluginInsights()` reports for each plugin of a logger. */
export interface PluginInsights {
  type: PluginType;
  /** Hook calls: records inspected, processed, formatted, emitted or timed, and metrics snapshots. */
  events: number;
  /** Hook calls that threw or returned something unusable (the record went on). */
  errors: number;
  /** Records this plugin dropped (analytics) or blocked (security). */
  dropped: number;
  /** Values replaced by `[REDACTED]` on this plugin's verdicts. */
  redactions: number;
  /** Time spent in this plugin's hooks: total (ms), mean and longest call (µs), calls over {@link SLOW_PLUGIN_CALL_MS}. */
  timeMs: number;
  avgUs: number;
  maxUs: number;
  slowCalls: number;
  /** The message of the last error, if any. */
  lastError?: string;
  /** What the plugin's `getInsights()` returned (`{ error }` when it threw), or `undefined`. */
  insights: unknown;
}

/** A hook call longer than this (ms) counts as slow in {@link PluginInsights.slowCalls}. */
export const SLOW_PLUGIN_CALL_MS = 1;
