import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type Fields, REDACTED } from '../index.js';
import { HTTP_LIMITS } from '../internal/limits.js';

/** Headers whose values are credentials whatever the logger's redaction rules say. */
const ALWAYS_REDACTED: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

/** Which headers are written: none, all, or those named (lower-cased once, at setup). */
export type HeaderSelection = false | true | ReadonlySet<string>;

export function headerSelection(option: boolean | readonly string[] | undefined): HeaderSelection {
  if (option === undefined || option === false) return false;
  if (option === true) return true;
  return new Set(option.map((h) => h.toLowerCase()));
}

function cut(v: string): string {
  return v.length > HTTP_LIMITS.headerMaxLength ? `${v.slice(0, HTTP_LIMITS.headerMaxLength)}…` : v;
}

/**
 * The selected headers as fields: credentials (`authorization`, `cookie`, `set-cookie`,
 * `proxy-authorization`, and every name `isSensitive` accepts, such as `x-api-key`) as
 * `[REDACTED]`, other values cut at `headerMaxLength`, `referer` and `location` through
 * `redactUrl` (their query strings carry tokens).
 */
export function pickHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  selection: true | ReadonlySet<string>,
  isSensitive: (key: string) => boolean,
  redactUrl: (url: string) => string,
): Fields {
  const out: Fields = {};
  for (const name of Object.keys(headers)) {
    const key = name.toLowerCase();
    if (selection !== true && !selection.has(key)) continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (ALWAYS_REDACTED.has(key) || isSensitive(key)) {
      out[key] = REDACTED;
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[key] = key === 'referer' || key === 'location' ? redactUrl(cut(text)) : cut(text);
  }
  return out;
}
