import type { LogRecord, SerializedError } from '../record/record.js';
import { REDACTED } from '../security/data-sanitizer.js';
import type { SecurityVerdict } from './types.js';

/** Why `v` is not a {@link SecurityVerdict}, or `undefined` when it is one. */
export function verdictProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null)
    return `returned ${describe(v)}, not a verdict ({ action: 'allow' | 'redact' | 'block' })`;
  const action = (v as { action?: unknown }).action;
  if (action === 'allow' || action === 'block') return undefined;
  if (action === 'redact') {
    const paths = (v as { paths?: unknown }).paths;
    if (!Array.isArray(paths)) return "returned { action: 'redact' } without a list of paths";
    return undefined;
  }
  return `returned an unknown action ${describe(action)} (expected 'allow', 'redact' or 'block')`;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function')
    return 'a Promise (plugin hooks are synchronous)';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * Applies a `redact` verdict without touching the objects it was given (they may be the
 * caller's): every path that exists is replaced by `[REDACTED]` along freshly copied parents.
 * Returns the new record, how many values were replaced, and the paths that were not understood
 * (they must start with `message` or `fields`).
 */
export function redactPaths(
  record: LogRecord,
  paths: readonly (string | readonly (string | number)[])[],
): { record: LogRecord; redacted: number; invalid: string[] } {
  let r = record;
  let redacted = 0;
  const invalid: string[] = [];
  for (const p of paths) {
    const segs = typeof p === 'string' ? p.split('.') : Array.isArray(p) ? p.map(String) : undefined;
    if (segs === undefined || segs.length === 0) {
      invalid.push(String(p));
      continue;
    }
    if (segs.length === 1 && segs[0] === 'message') {
      if (r.message !== REDACTED) {
        r = { ...r, message: REDACTED };
        redacted++;
      }
    } else if (segs[0] === 'fields' && segs.length >= 2 && r.fields !== undefined) {
      const key = segs[1] as string;
      const fields = replaceAt(r.fields, segs.slice(1));
      if (fields !== r.fields) {
        const old = r.fields[key];
        r = { ...r, fields: fields as Record<string, unknown> };
        // record.error is the same object as the field it came from: keep them in step.
        if (r.error !== undefined && r.error === old) {
          const now = (fields as Record<string, unknown>)[key];
          r.error = typeof now === 'object' && now !== null ? (now as SerializedError) : undefined;
        }
        redacted++;
      }
    } else if (segs[0] !== 'fields') invalid.push(segs.join('.'));
  }
  return { record: r, redacted, invalid };
}

/** `value` with the item at `path` replaced by REDACTED (copies along the path), or `value` itself when the path is absent. */
function replaceAt(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return REDACTED;
  if (typeof value !== 'object' || value === null) return value;
  const [key, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(value, key)) return value;
  const child = (value as Record<string, unknown>)[key];
  const next = replaceAt(child, rest);
  if (next === child) return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  (copy as Record<string, unknown>)[key] = next;
  return copy;
}

/** Why `v` is not usable as a record, or `undefined` when it is. */
export function recordProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return `returned ${describe(v)}, not a record (return the record, or null to drop it)`;
  if (typeof (v as { then?: unknown }).then === 'function') return `returned ${describe(v)}`;
  const r = v as Partial<LogRecord>;
  if (typeof r.time !== 'number' || !Number.isFinite(r.time))
    return 'returned a record without a numeric `time`';
  if (typeof r.level !== 'number' || !Number.isFinite(r.level))
    return 'returned a record without a numeric `level`';
  if (typeof r.layer !== 'string') return 'returned a record without a string `layer`';
  if (typeof r.message !== 'string') return 'returned a record without a string `message`';
  if (
    r.fields !== undefined &&
    (typeof r.fields !== 'object' || r.fields === null || Array.isArray(r.fields))
  )
    return 'returned a record whose `fields` is not an object';
  return undefined;
}
