import type { LogRecord } from '../record/record.js';
import { DEFAULT_LEVEL_COLORS, layerColor, RESET } from './colors.js';
import { escapeText, kvFields, textValue } from './escape.js';
import { type FormatOptions, type Formatter, paddedLevel } from './formatter.js';
import { resolveLevelColors } from './level-colors.js';
import { LocalClock } from './timestamp.js';

/**
 * `2026-11-26 21:49:12.563 INFO     [APP] Application started user_id=42` (local time).
 * With colour: the level in its colour, the layer in a stable per-layer colour, the time dimmed.
 */
export function createPlainTextFormatter(opts: FormatOptions): Formatter {
  const clock = new LocalClock();
  const levelColors = resolveLevelColors({ ...DEFAULT_LEVEL_COLORS, ...opts.levelColors });
  return {
    name: 'plain-text',
    format(r: LogRecord): string {
      const ts = clock.local(r.time);
      const level = paddedLevel(r.levelName);
      const layer = escapeText(r.layer);
      const caller = r.caller === undefined ? '' : ` (${escapeText(`${r.caller.file}:${r.caller.line}`)})`;
      const rest = `${escapeText(r.message)}${kvFields(r.fields, textValue)}\n`;
      if (!opts.color) return `${ts} ${level} [${layer}]${caller} ${rest}`;
      return `\x1b[2m${ts}${RESET} ${levelColors[r.levelName]}${level}${RESET} ${layerColor(r.layer)}[${layer}]${RESET}${caller} ${rest}`;
    },
  };
}
