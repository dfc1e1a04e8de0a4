import type { Writable } from 'node:stream';
import type { ColorMode } from '../formats/colors.js';
import type { LevelInput, LevelName } from '../record/levels.js';

/** Where records go. `type` picks the destination; the other keys apply to the types named. */
export interface LogDestination {
  /** `console`, `file`, `stream`, `memory`, `null`. */
  type: string;
  /** Minimum level for this destination (the layer's level applies first). */
  level?: LevelInput;
  /** `plain-text` (default for console), `json` (default for files), `csv`, `syslog`, `gelf`, `logfmt`. */
  format?: string;
  /** Colour for plain-text and logfmt: `auto` (console default), `always`, `never` (file default). */
  colorMode?: ColorMode;
  /** `file`: the path; directories are created on the first write. */
  path?: string;
  /** `console`: `stdout` (default) or `stderr`. `stream`: a Writable or a function taking each line. */
  stream?: 'stdout' | 'stderr' | Writable | ((line: string) => void);
  /** `sync` (console on a TTY), `buffered` (files, console off a TTY). */
  mode?: 'sync' | 'buffered';
  /** Buffered mode: flush when this many characters are pending (default 64 KiB). */
  bufferSize?: number;
  /** Buffered mode: flush at least every this many ms (default 100). */
  flushInterval?: number;
  /** `memory`: lines kept (default 10,000); `memory`/any: a name to find it by. */
  maxLines?: number;
  name?: string;
  /** Level colour overrides for this destination. */
  levelColors?: Partial<Record<LevelName, string>>;
  /** syslog: APP-NAME, facility (0–23, default 1), `5424` (default) or `3164`; syslog/gelf: host. */
  appName?: string;
  facility?: number;
  rfc?: '5424' | '3164';
  hostname?: string;
}

/** A named layer: its level and its destinations. */
export interface LogLayer {
  level?: LevelInput;
  destinations?: LogDestination[];
  /** `false` turns the layer off (its records are written nowhere, and counted as `layer_disabled`). */
  enabled?: boolean;
}

/** The whole configuration. A `DEFAULT` layer is added when missing; undeclared layers are routed to it. */
export interface LoggingConfig {
  layers?: Record<string, LogLayer>;
  /** Level of layers that name none (default `INFO`, or `HYDRA_LOG_LEVEL`). */
  defaultLevel?: LevelInput;
  /** Format of console destinations that name none (default `plain-text`, or `HYDRA_LOG_FORMAT`). */
  consoleFormat?: string;
}
