import { REMEMBERED_KEYS } from '../internal/shared-sizes.js';
import { LEVEL_NAMES, type LevelName } from '../record/levels.js';
import type { Fields, LogRecord } from '../record/record.js';
import { escapeJson, jsonString } from './escape.js';
import type { Formatter } from './formatter.js';
import { IsoClock } from './timestamp.js';

/**
 * NDJSON: `{"timestamp":"…","level":"INFO","layer":"APP","message":"…",…fields}`.
 * The static parts are precomputed. Strings, and fields holding only primitives (the common
 * record), are written directly, byte for byte what `JSON.stringify` followed by
 * {@link escapeJson} writes; anything else goes through them.
 */
export function createJsonFormatter(): Formatter {
  const clock = new IsoClock();
  const levelPart = new Map<LevelName, string>();
  for (const name of [...LEVEL_NAMES, 'NOTSET' as const]) levelPart.set(name, `","level":"${name}","layer":`);
  // Records of one millisecond, level and layer share everything before the message, and the
  // records of one call site their keys.
  let time = Number.NaN;
  let level: LevelName | undefined;
  let layer: unknown;
  let head = '';
  const keys: KeyParts = { keys: [], parts: [] };
  return {
    name: 'json',
    format(r: LogRecord): string {
      if (r.time !== time || r.levelName !== level || r.layer !== layer) {
        time = r.time;
        level = r.levelName;
        layer = r.layer;
        head = `{"timestamp":"${clock.iso(r.time)}${levelPart.get(r.levelName)}${json(r.layer)},"message":`;
      }
      let line = head + json(r.message);
      if (r.caller !== undefined) line += `,"caller":${json(r.caller)}`;
      return r.fields === undefined ? `${line}}\n` : `${line}${fieldsTail(r.fields, keys)}\n`;
    },
  };
}

/** The `,"key":` text of the previous record's first {@link REMEMBERED_KEYS} keys, by position. */
interface KeyParts {
  keys: string[];
  parts: string[];
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Line-safe JSON of any value; what a template literal makes of `JSON.stringify(v)` (`undefined` included). */
function json(v: unknown): string {
  return typeof v === 'string' ? jsonString(v) : escapeJson(`${JSON.stringify(v)}`);
}

/**
 * The fields after the core keys: `,"k":v,…}`, or `}` when there are none. A plain object of
 * primitives is written key by key, in the order and with the values JSON.stringify gives
 * (own enumerable keys, `undefined` left out, non-finite numbers as `null`); anything else
 * (nested values, `toJSON`, arrays, class instances) is stringified whole.
 */
function fieldsTail(f: Fields, kept: KeyParts): string {
  const proto = Object.getPrototypeOf(f);
  if ((proto !== Object.prototype && proto !== null) || typeof f.toJSON === 'function') return stringified(f);
  let out = '';
  let i = 0;
  // for-in with the own-key test, not Object.keys: same keys in the same order, read without a
  // generic keyed lookup.
  for (const k in f) {
    if (!hasOwn.call(f, k)) continue;
    const v = f[k];
    let value: string;
    switch (typeof v) {
      case 'string':
        value = jsonString(v);
        break;
      case 'number':
        value = Number.isFinite(v) ? `${v}` : 'null';
        break;
      case 'boolean':
        value = v ? 'true' : 'false';
        break;
      case 'undefined':
        continue;
      default:
        if (v !== null) return stringified(f);
        value = 'null';
    }
    let key: string;
    if (kept.keys[i] === k) key = kept.parts[i] as string;
    else {
      key = `,${jsonString(k)}:`;
      if (i < REMEMBERED_KEYS) {
        kept.keys[i] = k;
        kept.parts[i] = key;
      }
    }
    i++;
    out += key + value;
  }
  return `${out}}`;
}

function stringified(f: Fields): string {
  const s = escapeJson(JSON.stringify(f) ?? '{}');
  return s.length > 2 ? `,${s.slice(1)}` : '}';
}
