import type { ColorMode } from '../formats/colors.js';
import type { FormatName } from '../formats/index.js';
import type { LevelInput, LevelKey } from '../record/levels.js';

/**
 * Names that plugins add, for the type checker. Each is empty here; augment it in your code to use a
 * plugin's destination type, format or magic config in a typed config (docs/plugins.md):
 *
 * ```ts
 * declare module 'hydra-logger' {
 *   interface HydraDestinationTypes { sink: { endpoint: string } } // type name → its `options`
 *   interface HydraFormats { pipe: true }                           // format name → anything
 *   interface HydraMagicConfigs { 'my-service': true }              // registerMagic name → anything
 * }
 * ```
 *
 * Configs from files, the environment or plain JavaScript are checked at run time as before.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by users (declaration merging)
export interface HydraDestinationTypes {}
/** Format names that formatter plugins add: see {@link HydraDestinationTypes}. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by users (declaration merging)
export interface HydraFormats {}
/** Magic config names registered with `registerMagic`: see {@link HydraDestinationTypes}. */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by users (declaration merging)
export interface HydraMagicConfigs {}

/** A destination `type` a plugin provides (a key of {@link HydraDestinationTypes}). */
export type PluginDestinationType = Extract<keyof HydraDestinationTypes, string>;
/** A built-in format, or one a plugin provides (a key of {@link HydraFormats}). */
export type DestinationFormat = FormatName | Extract<keyof HydraFormats, string>;

/** Keys every destination takes. */
export interface DestinationCommon {
  /** Minimum level for this destination (the layer's level applies first). */
  level?: LevelInput;
  /** `plain-text` (default for console), `json` (default for the others), `csv`, `syslog`, `gelf`, `logfmt`, or a plugin's format. */
  format?: DestinationFormat;
  /** Colour for plain-text and logfmt: `auto` (console default), `always`, `never` (file default). */
  colorMode?: ColorMode;
  /** A name to find the destination by (metrics, `logger.memory(name)`); unique in a config. */
  name?: string;
  /**
   * plain-text: the line template, e.g. `{time} {level} {name} {message}{fields}`. Placeholders:
   * {timestamp} {date} {time} {level} {layer} {name} {message} {fields} {pid} {hostname} {caller}.
   */
  template?: string;
  /** plain-text: strftime-style date (`%Y-%m-%d`) and time (`%H:%M:%S.%L`) formats; see docs/formats.md. */
  dateFormat?: string;
  timeFormat?: string;
  /** plain-text: how `{name}` shows the layer, e.g. `[{name}]` (default) or `<{name}>`. */
  loggerNameFormat?: string;
  /** plain-text: how `{message}` shows the message, e.g. `{level}: {message}`. */
  messageFormat?: string;
  /** Level colour overrides for this destination. */
  levelColors?: Partial<Record<LevelKey, string>>;
  /** syslog: APP-NAME, facility (0–23, default 1), `5424` (default) or `3164`; syslog/gelf: host. */
  appName?: string;
  facility?: number;
  rfc?: '5424' | '3164';
  hostname?: string;
}

/** How a console or file destination writes. */
export interface DestinationWriting {
  /**
   * `sync` (console on a TTY), `buffered` (files, console off a TTY), `worker` (a worker thread
   * writes; ERROR and above are written before the call returns; docs/worker.md).
   */
  mode?: 'sync' | 'buffered' | 'worker';
  /** Buffered mode: flush when this many characters are pending (default 64 KiB). */
  bufferSize?: number;
  /** Buffered mode: flush at least every this many ms (default 100). */
  flushInterval?: number;
}

/** The keys of a file destination (rotation and durability). */
export interface FileSettings {
  /** The path; directories are created on the first write. */
  path: string;
  /**
   * Rotate before a write would take the file past this size: bytes, or `"500B"`, `"10KB"`,
   * `"5MB"`, `"1GB"` (×1000), `"1KiB"`, `"5MiB"`, `"1GiB"` (×1024), case-insensitive. A single line
   * longer than this is still written, alone in a fresh file. Alias `max_size`. See docs/rotation.md.
   */
  maxSize?: number | string;
  /**
   * With `maxSize` or `rotateInterval`: rotated files kept, `app.log.1` (newest) … `app.log.N`
   * (oldest); default 5; 0 keeps none (the file is replaced). Alias `backup_count`.
   */
  backupCount?: number;
  /**
   * Rotate on the first write after the boundary: `hourly`, `daily` (local clock), or a duration
   * from the file's open time: `"30s"`, `"15m"`, `"2h"`, `"1d"`, or ms. Alias `rotate_interval`.
   */
  rotateInterval?: 'hourly' | 'daily' | (string & {}) | number;
  /** With rotation: gzip rotated files (`app.log.1.gz` …), synchronously at rotation. */
  compress?: boolean;
  /**
   * `fsync(2)` after every write, so a record survives a power loss, not only a crash.
   * AsyncHydraLogger resolves a call's promise after the fsync (one per batch); HydraLogger needs
   * `mode: 'sync'` for it (one fsync per record). Costly: milliseconds per write on most disks.
   */
  fsync?: boolean;
}

/** TLS settings of a network destination; certificates are verified unless `rejectUnauthorized: false`. */
export interface NetworkTls {
  /** Trusted CA certificates (PEM), instead of Node's default set. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Client certificate and key (PEM), for servers that ask for one. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** `false` accepts any certificate (default `true`). */
  rejectUnauthorized?: boolean;
  /** The name the certificate must carry (default: `host`). */
  servername?: string;
}

/**
 * How every network destination (`syslog`, `gelf`, `http`, `otlp`) delivers: one engine queues
 * encoded records in memory (bounded by bytes), sends them in batches, retries with full-jitter
 * backoff, and can spool to disk while the receiver is down (docs/destinations.md).
 */
export interface DeliverySettings {
  /** Bytes of encoded records waiting in memory; a record past it is dropped as `queue_full` (default 8 MiB). */
  maxQueueBytes?: number;
  /** A batch is sent when it holds `maxRecords` or `maxBytes`, or `maxDelayMs` after its first record. */
  batch?: { maxRecords?: number; maxBytes?: number; maxDelayMs?: number };
  /** Attempts per batch (then dropped, counted), and the full-jitter backoff between them. */
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number };
  /** Connect and send timeout of one attempt, in ms. */
  timeoutMs?: number;
  /** Batches that cannot be sent are kept in `dir` (at most `maxBytes`) and sent in order on recovery and on the next start. */
  spool?: { dir: string; maxBytes?: number };
}

/**
 * The options of each built-in destination type, by its `type` name. Each destination file adds
 * its own entry (`declare module '../config/types.js' { interface DestinationTypeOptions { … } }`,
 * next to its checks), and {@link LogDestination} is computed from this table: a type's own keys,
 * the common keys, and every other type's keys declared absent (`?: never`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the destination files (declaration merging)
export interface DestinationTypeOptions {}

/** A built-in destination type name. */
export type BuiltinDestinationType = Extract<keyof DestinationTypeOptions, string>;
/** Keys that only some destination types take (plugin destinations: `options`). */
type TypeSpecificKey =
  | { [K in BuiltinDestinationType]: keyof DestinationTypeOptions[K] }[BuiltinDestinationType]
  | 'options';
type Absent<K extends PropertyKey> = { [P in K]?: never };

/** A destination of the built-in type `T` (default: any of them), as a config writes it. */
export type BuiltinDestination<T extends BuiltinDestinationType = BuiltinDestinationType> = {
  [K in T]: DestinationCommon &
    DestinationTypeOptions[K] &
    Absent<Exclude<TypeSpecificKey, keyof DestinationTypeOptions[K]>> & { type: K };
}[T];

/** `{ type: 'console' }`: stdout (default) or stderr. */
export type ConsoleDestination = BuiltinDestination<'console'>;
/** `{ type: 'file', path }`: a file, rotated if asked (docs/rotation.md). */
export type FileDestination = BuiltinDestination<'file'>;
/** `{ type: 'stream', stream }`: a Writable, or a function called with each line. */
export type StreamDestination = BuiltinDestination<'stream'>;
/** `{ type: 'memory' }`: the last lines, kept in memory (read them with `logger.memory(name)`). */
export type MemoryDestination = BuiltinDestination<'memory'>;
/** `{ type: 'null' }`: records are accepted and discarded. */
export type NullDestination = BuiltinDestination<'null'>;

export type SyslogDestination = BuiltinDestination<'syslog'>;
export type GelfDestination = BuiltinDestination<'gelf'>;
export type HttpDestination = BuiltinDestination<'http'>;
export type OtlpDestination = BuiltinDestination<'otlp'>;
export type OtelDestination = BuiltinDestination<'otel'>;

/** A destination of a type a handler plugin provides: `options` are its settings (copied; prototype keys refused). */
export type PluginDestination = {
  [T in PluginDestinationType]: DestinationCommon &
    Absent<Exclude<TypeSpecificKey, 'options'>> & { type: T; options?: HydraDestinationTypes[T] };
}[PluginDestinationType];

/** Where records go: one of the built-in types, or a plugin's (see {@link HydraDestinationTypes}). */
export type LogDestination = BuiltinDestination | PluginDestination;

/** The destination a handler plugin's `createHandler` receives: its `type` and `options`, and the common keys. */
export interface HandlerDestination extends DestinationCommon {
  type: string;
  options?: Record<string, unknown>;
}

/** A named layer: its level and its destinations. */
export interface LogLayer {
  level?: LevelInput;
  destinations?: LogDestination[];
  /** Colour of this layer's name on coloured destinations (a colour name such as `magenta`). */
  color?: string;
  /** `false` turns the layer off (its records are written nowhere, and counted as `layer_disabled`). */
  enabled?: boolean;
}

/** `redaction` in {@link LoggingConfig}. Patterns are trusted code: keep them linear. */
export interface RedactionConfig {
  /** Patterns added (or replacing one of the same name); `placeholder` is written literally (default `[REDACTED]`). */
  patterns?: { name: string; pattern: string | RegExp; placeholder?: string }[];
  /** Built-in pattern names to turn off (`email`, `phone`, …; see `PII_PATTERNS`). */
  removePatterns?: string[];
  /** Keys whose values are always redacted; `match: 'suffix' | 'contains'` widens the match. */
  sensitiveKeys?: (string | { key: string; match: 'exact' | 'suffix' | 'contains' })[];
  /** Built-in sensitive keys to turn off. */
  removeSensitiveKeys?: string[];
}

/** The whole configuration. A `DEFAULT` layer is added when missing; undeclared layers are routed to it. */
export interface LoggingConfig {
  layers?: Record<string, LogLayer>;
  /** Level of layers that name none (default `INFO`, or `HYDRA_LOG_LEVEL`). */
  defaultLevel?: LevelInput;
  /** Format of console destinations that name none (default `plain-text`, or `HYDRA_LOG_FORMAT`). */
  consoleFormat?: DestinationFormat;
  /** Defaults for every destination that sets none: see {@link LogDestination}. */
  dateFormat?: string;
  timeFormat?: string;
  loggerNameFormat?: string;
  messageFormat?: string;
  /**
   * Redaction of secrets and personal data (default `true`; `HYDRA_LOG_REDACT_SENSITIVE`). When
   * `false`, the SECURITY, AUDIT and COMPLIANCE layers and the records of `security()`, `audit()`
   * and `compliance()` are still redacted.
   */
  enableSanitization?: boolean;
  /** Extra and removed redaction patterns and sensitive keys (docs/security.md). */
  redaction?: RedactionConfig;
  /** Threat detection on messages and string fields (default `false`). */
  enableSecurity?: boolean;
  /** What a detected threat does: `tag` (default: a `threats` field, counted), `block` (the record is dropped, counted), `off`. */
  threatPolicy?: 'tag' | 'block' | 'off';
  /** Replace these fields by a keyed hash (pseudonymization). */
  pseudonymize?: { fields: string[]; algorithm?: string; salt?: string };
  /** Add `service`, `cloud` and `framework` fields detected from the environment (default `false`). */
  detectEnvironment?: boolean;
  /** Level colours for every destination (`HYDRA_LOG_COLOR_<LEVEL>`); a destination's own `levelColors` win. */
  levelColors?: Partial<Record<LevelKey, string>>;
  /**
   * Plugins to add at construction (and on `updateConfig`), in order: a registered name, or a
   * module to load (docs/plugins.md). Their formats and destination types become usable here.
   */
  plugins?: PluginConfig[];
  /** `false` turns every plugin off: `plugins` is ignored and `addPlugin` adds nothing (default `true`). */
  enablePlugins?: boolean;
}

/** One entry of {@link LoggingConfig.plugins}. */
export interface PluginConfig {
  /** The name the plugin gets on the logger (in insights, metrics and `dropped["plugin:<name>"]`). */
  name: string;
  /** The registered plugin to instantiate (default: `name`); not with `path`. */
  plugin?: string;
  /** An ES module (absolute or relative to the working directory) exporting the plugin class; loaded with `require`. */
  path?: string;
  /** Passed to the plugin's constructor (copied; `__proto__`, `constructor`, `prototype` keys are refused). */
  options?: Record<string, unknown>;
}
