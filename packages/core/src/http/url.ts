import { REDACTED } from '../index.js';
import { HTTP_LIMITS } from '../internal/limits.js';

function decodeKey(raw: string): string {
  const plus = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * The request target as the completion record shows it: the fragment dropped, cut at
 * `pathMaxLength`, and the query either dropped (`strip`) or with the value of every parameter
 * whose (decoded) name `isSensitive` accepts replaced by `[REDACTED]` (`redact`), so
 * `/login?token=abc&next=/home` is written `/login?token=[REDACTED]&next=/home`. Past
 * `queryMaxParams` parameters the rest of the query is replaced by `…`.
 */
export function loggedPath(
  url: string,
  mode: 'redact' | 'strip',
  isSensitive: (key: string) => boolean,
): string {
  const hash = url.indexOf('#');
  let target = hash === -1 ? url : url.slice(0, hash);
  // Cut before redacting: a cut through a value must not leave the start of a secret behind.
  if (target.length > HTTP_LIMITS.pathMaxLength) target = target.slice(0, HTTP_LIMITS.pathMaxLength);
  const q = target.indexOf('?');
  if (q === -1) return target;
  const path = target.slice(0, q);
  if (mode === 'strip') return path;
  // Most queries hold no secret: checked in place, and the target returned as it is.
  let start = q + 1;
  let count = 0;
  let clean = true;
  while (start <= target.length) {
    if (count === HTTP_LIMITS.queryMaxParams) {
      clean = false;
      break;
    }
    let amp = target.indexOf('&', start);
    if (amp === -1) amp = target.length;
    const eq = target.indexOf('=', start);
    if (eq !== -1 && eq < amp && isSensitive(decodeKey(target.slice(start, eq)))) {
      clean = false;
      break;
    }
    count++;
    start = amp + 1;
  }
  if (clean) return target;
  const params = target.slice(q + 1).split('&', HTTP_LIMITS.queryMaxParams + 1);
  const out: string[] = [];
  for (let i = 0; i < params.length; i++) {
    if (i === HTTP_LIMITS.queryMaxParams) {
      out.push('…');
      break;
    }
    const p = params[i] as string;
    const eq = p.indexOf('=');
    const key = eq === -1 ? p : p.slice(0, eq);
    out.push(eq !== -1 && isSensitive(decodeKey(key)) ? `${key}=${REDACTED}` : p);
  }
  return `${path}?${out.join('&')}`;
}
