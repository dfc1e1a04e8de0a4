import { createCsvFormatter } from './csv.js';
import type { FormatOptions, Formatter } from './formatter.js';
import { createGelfFormatter } from './gelf.js';
import { createJsonFormatter } from './json.js';
import { createLogfmtFormatter } from './logfmt.js';
import { createPlainTextFormatter } from './plain-text.js';
import { createSyslogFormatter } from './syslog.js';

/** The built-in format names. */
export const FORMAT_NAMES = ['plain-text', 'json', 'csv', 'syslog', 'gelf', 'logfmt'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const FACTORIES: Readonly<Record<FormatName, (opts: FormatOptions) => Formatter>> = {
  'plain-text': createPlainTextFormatter,
  json: createJsonFormatter,
  csv: createCsvFormatter,
  syslog: createSyslogFormatter,
  gelf: createGelfFormatter,
  logfmt: createLogfmtFormatter,
};

/** Formats that may carry colour; the others are machine formats and never do. */
export const COLORED_FORMATS: ReadonlySet<string> = new Set(['plain-text', 'logfmt']);

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FACTORIES, name);
}

/**
 * Creates a built-in formatter, or the one a formatter plugin provides under `name` (looked up in
 * `plugins` when `name` is not built in). `name` has been validated by config.
 */
export function createFormatter(
  name: FormatName,
  opts: FormatOptions,
  plugins?: { formatter(name: string): Formatter | undefined },
): Formatter {
  if (!isFormatName(name)) {
    const f = plugins?.formatter(name);
    if (f !== undefined) return f;
  }
  return FACTORIES[name]({ ...opts, color: opts.color && COLORED_FORMATS.has(name) });
}
