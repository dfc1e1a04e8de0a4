import { LEVELS, type LevelName, levelName, parseLevel } from 'hydra-logger';

/**
 * One JSON log line, whoever wrote it, read into one shape:
 *
 * | writer | message | level | time | layer |
 * |---|---|---|---|---|
 * | hydra-logger `json` | `message` | `"INFO"` … | `timestamp` (ISO) | `layer` |
 * | hydra-logger `gelf` | `short_message` (stack in `full_message`) | syslog severity 0–7 | `timestamp` (s) | `_layer` |
 * | pino | `msg` | 10–60 | `time` (epoch ms) | `name` |
 * | bunyan | `msg` | 10–60 | `time` (ISO) | `name` |
 *
 * Levels are mapped onto the core's scale (pino/bunyan 10 trace, 20 debug, 30 info, 40 warn,
 * 50 error, 60 fatal → TRACE … CRITICAL; syslog 0–2 CRITICAL, 3 ERROR, 4 WARNING, 5–6 INFO, 7 DEBUG).
 */
export interface LogLine {
  /** Epoch milliseconds, when the line has a readable time. */
  time: number | undefined;
  /** Level on the core's scale (`LEVELS`), when known. */
  level: number | undefined;
  /** `INFO`, `WARNING` …, or the line's own level text (upper case) when it is not one of ours. */
  levelName: string | undefined;
  layer: string | undefined;
  message: string;
  /** Every other key of the line, in order. */
  fields: Record<string, unknown>;
  /** Keys of `fields` not shown unless asked for with `--fields` (pid, hostname, bunyan's `v` …). */
  hidden: ReadonlySet<string>;
  /** GELF `full_message`: the stack of the record's error. */
  stack: string | undefined;
  writer: 'hydra' | 'gelf' | 'pino' | 'bunyan' | 'json';
}

const NONE: ReadonlySet<string> = new Set();
const PINO_HIDDEN: ReadonlySet<string> = new Set(['pid', 'hostname']);
const BUNYAN_HIDDEN: ReadonlySet<string> = new Set(['pid', 'hostname', 'v']);
const GELF_HIDDEN: ReadonlySet<string> = new Set(['version', 'host']);

/** pino/bunyan level number → the core's level (custom levels between take the one below). */
function fromPinoLevel(n: number): number {
  if (n >= 60) return LEVELS.CRITICAL;
  if (n >= 50) return LEVELS.ERROR;
  if (n >= 40) return LEVELS.WARNING;
  if (n >= 30) return LEVELS.INFO;
  if (n >= 20) return LEVELS.DEBUG;
  return LEVELS.TRACE;
}

/** Syslog severity (GELF `level`) → the core's level. */
function fromSyslogSeverity(n: number): number {
  if (n <= 2) return LEVELS.CRITICAL;
  if (n === 3) return LEVELS.ERROR;
  if (n === 4) return LEVELS.WARNING;
  if (n <= 6) return LEVELS.INFO;
  return LEVELS.DEBUG;
}

/** Epoch ms of a time value: ISO text, epoch ms, or epoch seconds (GELF; numbers below 10^11). */
function readTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? Math.round(v * 1000) : v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function levelOf(level: number | undefined): { level: number | undefined; levelName: string | undefined } {
  return level === undefined ? { level, levelName: undefined } : { level, levelName: levelName(level) };
}

function rest(o: Record<string, unknown>, skip: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (!skip.includes(k)) define(out, k, o[k]);
  return out;
}

function define(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The record in a line, or `undefined` when the line is not a JSON object that looks like a log
 * record (no message and no level): such lines are shown as they are.
 */
export function parseLine(line: string): LogLine | undefined {
  const first = line.charCodeAt(line.search(/\S/));
  if (first !== 0x7b /* { */) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  return readRecord(o as Record<string, unknown>);
}

/** A parsed JSON object as a {@link LogLine} (see {@link parseLine}). */
export function readRecord(o: Record<string, unknown>): LogLine | undefined {
  if (typeof o.short_message === 'string' && (o.version === '1.1' || '_layer' in o)) {
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
      if (['short_message', 'full_message', 'timestamp', 'level', '_layer'].includes(k)) continue;
      // GELF additional fields are `_<key>` (and `__id` for `id`).
      define(fields, k === '__id' ? 'id' : k.startsWith('_') ? k.slice(1) : k, o[k]);
    }
    return {
      time: readTime(o.timestamp),
      ...levelOf(typeof o.level === 'number' ? fromSyslogSeverity(o.level) : undefined),
      layer: str(o._layer),
      message: o.short_message,
      fields,
      hidden: GELF_HIDDEN,
      stack: str(o.full_message),
      writer: 'gelf',
    };
  }
  if (typeof o.level === 'number' && 'msg' in o) {
    const bunyan = typeof o.v === 'number' && 'hostname' in o && typeof o.name === 'string';
    return {
      time: readTime(o.time),
      ...levelOf(fromPinoLevel(o.level)),
      layer: str(o.name),
      message: text(o.msg),
      fields: rest(o, ['level', 'time', 'msg', 'name']),
      hidden: bunyan ? BUNYAN_HIDDEN : PINO_HIDDEN,
      stack: undefined,
      writer: bunyan ? 'bunyan' : 'pino',
    };
  }
  if (!('message' in o) && !('msg' in o) && !('level' in o)) return undefined;
  const ours = typeof o.timestamp === 'string' && typeof o.layer === 'string' && typeof o.level === 'string';
  const messageKey = 'message' in o ? 'message' : 'msg';
  const timeKey = 'timestamp' in o ? 'timestamp' : 'time';
  const layerKey = typeof o.layer === 'string' ? 'layer' : typeof o.name === 'string' ? 'name' : undefined;
  let level: number | undefined;
  let name: string | undefined;
  if (typeof o.level === 'number') level = o.level >= 10 && o.level <= 60 ? fromPinoLevel(o.level) : o.level;
  else if (typeof o.level === 'string') {
    level = parseLevel(o.level);
    if (level === undefined) name = o.level.toUpperCase();
  }
  const levels = level === undefined ? { level, levelName: name } : levelOf(level);
  return {
    time: readTime(o[timeKey]),
    ...levels,
    layer: layerKey === undefined ? undefined : (o[layerKey] as string),
    message: text(o[messageKey]),
    fields: rest(o, ['level', timeKey, messageKey, ...(layerKey === undefined ? [] : [layerKey])]),
    hidden: NONE,
    stack: undefined,
    writer: ours ? 'hydra' : 'json',
  };
}

/** The canonical level name of a core level number (for the bridge). */
export function coreLevelName(level: number): LevelName {
  return levelName(level);
}
