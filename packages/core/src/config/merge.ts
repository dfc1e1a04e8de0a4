import { ConfigValidationError } from '../errors.js';
import { CONFIG_LIMITS } from '../internal/limits.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Deep-merges configurations left to right: plain objects merge key by key, anything else
 * (arrays such as `destinations`, scalars, streams) is replaced by the later value. Returns a new
 * object; the inputs are not touched. A `__proto__`, `constructor` or `prototype` key anywhere is
 * a {@link ConfigValidationError}: merging never lets them through.
 */
export function mergeConfigs<T extends object = Record<string, unknown>>(
  ...configs: readonly (object | undefined)[]
): T {
  let out: Record<string, unknown> = {};
  for (const c of configs) if (c !== undefined) out = mergeInto(out, c as Record<string, unknown>, '', 0);
  return out as T;
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string,
  depth: number,
): Record<string, unknown> {
  // Config files are merged before they are validated: a file nested thousands of levels deep
  // would overflow the stack here (RangeError) instead of failing as a config error.
  if (depth > CONFIG_LIMITS.maxDepth)
    throw new ConfigValidationError([
      {
        path,
        message: `nested deeper than ${CONFIG_LIMITS.maxDepth} levels (CONFIG_LIMITS.maxDepth, docs/limits.md)`,
      },
    ]);
  const out: Record<string, unknown> = { ...target };
  for (const key of Object.keys(source)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (FORBIDDEN.has(key))
      throw new ConfigValidationError([
        { path: at, message: 'this key is not allowed (prototype pollution guard)' },
      ]);
    const v = source[key];
    const prev = out[key];
    out[key] = isPlainObject(v) ? mergeInto(isPlainObject(prev) ? prev : {}, v, at, depth + 1) : v;
  }
  return out;
}
