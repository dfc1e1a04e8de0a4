import { createRequire } from 'node:module';
import { HTTP_LIMITS } from '../internal/limits.js';

/** node:crypto on the first generated id: an application that always receives ids never loads it. */
let uuid: (() => string) | undefined;
export function randomRequestId(): string {
  uuid ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomUUID;
  return uuid();
}

/**
 * Whether an incoming request id may be used as is: 1 to `requestIdMaxLength` characters of
 * `A-Z a-z 0-9 - _ . : / + = @`. Anything else (a log-forging newline, a megabyte, markup) is
 * replaced by a generated id. A loop, not a regex: no backtracking to reason about.
 */
export function isValidRequestId(id: string): boolean {
  const n = id.length;
  if (n === 0 || n > HTTP_LIMITS.requestIdMaxLength) return false;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      c === 0x2d || // -
      c === 0x5f || // _
      c === 0x2e || // .
      c === 0x3a || // :
      c === 0x2f || // /
      c === 0x2b || // +
      c === 0x3d || // =
      c === 0x40; // @
    if (!ok) return false;
  }
  return true;
}
