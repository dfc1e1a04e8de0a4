import {
  ANSI,
  DEFAULT_LEVEL_COLORS,
  escapeText,
  kvKey,
  type LevelName,
  layerColor,
  RESET,
  textValue,
} from 'hydra-logger';
import { commaList, UsageError } from './args.js';
import { CLI_LIMITS } from './limits.js';
import type { LogLine } from './record.js';

/** `--time`: how the time column is written. */
export const TIME_FORMATS = ['local', 'iso', 'relative', 'epoch', 'HH:MM:ss.SSS'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  time: TimeFormat;
  /** `--fields`: only these fields (top-level keys, or dotted paths into objects). */
  fields: readonly string[] | undefined;
}

export function parseTimeFormat(value: string | undefined): TimeFormat {
  if (value === undefined) return 'local';
  if ((TIME_FORMATS as readonly string[]).includes(value)) return value as TimeFormat;
  throw new UsageError(`--time expects one of ${TIME_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
}

export function parseFieldList(value: string | undefined): string[] | undefined {
  return commaList('fields', value);
}

const DIM = ANSI.dim as string;
const pad2 = (n: number) => String(n).padStart(2, '0');
const pad3 = (n: number) => String(n).padStart(3, '0');

function clock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad3(d.getMilliseconds())}`;
}

/** An error-like value: an object with a string `stack` (ours, pino's and bunyan's serializers write one). */
interface ErrorLike {
  stack: string;
  [key: string]: unknown;
}

function isErrorLike(v: unknown): v is ErrorLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { stack?: unknown }).stack === 'string'
  );
}

/** The error as it stays on the record's line: everything but the stacks (of it and its causes). */
function withoutStacks(e: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(e)) {
    if (k === 'stack') continue;
    const v = e[k];
    let value = v;
    if (depth < CLI_LIMITS.maxNestedErrors && k === 'cause' && isErrorLike(v))
      value = withoutStacks(v, depth + 1);
    else if (depth < CLI_LIMITS.maxNestedErrors && k === 'errors' && Array.isArray(v))
      value = v.map((x) => (isErrorLike(x) ? withoutStacks(x, depth + 1) : x));
    // defineProperty: a key named `__proto__` (JSON.parse makes it an own key) stays a key.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function stackLines(
  out: string[],
  label: string,
  stack: string,
  e: ErrorLike | undefined,
  depth: number,
): void {
  const lines = stack.split('\n');
  out.push(`  ${label}${escapeText(lines[0] ?? '')}`);
  for (let i = 1; i < lines.length; i++) out.push(`  ${escapeText(lines[i] as string)}`);
  if (e === undefined || depth >= CLI_LIMITS.maxNestedErrors) return;
  if (isErrorLike(e.cause)) stackLines(out, 'Caused by: ', e.cause.stack, e.cause, depth + 1);
  if (Array.isArray(e.errors))
    e.errors.forEach((x, i) => {
      if (isErrorLike(x)) stackLines(out, `[errors[${i}]] `, x.stack, x, depth + 1);
    });
}

function pick(fields: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(fields, path)) return fields[path];
  let v: unknown = fields;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Records → readable lines: `time LEVEL [layer] message key=value …`, then the stacks of error
 * fields on indented lines. Everything that comes from the log line goes through the core's
 * escaping (`escapeText`, `kvKey`, `textValue`): control characters and ANSI sequences in the data
 * are made visible, so a log line cannot move the cursor or recolour the terminal. Colour codes
 * come only from here.
 */
export class RecordRenderer {
  readonly #o: RenderOptions;
  #firstTime: number | undefined;

  constructor(options: RenderOptions) {
    this.#o = options;
  }

  #paint(color: string | undefined, s: string): string {
    return this.#o.color && color !== undefined ? `${color}${s}${RESET}` : s;
  }

  #time(t: number | undefined): string {
    if (t === undefined) return '';
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) return '';
    switch (this.#o.time) {
      case 'iso':
        return d.toISOString();
      case 'epoch':
        return String(t);
      case 'HH:MM:ss.SSS':
        return clock(d);
      case 'relative': {
        this.#firstTime ??= t;
        const ms = t - this.#firstTime;
        return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(3)}s`;
      }
      default:
        return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clock(d)}`;
    }
  }

  /** The text for one record, ending in `\n` (several lines when it has stacks). */
  render(r: LogLine): string {
    const parts: string[] = [];
    const time = this.#time(r.time);
    if (time !== '') parts.push(this.#paint(DIM, time));
    const name = escapeText(r.levelName ?? '-').padEnd(8, ' ');
    const levelColor = ANSI[DEFAULT_LEVEL_COLORS[r.levelName as LevelName] ?? ''];
    parts.push(this.#paint(levelColor, name));
    if (r.layer !== undefined) parts.push(this.#paint(layerColor(r.layer), `[${escapeText(r.layer)}]`));
    let line = `${parts.join(' ')} ${escapeText(r.message)}`;
    const stacks: string[] = [];
    const keys = this.#o.fields ?? Object.keys(r.fields).filter((k) => !r.hidden.has(k));
    for (const k of keys) {
      let v = this.#o.fields === undefined ? r.fields[k] : pick(r.fields, k);
      if (v === undefined) continue;
      if (isErrorLike(v)) {
        stackLines(stacks, '', v.stack, v, 0);
        v = withoutStacks(v, 0);
      }
      line += ` ${kvKey(k)}=${textValue(v)}`;
    }
    if (r.stack !== undefined && this.#o.fields === undefined) stackLines(stacks, '', r.stack, undefined, 0);
    return stacks.length === 0
      ? `${line}\n`
      : `${line}\n${stacks.map((s) => this.#paint(DIM, s)).join('\n')}\n`;
  }
}
