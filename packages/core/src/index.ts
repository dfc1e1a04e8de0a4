/**
 * hydra-logger: the public API. Everything a user may import is exported here by name;
 * anything not exported is internal (deep imports are blocked by the package's `exports` map).
 */

export type { AsyncHydraLoggerOptions } from './async/async-hydra-logger.js';
export type { AsyncLayerLogMethod, AsyncLogMethod } from './async/async-methods.js';
export type { QueuePolicy, StrategyName } from './async/defaults.js';
export type {
  AsyncLogQueue,
  AsyncQueueClass,
  QueueLedger,
  QueueOptions,
  QueuePerformanceMetrics,
} from './async/queue.js';
export type { StrategySwitch } from './async/strategy-selector.js';
export type { StrategyFigures } from './async/strategy-stats.js';
export { loadConfigFromEnv } from './config/env.js';
export type {
  BuiltInMagicConfigName,
  MagicConfigFactory,
  MagicConfigInfo,
  MagicConfigName,
} from './config/magic.js';
export { mergeConfigs } from './config/merge.js';
export type {
  BuiltinDestination,
  BuiltinDestinationType,
  ConsoleDestination,
  DeliverySettings,
  DestinationCommon,
  DestinationFormat,
  DestinationTypeOptions,
  DestinationWriting,
  FileDestination,
  FileSettings,
  GelfDestination,
  HandlerDestination,
  HttpDestination,
  HydraDestinationTypes,
  HydraFormats,
  HydraMagicConfigs,
  LogDestination,
  LoggingConfig,
  LogLayer,
  MemoryDestination,
  NetworkTls,
  NullDestination,
  OtelDestination,
  OtlpDestination,
  PluginConfig,
  PluginDestination,
  PluginDestinationType,
  RedactionConfig,
  StreamDestination,
  SyslogDestination,
} from './config/types.js';
// Each built-in type's options, from its own file (which adds it to DestinationTypeOptions).
export type { ConsoleOptions } from './destinations/console.js';
export type { DestinationStats } from './destinations/destination.js';
export type { FileOptions } from './destinations/file.js';
export type { GelfOptions } from './destinations/gelf.js';
export type { HttpOptions } from './destinations/http.js';
export type { MemoryOptions, MemoryView } from './destinations/memory.js';
export type { NullOptions } from './destinations/null.js';
export type { OtelOptions } from './destinations/otel.js';
export type { OtlpOptions } from './destinations/otlp.js';
export type { StreamOptions } from './destinations/stream.js';
export type { SyslogOptions } from './destinations/syslog.js';
export type { ConfigIssue, ErrorCode, WarningCode } from './errors.js';
export {
  ConfigFileError,
  ConfigValidationError,
  EnvironmentError,
  ERROR_CODES,
  HydraLoggerError,
  WARNING_CODES,
} from './errors.js';
export type { ColorMode, ColorTarget } from './formats/colors.js';
/**
 * What the plain-text format uses to colour and to keep user data terminal-safe, for tools that
 * render records themselves (the `hydra` command of `@hydra-logger/cli`): the colour decision
 * (`shouldColor(mode, fdOrStream, env)`: TTY, NO_COLOR, FORCE_COLOR, TERM=dumb), the palette, and
 * escaping (`escapeText`: control characters and ANSI sequences made visible; `kvKey`/`textValue`:
 * a field as plain-text writes it).
 */
export { ANSI, DEFAULT_LEVEL_COLORS, layerColor, RESET, shouldColor } from './formats/colors.js';
export { escapeText, kvKey, textValue } from './formats/escape.js';
export type { FormatOptions, Formatter } from './formats/formatter.js';
export type { FormatName } from './formats/index.js';
export { FORMAT_NAMES } from './formats/index.js';
/**
 * The `json` format's formatter: `format(record)` returns the line a `format: 'json'` destination
 * writes (ending in `\n`). For plugins that forward records elsewhere byte for byte as written.
 */
export { createJsonFormatter } from './formats/json.js';
export type { Limits } from './internal/limits.js';
export { DEFAULT_LIMITS } from './internal/limits.js';
export type { HydraLoggerEvents, HydraLoggerOptions } from './logger/hydra-logger.js';
export { createLogger, HydraLogger } from './logger/hydra-logger.js';
export { LayerLogger } from './logger/layer-logger.js';
export type { LayerLogMethod, LogMethod } from './logger/log-methods.js';
export type { CoreOptions } from './logger/options.js';
export type {
  CaptureUncaughtOptions,
  HandleSignalsOptions,
  ProcessHookOptions,
} from './logger/process-hooks.js';
export { DestinationWriteError } from './logger/write-errors.js';
export { DEFAULT_SEVERITIES, ERROR_SEVERITIES } from './metrics/error-severities.js';
export type {
  ErrorSeverity,
  ErrorStats,
  ErrorTrackerOptions,
  ErrorTrackingOptions,
  TrackedError,
} from './metrics/error-tracker.js';
export type { PerformanceMetrics } from './metrics/performance.js';
export {
  AnalyticsPlugin,
  FormatterPlugin,
  HandlerPlugin,
  HydraPlugin,
  PerformancePlugin,
  SecurityPlugin,
} from './plugins/base.js';
export { PluginError } from './plugins/plugin-error.js';
export type { PluginDecorator } from './plugins/registry.js';
export type {
  AnalyticsHooks,
  FormatterHooks,
  HandlerHooks,
  PerformanceHooks,
  Plugin,
  PluginBaseHooks,
  PluginClass,
  PluginContext,
  PluginHandler,
  PluginInfo,
  PluginInsights,
  PluginType,
  SecurityHooks,
  SecurityVerdict,
} from './plugins/types.js';
export { PLUGIN_TYPES } from './plugins/types.js';
export type { LevelInput, LevelName } from './record/levels.js';
export { LEVEL_NAMES, LEVELS, levelName, parseLevel } from './record/levels.js';
export type { CallerInfo, Fields, LogRecord, RecordKind, SerializedError } from './record/record.js';
export { RESERVED_KEYS } from './record/record.js';
export { DataSanitizer, REDACTED } from './security/data-sanitizer.js';
export { CLOUD_PROVIDER_PATTERNS, detectEnvironment, FRAMEWORK_PATTERNS } from './security/environment.js';
export type {
  AuditChainResult,
  CloudProviderPattern,
  DetectEnvironmentOptions,
  EnvironmentInfo,
  FrameworkPattern,
  KeyMatch,
  RedactionPattern,
  RedactionStats,
  SecurityValidatorOptions,
  SensitiveKey,
  Threat,
  ThreatPattern,
  ThreatPolicy,
  ThreatSeverity,
  ThreatType,
  ValidationResult,
} from './security/index.js';
export { PII_PATTERNS } from './security/pii-patterns.js';
export { DEFAULT_SENSITIVE_KEYS } from './security/sensitive-keys.js';
export { THREAT_PATTERNS } from './security/threat-patterns.js';
export type { FsPort } from './writers/fs-port.js';
export type { WorkerCapableFsPort, WorkerFsModule } from './writers/worker/index.js';

// The async logger and its queue live in a chunk loaded on first use (internal/load-async.ts): these
// exports are stand-ins that forward `new`, `instanceof`, `extends` and static members to the real
// classes, and the types below are the real classes' instance types.
import type * as AsyncChunk from './chunks/async.js';
import { lazyClass } from './internal/lazy.js';
import { loadAsyncChunk } from './internal/load-async.js';

/** A logger whose calls return promises settled once the line is written; see docs/async.md. */
export const AsyncHydraLogger: typeof AsyncChunk.AsyncHydraLogger = lazyClass(
  () => loadAsyncChunk().AsyncHydraLogger,
);
export type AsyncHydraLogger = AsyncChunk.AsyncHydraLogger;
/** The layer view of an `AsyncHydraLogger` (`asyncLogger.layer('DB')`). */
export const AsyncLayerLogger: typeof AsyncChunk.AsyncLayerLogger = lazyClass(
  () => loadAsyncChunk().AsyncLayerLogger,
);
export type AsyncLayerLogger = AsyncChunk.AsyncLayerLogger;
/** The multi-fallback queue behind `AsyncHydraLogger` (async, worker, sync, direct, memory). */
export const MultiFallbackAsyncQueue: typeof AsyncChunk.MultiFallbackAsyncQueue = lazyClass(
  () => loadAsyncChunk().MultiFallbackAsyncQueue,
);
export type MultiFallbackAsyncQueue = AsyncChunk.MultiFallbackAsyncQueue;
/** The rejection of an async log call whose record was dropped (full queue policy, closed logger). */
export const RecordDroppedError: typeof AsyncChunk.RecordDroppedError = lazyClass(
  () => loadAsyncChunk().RecordDroppedError,
);
export type RecordDroppedError = AsyncChunk.RecordDroppedError;

// Error tracking and config files live in the extras chunk (internal/load-extras.ts), loaded on
// first call; these stand-ins forward to the real functions and class.
import type * as ExtrasChunk from './chunks/extras.js';
import { lazyFunction } from './internal/lazy.js';
import { loadExtrasChunk } from './internal/load-extras.js';

const extra = <K extends keyof typeof ExtrasChunk>(name: K): (typeof ExtrasChunk)[K] =>
  // biome-ignore lint/suspicious/noExplicitAny: forwards any of the chunk's functions
  lazyFunction(name, () => loadExtrasChunk()[name] as any) as (typeof ExtrasChunk)[K];

/** Reads a config file (.yaml/.yml, .toml, .json; `extends` resolved) and validates it. */
export const loadConfig: typeof ExtrasChunk.loadConfig = extra('loadConfig');
/** Counts `error` under `type` in the default tracker (redacted), and returns the entry. */
export const trackError: typeof ExtrasChunk.trackError = extra('trackError');
/** `trackError('validation', …)`, severity `low` unless given. */
export const trackValidationError: typeof ExtrasChunk.trackValidationError = extra('trackValidationError');
/** `trackError('network', …)`, severity `medium` unless given. */
export const trackNetworkError: typeof ExtrasChunk.trackNetworkError = extra('trackNetworkError');
/** `trackError('database', …)`, severity `high` unless given. */
export const trackDatabaseError: typeof ExtrasChunk.trackDatabaseError = extra('trackDatabaseError');
/** `trackError('security', …)`, severity `critical` unless given. */
export const trackSecurityError: typeof ExtrasChunk.trackSecurityError = extra('trackSecurityError');
/** `trackError('runtime', …)`, severity `high` unless given. */
export const trackRuntimeError: typeof ExtrasChunk.trackRuntimeError = extra('trackRuntimeError');
/** Counts and recent entries of the default tracker. */
export const getErrorStats: typeof ExtrasChunk.getErrorStats = extra('getErrorStats');
/** Empties the default tracker. */
export const clearErrorStats: typeof ExtrasChunk.clearErrorStats = extra('clearErrorStats');
/** Replaces the default tracker with one built from `options`, and returns it. */
export const configureErrorTracking: typeof ExtrasChunk.configureErrorTracking =
  extra('configureErrorTracking');
/** The default tracker (`getErrorStats()` reads it; loggers report their own failures to it). */
export const getDefaultErrorTracker: typeof ExtrasChunk.getDefaultErrorTracker =
  extra('getDefaultErrorTracker');
/** Counts errors by type and severity and keeps the last few, redacted (docs/errors-and-signals.md). */
export const ErrorTracker: typeof ExtrasChunk.ErrorTracker = lazyClass(() => loadExtrasChunk().ErrorTracker);
export type ErrorTracker = ExtrasChunk.ErrorTracker;
/** Reads a JSON-lines audit file and checks every link of its hash chain; reports the first broken one. */
export const verifyAuditChain: typeof ExtrasChunk.verifyAuditChain = extra('verifyAuditChain');
/** Keyed hashing of values (pseudonymization): the same input and salt give the same token. */
export const DataHasher: typeof ExtrasChunk.DataHasher = lazyClass(() => loadExtrasChunk().DataHasher);
export type DataHasher = ExtrasChunk.DataHasher;
/** Threat detection on strings (injection, traversal, log forging …; docs/security.md). */
export const SecurityValidator: typeof ExtrasChunk.SecurityValidator = lazyClass(
  () => loadExtrasChunk().SecurityValidator,
);
export type SecurityValidator = ExtrasChunk.SecurityValidator;

// The registry of plugin classes lives in the plugins chunk (internal/load-plugins.ts) with the
// engine that reads it; these stand-ins load it on first call.
import type * as PluginsChunk from './chunks/plugins.js';
import { loadPluginsChunk } from './internal/load-plugins.js';

const pluginFn = <K extends keyof typeof PluginsChunk>(name: K): (typeof PluginsChunk)[K] =>
  // biome-ignore lint/suspicious/noExplicitAny: forwards any of the chunk's functions
  lazyFunction(name, () => loadPluginsChunk()[name] as any) as (typeof PluginsChunk)[K];

/** Registers a plugin class under a name (also usable as a class decorator); docs/plugins.md. */
export const registerPlugin: typeof PluginsChunk.registerPlugin = pluginFn('registerPlugin');
/** The plugin class registered under `name`, or `undefined`. */
export const getPlugin: typeof PluginsChunk.getPlugin = pluginFn('getPlugin');
/** The registered plugins (of one type, if given): name, type, class name. */
export const listPlugins: typeof PluginsChunk.listPlugins = pluginFn('listPlugins');
/** Removes a registered plugin; `true` when there was one. */
export const unregisterPlugin: typeof PluginsChunk.unregisterPlugin = pluginFn('unregisterPlugin');
/** Imports an ES module exporting a plugin class and registers it (docs/plugins.md). */
export const loadPluginFromPath: typeof PluginsChunk.loadPluginFromPath = pluginFn('loadPluginFromPath');

// The validator lives in the config chunk (internal/load-config.ts), loaded by the first logger with
// a configuration to check, or by this stand-in's first call.
import type * as ConfigChunk from './chunks/config.js';
import { loadConfigChunk } from './internal/load-config.js';

/**
 * Validates a configuration object and returns a normalized copy (aliases resolved, the caller's
 * object untouched). Throws a `ConfigValidationError` listing every problem with its path.
 */
export const validateConfig: typeof ConfigChunk.validateConfig = lazyFunction(
  'validateConfig',
  (() => loadConfigChunk().validateConfig) as () => typeof ConfigChunk.validateConfig,
);
