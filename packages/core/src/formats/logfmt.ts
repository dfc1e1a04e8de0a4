import type { Fields, LogRecord } from '../record/record.js';
import { DEFAULT_LEVEL_COLORS, RESET } from './colors.js';
import { kvFields, kvValue } from './escape.js';
import type { FormatOptions, Formatter } from './formatter.js';
import { resolveLevelColors } from './level-colors.js';
import { IsoClock } from './timestamp.js';

/**
 * logfmt names the time `ts`, a key the record's own rename rule (RESERVED_KEYS) does not cover:
 * a user field `ts` is written as `_ts` (more `_` while taken), so it cannot pose as the time.
 */
function renameTs(fields: Fields | undefined): Fields | undefined {
  if (fields === undefined || !Object.hasOwn(fields, 'ts')) return fields;
  let renamed = '_ts';
  while (Object.hasOwn(fields, renamed)) renamed = `_${renamed}`;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === 'ts' ? renamed : k, v]));
}

/** `ts=2026-11-26T21:49:12.563Z level=info layer=APP msg="Application started" user_id=42` */
export function createLogfmtFormatter(opts: FormatOptions): Formatter {
  const clock = new IsoClock();
  const levelColors = resolveLevelColors({ ...DEFAULT_LEVEL_COLORS, ...opts.levelColors });
  return {
    name: 'logfmt',
    format(r: LogRecord): string {
      const level = r.levelName.toLowerCase();
      const lv = opts.color ? `${levelColors[r.levelName]}${level}${RESET}` : level;
      const caller = r.caller === undefined ? '' : ` caller=${kvValue(`${r.caller.file}:${r.caller.line}`)}`;
      return `ts=${clock.iso(r.time)} level=${lv} layer=${kvValue(r.layer)} msg=${kvValue(r.message)}${caller}${kvFields(renameTs(r.fields))}\n`;
    },
  };
}
