import type { Writable } from 'node:stream';
import type { ColorMode } from '../formats/colors.js';
import type { LevelInput, LevelKey } from '../record/levels.js';

/** Where records go. `type` picks the destination; the other keys apply to the types named. */
export interface LogDestination {
  /** `console`, `file`, `stream`, `memory`, `null`, or a type a handler plugin provides (docs/plugins.md). */
  type: string;
  /** Minimum level for this destination (the layer's level applies first). */
  level?: LevelInput;
  /** `plain-text` (default for console), `json` (default for files), `csv`, `syslog`, `gelf`, `logfmt`. */
  format?: string;
  /** Colour for plain-text and logfmt: `auto` (console default), `always`, `never` (file default). */
  colorMode?: ColorMode;
  /** `file`: the path; directories are created on the first write. */
  path?: string;
  /**
   * `file`: rotate before a write would take the file past this size: bytes, or `"500B"`, `"10KB"`,
   * `"5MB"`, `"1GB"` (×1000), `"1KiB"`, `"5MiB"`, `"1GiB"` (×1024), case-insensitive. A single line
   * longer than this is still written, alone in a fresh file. Alias `max_size`. See docs/rotation.md.
   */
  maxSize?: number | string;
  /**
   * `file` with `maxSize` or `rotateInterval`: rotated files kept, `app.log.1` (newest) … `app.log.N`
   * (oldest); default 5; 0 keeps none (the file is replaced). Alias `backup_count`.
   */
  backupCount?: number;
  /**
   * `file`: rotate on the first write after the boundary: `hourly`, `daily` (local clock), or a
   * duration from the file's open time: `"30s"`, `"15m"`, `"2h"`, `"1d"`, or ms. Alias `rotate_interval`.
   */
  rotateInterval?: 'hourly' | 'daily' | string | number;
  /** `file` with rotation: gzip rotated files (`app.log.1.gz` …), synchronously at rotation. */
  compress?: boolean;
  /**
   * `file`: `fsync(2)` after every write, so a record survives a power loss, not only a crash.
   * AsyncHydraLogger resolves a call's promise after the fsync (one per batch); HydraLogger needs
   * `mode: 'sync'` for it (one fsync per record). Costly: milliseconds per write on most disks.
   */
  fsync?: boolean;
  /** `console`: `stdout` (default) or `stderr`. `stream`: a Writable or a function taking each line. */
  stream?: 'stdout' | 'stderr' | Writable | ((line: string) => void);
  /**
   * `stream` with a Writable: bytes held while it is above its highWaterMark (`write()` returned
   * `false`, no `'drain'` yet); a line past this is dropped, counted as `stream_full` (default 8 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * `sync` (console on a TTY), `buffered` (files, console off a TTY), `worker` (console and file:
   * a worker thread writes; ERROR and above are written before the call returns; docs/worker.md).
   */
  mode?: 'sync' | 'buffered' | 'worker';
  /** Buffered mode: flush when this many characters are pending (default 64 KiB). */
  bufferSize?: number;
  /** Buffered mode: flush at least every this many ms (default 100). */
  flushInterval?: number;
  /** `memory`: lines kept (default 10,000); `memory`/any: a name to find it by. */
  maxLines?: number;
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
  /** Destinations of a plugin-provided `type`: settings for its handler (copied; prototype keys refused). */
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
  consoleFormat?: string;
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
