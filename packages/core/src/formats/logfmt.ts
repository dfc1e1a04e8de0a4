import { DEFAULT_LEVEL_COLORS, RESET } from './colors.js';
import { kvFields, kvValue } from './escape.js';
import type { FormatOptions, Formatter } from './formatter.js';
import { resolveLevelColors } from './level-colors.js';
import { IsoClock } from './timestamp.js';
import type { LogRecord } from '../record/record.js';

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
      return `ts=${clock.iso(r.time)} level=${lv} layer=${kvValue(r.layer)} msg=${kvValue(r.message)}${caller}${kvFields(r.fields)}\n`;
    },
  };
}
