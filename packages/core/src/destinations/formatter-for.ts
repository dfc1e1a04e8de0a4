import type { ColorMode, ColorTarget } from '../formats/colors.js';
import { shouldColor } from '../formats/colors.js';
import type { FormatOptions, Formatter } from '../formats/formatter.js';
import { createFormatter, type FormatName } from '../formats/index.js';
import { isTerminal } from '../internal/builtins.js';
import { type LevelName, levelName, parseLevel } from '../record/levels.js';
import type { DestinationContext } from './context.js';
import type { DestinationConfig } from './type.js';

/** How a destination type formats: its default format, what the colour decision looks at, its colour mode. */
export interface FormatterChoice {
  /** The type's default format (a destination's `format` wins). */
  format: FormatName;
  /** The console's fd or a stream: colour and terminal checks look at it. */
  target?: ColorTarget;
  /** The colour mode, resolved by the type from the destination's `colorMode`. */
  colorMode: ColorMode;
  /** Error stacks on lines of their own when the target is a terminal (plain-text). */
  stackLines: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The destination's formatter, shared with every destination of the pipeline that formats the same way. */
export function formatterFor(
  d: DestinationConfig,
  choice: FormatterChoice,
  ctx: DestinationContext,
): Formatter {
  const format = (str(d.format) as FormatName | undefined) ?? choice.format;
  const levelColors: Partial<Record<LevelName, string>> = {};
  for (const [k, v] of Object.entries((d.levelColors as Record<string, string> | undefined) ?? {}))
    levelColors[levelName(parseLevel(k) ?? 0)] = v;
  const opts: FormatOptions = {
    color: shouldColor(choice.colorMode, choice.target, ctx.env),
    levelColors,
    ...(d.template !== undefined && { template: d.template as string }),
    ...(d.dateFormat !== undefined && { dateFormat: d.dateFormat as string }),
    ...(d.timeFormat !== undefined && { timeFormat: d.timeFormat as string }),
    ...(d.loggerNameFormat !== undefined && { loggerNameFormat: d.loggerNameFormat as string }),
    ...(d.messageFormat !== undefined && { messageFormat: d.messageFormat as string }),
    ...(d.appName !== undefined && { appName: d.appName as string }),
    ...(d.hostname !== undefined && { hostname: d.hostname as string }),
    ...(d.facility !== undefined && { facility: d.facility as number }),
    ...(d.rfc !== undefined && { rfc: d.rfc as '5424' | '3164' }),
    // Error stacks on lines of their own only where a person reads them: a terminal. Files and
    // pipes (what collectors read) keep one record per line.
    ...(choice.stackLines &&
      format === 'plain-text' &&
      writesToTerminal(choice.target) && { stackLines: true }),
  };
  // Layer colours are one table per pipeline, read only by coloured plain-text: the key names the
  // table by identity, never by its contents (10,000 layers made each key ~200 KB to build).
  const layerColors = opts.color && format === 'plain-text' ? ctx.layerColors : undefined;
  const key = JSON.stringify([format, opts, layerColors === undefined ? 0 : tableId(layerColors)]);
  let f = ctx.formatters.get(key);
  if (f === undefined) {
    f = createFormatter(
      format,
      ctx.layerColors === undefined ? opts : { ...opts, layerColors: ctx.layerColors },
      ctx.plugins,
    );
    ctx.formatters.set(key, f);
  }
  return f;
}

const tableIds = new WeakMap<object, number>();
let nextTableId = 1;
/** A number naming `table` for as long as it lives (formatter cache keys). */
function tableId(table: object): number {
  let id = tableIds.get(table);
  if (id === undefined) {
    id = nextTableId++;
    tableIds.set(table, id);
  }
  return id;
}

/** A console on a TTY, or a stream that says it is one (`isTTY`, as `process.stdout` does). */
function writesToTerminal(target: ColorTarget): boolean {
  return typeof target === 'number'
    ? isTerminal(target)
    : (target as { isTTY?: boolean } | undefined)?.isTTY === true;
}
