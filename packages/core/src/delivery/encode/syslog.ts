import type { FormatOptions, Formatter } from '../../formats/formatter.js';
import { createSyslogFormatter } from '../../formats/syslog.js';
import type { LogRecord } from '../../record/record.js';

/**
 * The syslog formatter a `syslog` destination formats with: the `syslog` format (RFC 5424, fields
 * as STRUCTURED-DATA in `[hydra@32473 …]`, or RFC 3164) with the UTF-8 BOM before a MSG that holds
 * characters outside US-ASCII (RFC 5424 §6.4). Shared by the destinations of one pipeline that
 * format alike (`formatters`, the pipeline's cache).
 */
export function syslogWireFormatter(opts: FormatOptions, formatters: Map<string, Formatter>): Formatter {
  const key = JSON.stringify(['syslog-wire', opts]);
  let f = formatters.get(key);
  if (f === undefined) {
    f = createSyslogFormatter(opts, { bom: true });
    formatters.set(key, f);
  }
  return f;
}

/** One formatted line without its `\n`, as UTF-8 bytes: one syslog message (framing is the transport's). */
export function withoutNewline(_record: LogRecord, line: string): Buffer {
  const b = Buffer.from(line, 'utf8');
  return b.length > 0 && b[b.length - 1] === 0x0a ? b.subarray(0, b.length - 1) : b;
}

/** Syslog's message: the line as formatted, without its `\n`. */
export const encodeSyslog = withoutNewline;
