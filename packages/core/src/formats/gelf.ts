import { lazyOs } from '../internal/builtins.js';
import type { LogRecord } from '../record/record.js';
import { escapeJson, toJsonLine } from './escape.js';
import type { FormatOptions, Formatter } from './formatter.js';
import { syslogSeverity } from './syslog.js';

/** Keys GELF takes as they are (after the `_` prefix); `id` is not one of them (`_id` is reserved). */
const GELF_NAME = /^[\w.-]*$/;

/** GELF additional field name: `_` + key with characters outside `[\w.-]` replaced; `_id` is not allowed → `__id`. */
function gelfKey(k: string): string {
  const name = `_${k.replace(/[^\w.-]/g, '_')}`;
  return name === '_id' ? '__id' : name;
}

/** GELF values are strings or numbers: anything else is sent as its JSON text. */
function gelfValue(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'string') return escapeJson(JSON.stringify(v));
  return escapeJson(JSON.stringify(toJsonLine(v)));
}

/**
 * GELF 1.1: `version`, `host`, `short_message` (`-` for an empty message), `full_message` (the error stack, when there is
 * one), `timestamp` (seconds, with milliseconds), `level` (syslog severity), `_layer`, `_<field>`.
 */
export function createGelfFormatter(opts: FormatOptions): Formatter {
  const head = `{"version":"1.1","host":${escapeJson(JSON.stringify(opts.hostname ?? lazyOs().hostname()))},"short_message":`;
  return {
    name: 'gelf',
    format(r: LogRecord): string {
      // GELF requires a non-empty short_message (Graylog refuses the message otherwise).
      let line = `${head}${r.message === '' ? '"-"' : escapeJson(JSON.stringify(r.message))}`;
      if (r.error?.stack !== undefined)
        line += `,"full_message":${escapeJson(JSON.stringify(r.error.stack))}`;
      line += `,"timestamp":${r.time / 1000},"level":${syslogSeverity(r.level)},"_layer":${escapeJson(JSON.stringify(r.layer))}`;
      if (r.caller !== undefined) line += `,"_caller":${gelfValue(`${r.caller.file}:${r.caller.line}`)}`;
      if (r.fields !== undefined) {
        const keys = Object.keys(r.fields);
        // A key that had to change (`id`, `a b`) takes more `_` while its new name belongs to another
        // field (`_id`, `a_b`): a duplicate JSON key would silently lose one of them.
        let used: Set<string> | undefined;
        for (const k of keys) {
          const v = r.fields[k];
          if (v === undefined || v === null) continue;
          let name = `_${k}`;
          if (k === 'id' || !GELF_NAME.test(k)) {
            used ??= new Set(keys.map((x) => `_${x}`));
            name = gelfKey(k);
            while (used.has(name)) name = `_${name}`;
            used.add(name);
          }
          line += `,"${name}":${gelfValue(v)}`;
        }
      }
      return `${line}}\n`;
    },
  };
}
