import { escapeText, shouldColor } from 'hydra-logger';
import type { FlagSpec, ParsedArgs } from './args.js';
import { createFilter, type LineFilter } from './filters.js';
import { parseLine } from './record.js';
import { parseFieldList, parseTimeFormat, RecordRenderer, TIME_FORMATS } from './render.js';

/** The flags `pretty` and `tail` share. */
export const VIEW_FLAGS: readonly FlagSpec[] = [
  {
    name: 'level',
    kind: 'value',
    value: '<min>',
    help: 'only records at this level or above (trace … critical)',
  },
  {
    name: 'layer',
    kind: 'value',
    value: '<name,…>',
    help: 'only records of these layers (pino/bunyan: name)',
  },
  {
    name: 'grep',
    kind: 'value',
    value: '<text|/re/>',
    help: 'only lines containing the text (any case), or matching /regex/flags',
  },
  {
    name: 'fields',
    kind: 'value',
    value: '<a,b>',
    help: 'show only these fields (dotted paths reach into objects)',
  },
  {
    name: 'time',
    kind: 'value',
    value: '<format>',
    help: `time column: ${TIME_FORMATS.join(', ')} (default local)`,
  },
];

/** A line in, the text to write out (or `undefined` to leave it out). */
export type LineView = (line: string) => string | undefined;

export interface ViewSetup {
  view: LineView;
  filter: LineFilter;
}

/**
 * Builds the filter and renderer from the flags. `raw`: lines that pass are written as they are.
 * Colour follows the core's decision for stdout (TTY, NO_COLOR, FORCE_COLOR, TERM=dumb).
 * Lines that are not records pass through unchanged, except on a terminal, where their control
 * characters are made visible (a log file must not be able to drive the terminal).
 */
export function createView(args: ParsedArgs, raw = false, env: NodeJS.ProcessEnv = process.env): ViewSetup {
  const filter = createFilter({
    level: args.values.get('level'),
    layer: args.values.get('layer'),
    grep: args.values.get('grep'),
  });
  const renderer = new RecordRenderer({
    color: shouldColor('auto', process.stdout, env),
    time: parseTimeFormat(args.values.get('time')),
    fields: parseFieldList(args.values.get('fields')),
  });
  const terminal = process.stdout.isTTY === true;
  const passThrough = terminal ? (line: string) => `${escapeText(line)}\n` : (line: string) => `${line}\n`;
  const view: LineView = (line) => {
    const record = parseLine(line);
    if (!filter.keep(line, record)) return undefined;
    if (raw || record === undefined) return passThrough(line);
    return renderer.render(record);
  };
  return { view, filter };
}
