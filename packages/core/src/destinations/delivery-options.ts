import type { Checker } from '../config/checker.js';
import { isObject, show } from '../config/checker.js';
import type { OptionCheck } from './type.js';

const positiveInt = (v: unknown, at: string, c: Checker): void => c.positiveInt(v, at);

const nonNegativeInt = (v: unknown, at: string, c: Checker): void => {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0))
    c.fail(at, `expected an integer ≥ 0, got ${show(v)}`);
};

/**
 * Checks a nested object's keys (snake_case aliases resolved, unknown keys named) and each value,
 * then puts the checked copy back into the destination (`d[key]`).
 */
function nested(
  key: string,
  checks: Readonly<Record<string, (v: unknown, at: string, c: Checker) => void>>,
  what: string,
  required: readonly string[] = [],
): OptionCheck {
  return (v, at, c, d) => {
    if (v === undefined) return;
    if (!isObject(v)) {
      c.fail(at, `expected ${what}, got ${show(v)}`);
      return;
    }
    const o = c.keys(v, Object.keys(checks), at);
    for (const r of required) if (o[r] === undefined) c.fail(`${at}.${r}`, 'is required');
    for (const [k, check] of Object.entries(checks)) check(o[k], `${at}.${k}`, c);
    d[key] = o;
  };
}

const pem = (v: unknown, at: string, c: Checker): void => {
  const one = (x: unknown) => typeof x === 'string' || Buffer.isBuffer(x);
  if (v !== undefined && !(one(v) || (Array.isArray(v) && v.length > 0 && v.every(one))))
    c.fail(
      at,
      `expected PEM text (a string or a Buffer${at.endsWith('.ca') ? ', or a list of them' : ''}), got ${show(v)}`,
    );
};

/**
 * The delivery keys every network destination takes (`maxQueueBytes`, `batch`, `retry`,
 * `timeoutMs`, `spool`): spread into a destination type's `options`. The engine fills in the
 * defaults (`DELIVERY_LIMITS`, internal/limits.ts).
 */
export const DELIVERY_OPTIONS: Readonly<Record<string, OptionCheck>> = {
  maxQueueBytes: (v, at, c) => positiveInt(v, at, c),
  batch: nested(
    'batch',
    { maxRecords: positiveInt, maxBytes: positiveInt, maxDelayMs: nonNegativeInt },
    'an object { maxRecords, maxBytes, maxDelayMs }',
  ),
  retry: nested(
    'retry',
    { maxAttempts: positiveInt, baseMs: positiveInt, maxMs: positiveInt },
    'an object { maxAttempts, baseMs, maxMs }',
  ),
  timeoutMs: (v, at, c) => positiveInt(v, at, c),
  spool: nested(
    'spool',
    {
      dir: (v, at, c) => {
        if (v !== undefined && (typeof v !== 'string' || v === ''))
          c.fail(at, `expected a directory path, got ${show(v)}`);
      },
      maxBytes: positiveInt,
    },
    'an object { dir, maxBytes }',
    ['dir'],
  ),
};

/** `tls: { ca, cert, key, rejectUnauthorized, servername }` of a network destination (certificates verified by default). */
export const TLS_OPTION: Readonly<Record<string, OptionCheck>> = {
  tls: nested(
    'tls',
    {
      ca: pem,
      cert: pem,
      key: pem,
      rejectUnauthorized: (v, at, c) => {
        if (v !== undefined && typeof v !== 'boolean') c.fail(at, `expected true or false, got ${show(v)}`);
      },
      servername: (v, at, c) => c.string(v, at),
    },
    'an object { ca, cert, key, rejectUnauthorized, servername }',
  ),
};

/** Cross-key rules of the delivery keys (call from a type's `check`): a retry bound below its base. */
export function checkDelivery(d: Record<string, unknown>, p: string, c: Checker): void {
  const r = d.retry as { baseMs?: unknown; maxMs?: unknown } | undefined;
  if (isObject(r) && typeof r.baseMs === 'number' && typeof r.maxMs === 'number' && r.maxMs < r.baseMs)
    c.fail(`${p}.retry.maxMs`, `expected at least retry.baseMs (${r.baseMs}), got ${r.maxMs}`);
}

/** `compress: 'gzip' | 'none'` of the network destinations that can gzip what they send. */
export const COMPRESS_OPTION: OptionCheck = (v, at, c) => c.oneOf(v, ['gzip', 'none'], at);

/** An http:// or https:// URL; `required`: also when absent; `example` shows the expected form. */
export function urlOption(required: boolean, example = ''): OptionCheck {
  return (v, at, c) => {
    if (v === undefined && !required) return;
    let ok = false;
    if (typeof v === 'string')
      try {
        const u = new URL(v);
        ok = u.protocol === 'http:' || u.protocol === 'https:';
      } catch {}
    if (!ok) c.fail(at, `expected an http:// or https:// URL${example}, got ${show(v)}`);
  };
}

/** `headers`: HTTP header names → string values without line breaks (they go on the request as they are). */
export const HEADERS_OPTION: OptionCheck = (v, at, c) => {
  if (v === undefined) return;
  if (!isObject(v)) {
    c.fail(at, `expected an object of header name → string value, got ${show(v)}`);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) c.fail(`${at}.${k}`, 'expected a valid HTTP header name');
    else if (typeof x !== 'string' || /[\r\n\0]/.test(x))
      c.fail(`${at}.${k}`, `expected a string without line breaks, got ${show(x)}`);
  }
};
