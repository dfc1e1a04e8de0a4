import { LEVEL_NAMES, parseLevel } from 'hydra-logger';
import { commaList, UsageError } from './args.js';
import type { LogLine } from './record.js';

/**
 * `--level`, `--layer` and `--grep`. A line that is not a record has no level and no layer: with
 * `--level` or `--layer` it is left out; `--grep` applies to every line, record or not.
 */
export interface LineFilter {
  /** Whether to show `line` (its parsed record, or `undefined` for a line that is not one). */
  keep(line: string, record: LogLine | undefined): boolean;
  /** Whether lines that are not records can pass. */
  readonly passesText: boolean;
}

export interface FilterFlags {
  level?: string | undefined;
  layer?: string | undefined;
  grep?: string | undefined;
}

/** `/regex/flags`, or text matched case-insensitively anywhere in the line. */
function grepMatcher(spec: string): (line: string) => boolean {
  const close = spec.lastIndexOf('/');
  if (spec.length > 1 && spec.startsWith('/') && close > 0) {
    const flags = spec.slice(close + 1);
    let re: RegExp;
    try {
      // The pattern is the user's own (trusted input, like grep's): run as given. `g`/`y` would make
      // `test` stateful across lines, so they are refused.
      if (/[gy]/.test(flags)) throw new Error('flags g and y are not allowed');
      re = new RegExp(spec.slice(1, close), flags);
    } catch (err) {
      throw new UsageError(`--grep expects text or /regex/flags, got ${spec}: ${(err as Error).message}`);
    }
    return (line) => re.test(line);
  }
  const needle = spec.toLowerCase();
  return (line) => line.toLowerCase().includes(needle);
}

export function createFilter(flags: FilterFlags): LineFilter {
  let minLevel: number | undefined;
  if (flags.level !== undefined) {
    minLevel = parseLevel(flags.level);
    if (minLevel === undefined)
      throw new UsageError(
        `--level expects a level (${LEVEL_NAMES.map((n) => n.toLowerCase()).join(', ')}; warn and fatal too), got ${JSON.stringify(flags.level)}`,
      );
  }
  const layers = commaList('layer', flags.layer)?.map((l) => l.toUpperCase());
  const grep = flags.grep === undefined ? undefined : grepMatcher(flags.grep);
  if (flags.grep === '') throw new UsageError('--grep expects text or /regex/flags, got ""');
  const structural = minLevel !== undefined || layers !== undefined;
  return {
    passesText: !structural,
    keep(line, record) {
      if (structural) {
        if (record === undefined) return false;
        if (minLevel !== undefined && (record.level === undefined || record.level < minLevel)) return false;
        if (
          layers !== undefined &&
          (record.layer === undefined || !layers.includes(record.layer.toUpperCase()))
        )
          return false;
      }
      return grep === undefined || grep(line);
    },
  };
}
