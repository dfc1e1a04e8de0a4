import { lazyOs } from '../internal/builtins.js';
import type { LogRecord } from '../record/record.js';
import { ANSI, DEFAULT_LEVEL_COLORS, layerColor, RESET } from './colors.js';
import { escapeText, kvFields, textValue } from './escape.js';
import { type FormatOptions, type Formatter, paddedLevel } from './formatter.js';
import { resolveLevelColors } from './level-colors.js';
import { fieldsWithoutStack, stackBlock } from './stack-lines.js';
import { compileStrftime } from './strftime.js';
import { compileTemplate, DEFAULT_TEMPLATE } from './template.js';
import { LocalClock } from './timestamp.js';

const DIM = '\x1b[2m';

/**
 * `2026-11-26 21:49:12.563 INFO     [APP] Application started user_id=42` (local time).
 * With colour: the level in its colour, the layer in a stable per-layer colour, the time dimmed.
 * `template`, `dateFormat`, `timeFormat`, `loggerNameFormat` and `messageFormat` reshape the line.
 */
export function createPlainTextFormatter(opts: FormatOptions): Formatter {
  const levelColors = resolveLevelColors({ ...DEFAULT_LEVEL_COLORS, ...opts.levelColors });
  const custom =
    opts.template !== undefined ||
    opts.dateFormat !== undefined ||
    opts.timeFormat !== undefined ||
    opts.loggerNameFormat !== undefined ||
    opts.messageFormat !== undefined;
  const colorOfLayer = (layer: string): string => {
    const named = opts.layerColors?.[layer];
    return named === undefined ? layerColor(layer) : named.startsWith('\x1b') ? named : (ANSI[named] ?? '');
  };
  const stackLines = opts.stackLines === true;
  if (!custom) {
    // The default line, written out by hand: the hot path of every console.
    const clock = new LocalClock();
    return {
      name: 'plain-text',
      format(r: LogRecord): string {
        const ts = clock.local(r.time);
        const level = paddedLevel(r.levelName);
        const layer = escapeText(r.layer);
        const caller = r.caller === undefined ? '' : ` (${escapeText(`${r.caller.file}:${r.caller.line}`)})`;
        const rest = stackLines
          ? `${escapeText(r.message)}${kvFields(fieldsWithoutStack(r.fields, r.error), textValue)}\n${stackBlock(r.error)}`
          : `${escapeText(r.message)}${kvFields(r.fields, textValue)}\n`;
        if (!opts.color) return `${ts} ${level} [${layer}]${caller} ${rest}`;
        return `${DIM}${ts}${RESET} ${levelColors[r.levelName]}${level}${RESET} ${colorOfLayer(r.layer)}[${layer}]${RESET}${caller} ${rest}`;
      },
    };
  }
  const date = compileStrftime(opts.dateFormat ?? '%Y-%m-%d');
  const time = compileStrftime(opts.timeFormat ?? '%H:%M:%S.%L');
  const paint = (color: string, text: string) => (opts.color ? `${color}${text}${RESET}` : text);
  const name = compileTemplate<LogRecord>(opts.loggerNameFormat ?? '[{name}]', {
    name: (r) => escapeText(r.layer),
    layer: (r) => escapeText(r.layer),
  });
  const message = compileTemplate<LogRecord>(opts.messageFormat ?? '{message}', {
    message: (r) => escapeText(r.message),
    level: (r) => r.levelName,
    name: (r) => escapeText(r.layer),
    layer: (r) => escapeText(r.layer),
  });
  const pid = String(process.pid);
  let hostname: string | undefined; // looked up on first use: node:os is not loaded for templates without it
  const line = compileTemplate<LogRecord>(opts.template ?? DEFAULT_TEMPLATE, {
    timestamp: (r) => paint(DIM, `${date(r.time)} ${time(r.time)}`),
    date: (r) => paint(DIM, date(r.time)),
    time: (r) => paint(DIM, time(r.time)),
    level: (r) => paint(levelColors[r.levelName], paddedLevel(r.levelName)),
    layer: (r) => paint(colorOfLayer(r.layer), escapeText(r.layer)),
    name: (r) => paint(colorOfLayer(r.layer), name(r)),
    message,
    fields: (r) => kvFields(stackLines ? fieldsWithoutStack(r.fields, r.error) : r.fields, textValue),
    caller: (r) => (r.caller === undefined ? '' : ` (${escapeText(`${r.caller.file}:${r.caller.line}`)})`),
    pid: () => pid,
    hostname: () => (hostname ??= escapeText(lazyOs().hostname())),
  });
  return {
    name: 'plain-text',
    format: stackLines
      ? (r: LogRecord): string => `${line(r)}\n${stackBlock(r.error)}`
      : (r: LogRecord): string => `${line(r)}\n`,
  };
}
