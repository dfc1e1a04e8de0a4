import { lazyOs, path } from '../internal/builtins.js';
import { LEVELS } from '../record/levels.js';
import type { LogRecord } from '../record/record.js';
import { escapeText, kvFields, toJsonLine } from './escape.js';
import type { FormatOptions, Formatter } from './formatter.js';
import { IsoClock } from './timestamp.js';

/** Syslog severity of a level (RFC 5424 §6.2.1): DEBUG 7, INFO 6, WARNING 4, ERROR 3, CRITICAL 2. */
export function syslogSeverity(level: number): number {
  if (level >= LEVELS.CRITICAL) return 2;
  if (level >= LEVELS.ERROR) return 3;
  if (level >= LEVELS.WARNING) return 4;
  if (level >= LEVELS.INFO) return 6;
  return 7;
}

/** The SD-ID: `hydra@32473` (32473 is the private enterprise number reserved for examples, RFC 5612). */
export const SYSLOG_SD_ID = 'hydra@32473';

/** PRINTUSASCII without space (RFC 5424 header fields), cut to `max`; `-` when empty. */
function headerField(s: string, max: number): string {
  const t = s.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return t === '' ? '-' : t;
}

/** SD-NAME: printable ASCII except `=`, space, `]`, `"`; at most 32 characters. */
function sdName(s: string): string {
  const t = s.replace(/[^\x21-\x7e]|[="\]]/g, '_').slice(0, 32);
  return t === '' ? '_' : t;
}

/** PARAM-VALUE: `"`, `\` and `]` escaped with a backslash (RFC 5424 §6.3.3); controls escaped. */
function sdValue(v: unknown): string {
  const s = typeof v === 'string' ? v : toJsonLine(v);
  return escapeText(s).replace(/["\\\]]/g, '\\$&');
}

export function defaultAppName(): string {
  const script = process.argv[1];
  return script ? path.basename(script).replace(/\.[cm]?[jt]s$/, '') || 'node' : 'node';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164 TIMESTAMP: `Nov  6 21:49:12` in local time. */
function bsdTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Any character outside US-ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

/** How a syslog line is meant for the wire (the network destination) rather than for a file. */
export interface SyslogWireOptions {
  /**
   * RFC 5424 §6.4: a MSG holding characters outside US-ASCII starts with the UTF-8 BOM (U+FEFF),
   * which tells the receiver it is UTF-8. Not for files (a BOM inside a line of a text file).
   */
  bom?: boolean;
}

/**
 * RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [hydra@32473 k="v"] MSG` with MSGID = layer;
 * or RFC 3164 (`rfc: '3164'`): `<PRI>Mmm dd hh:mm:ss HOST APP[PID]: [LAYER] MSG k=v` (APP, the
 * TAG, at most 32 characters).
 */
export function createSyslogFormatter(opts: FormatOptions, wire: SyslogWireOptions = {}): Formatter {
  const facility = opts.facility ?? 1;
  const host = headerField(opts.hostname ?? lazyOs().hostname(), 255);
  const appName = opts.appName ?? defaultAppName();
  const pid = process.pid;
  const clock = new IsoClock();
  if (opts.rfc === '3164') {
    const tag = headerField(appName.replace(/[[\]:]/g, '_'), 32);
    return {
      name: 'syslog',
      format(r: LogRecord): string {
        const pri = facility * 8 + syslogSeverity(r.level);
        return `<${pri}>${bsdTimestamp(r.time)} ${host} ${tag}[${pid}]: [${escapeText(r.layer)}] ${escapeText(r.message)}${kvFields(r.fields)}\n`;
      },
    };
  }
  const app = headerField(appName, 48);
  const bom = wire.bom === true;
  return {
    name: 'syslog',
    format(r: LogRecord): string {
      const pri = facility * 8 + syslogSeverity(r.level);
      let sd = '-';
      if (r.fields !== undefined) {
        let params = '';
        for (const k of Object.keys(r.fields)) {
          const v = r.fields[k];
          if (v !== undefined) params += ` ${sdName(k)}="${sdValue(v)}"`;
        }
        if (params !== '') sd = `[${SYSLOG_SD_ID}${params}]`;
      }
      const msg = escapeText(r.message);
      return `<${pri}>1 ${clock.iso(r.time)} ${host} ${app} ${pid} ${headerField(r.layer, 32)} ${sd} ${bom && NON_ASCII.test(msg) ? '\ufeff' : ''}${msg}\n`;
    },
  };
}
