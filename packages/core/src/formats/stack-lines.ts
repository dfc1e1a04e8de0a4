import type { Fields, SerializedError } from '../record/record.js';
import { escapeText } from './escape.js';

/**
 * Errors on a terminal: the stack of a record's error (and of its `cause` chain and
 * `AggregateError.errors`) as indented lines after the record's line, the way Node prints an
 * uncaught error, instead of one JSON string full of `\n`. Only for destinations that write to a
 * terminal (`FormatOptions.stackLines`): files and pipes keep exactly one record per line.
 */

/** How deep the `cause` / `errors` nesting is followed (the record's own depth limit also applies). */
const MAX_NESTED_ERRORS = 8;

function isSerializedError(v: unknown): v is SerializedError {
  return typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';
}

/** The error without `stack`, recursively through `cause` and `errors`: what stays on the record's line. */
function withoutStacks(e: SerializedError, depth: number): SerializedError {
  const out: SerializedError = { type: e.type, message: e.message };
  for (const k of Object.keys(e)) {
    if (k === 'stack' || k === 'type' || k === 'message') continue;
    const v = e[k];
    if (k === 'cause' && isSerializedError(v) && depth < MAX_NESTED_ERRORS)
      out.cause = withoutStacks(v, depth + 1);
    else if (k === 'errors' && Array.isArray(v) && depth < MAX_NESTED_ERRORS)
      out.errors = v.map((x) => (isSerializedError(x) ? withoutStacks(x, depth + 1) : x));
    else out[k] = v;
  }
  return out;
}

/** The key of `fields` holding `error` (the same object, or the first error with the same stack). */
function errorKey(fields: Fields, error: SerializedError): string | undefined {
  let byStack: string | undefined;
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (v === error) return k;
    if (byStack === undefined && isSerializedError(v) && v.stack === error.stack) byStack = k;
  }
  return byStack;
}

/** `fields` with the record's error written without stacks (a new object; the record is not changed). */
export function fieldsWithoutStack(
  fields: Fields | undefined,
  error: SerializedError | undefined,
): Fields | undefined {
  if (fields === undefined || error?.stack === undefined) return fields;
  const key = errorKey(fields, error);
  if (key === undefined) return fields;
  const out: Fields = {};
  for (const k of Object.keys(fields)) {
    Object.defineProperty(out, k, {
      value: k === key ? withoutStacks(error, 0) : fields[k],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function push(out: string[], label: string, e: SerializedError, depth: number): void {
  const stack = typeof e.stack === 'string' ? e.stack : `${e.type}: ${e.message}`;
  const lines = stack.split('\n');
  out.push(`  ${label}${escapeText(lines[0] ?? '')}`);
  for (let i = 1; i < lines.length; i++) out.push(`  ${escapeText(lines[i] as string)}`);
  if (depth >= MAX_NESTED_ERRORS) return;
  if (isSerializedError(e.cause)) push(out, 'Caused by: ', e.cause, depth + 1);
  if (Array.isArray(e.errors))
    e.errors.forEach((x, i) => {
      if (isSerializedError(x)) push(out, `[errors[${i}]] `, x, depth + 1);
    });
}

/** The indented stack lines of `error`, each ending in `\n`; '' when it has no stack. */
export function stackBlock(error: SerializedError | undefined): string {
  if (error?.stack === undefined) return '';
  const out: string[] = [];
  push(out, '', error, 0);
  return `${out.join('\n')}\n`;
}
