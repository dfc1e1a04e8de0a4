import type { LevelName } from '../record/levels.js';
import type { LogRecord } from '../record/record.js';

/** Turns a record into exactly one line of text, ending in `\n`. */
export interface Formatter {
  /** The format name as used in config. */
  readonly name: string;
  format(record: LogRecord): string;
  /** Written once at the start of each output file or stream before the first line (csv). */
  readonly header?: string;
}

/** Options every built-in format understands; each uses the ones that concern it. */
export interface FormatOptions {
  /** Colour codes in the output (resolved from `colorMode` by the destination). */
  color: boolean;
  /** Level colour overrides, by level name, as names from `ANSI` or raw escape sequences. */
  levelColors?: Partial<Record<LevelName, string>>;
  /** syslog APP-NAME; default: the main script's base name, or `node`. */
  appName?: string;
  /** syslog/gelf host; default: `os.hostname()`. */
  hostname?: string;
  /** syslog facility number (0–23); default 1 (user-level). */
  facility?: number;
  /** syslog flavour; default `5424`. */
  rfc?: '5424' | '3164';
  /** Colour of a layer's name, by layer (colour names or escape sequences); others get a stable palette colour. */
  layerColors?: Readonly<Record<string, string>>;
  /** plain-text: the line template (see `template.ts`). */
  template?: string;
  /** plain-text: strftime-style date (default `%Y-%m-%d`) and time (default `%H:%M:%S.%L`). */
  dateFormat?: string;
  timeFormat?: string;
  /** plain-text: how `{name}` shows the layer (default `[{name}]`). */
  loggerNameFormat?: string;
  /** plain-text: how `{message}` shows the message (default `{message}`; may use `{level}` and `{name}`). */
  messageFormat?: string;
  /**
   * plain-text: write an error's stack (and its causes' stacks) on indented lines of their own
   * after the record's line, instead of inside the one-line JSON of the field. Set by the
   * destination when it writes to a terminal; files and pipes keep one record per line.
   */
  stackLines?: boolean;
}

/** Level name padded to 8 columns, the width of `CRITICAL`. */
export function paddedLevel(name: LevelName): string {
  return name.padEnd(8, ' ');
}
