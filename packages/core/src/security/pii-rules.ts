/**
 * The checks behind the built-in patterns that a regex cannot express: the Luhn checksum and
 * issuer digit of a card, the digit count of a phone number, prose after "Basic", and the
 * replacements that keep part of a match. Pure functions of one match.
 */

const CARD_SEPARATOR = /([ -])/;
const CARD_SEPARATORS = /[ -]/g;
const LOWERCASE_WORD = /^[a-z]{1,19}$/;

/** Luhn checksum of a string of decimal digits (payment card numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** A card number: 13–19 digits, an issuer's first digit (2–6: Mastercard, Amex/JCB/Diners, Visa, Mastercard, Discover/UnionPay), Luhn-valid. */
function isCardNumber(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  return digits.length >= 13 && digits.length <= 19 && first >= 2 && first <= 6 && luhnValid(digits);
}

/**
 * A run of digits with optional single spaces or dashes may hold a card next to other digits
 * ("4111 1111 1111 1111 2"): redact the longest run of whole groups that is a card number.
 */
export function redactCard(m: RegExpExecArray): string {
  if (isCardText(m[0])) return '[REDACTED_CREDIT_CARD]';
  const parts = m[0].split(CARD_SEPARATOR);
  // parts: group, separator, group, separator, … (groups at even indexes)
  for (let len = parts.length; len >= 1; len -= 2) {
    for (let start = 0; start + len <= parts.length; start += 2) {
      const digits = parts
        .slice(start, start + len)
        .join('')
        .replace(CARD_SEPARATORS, '');
      if (digits.length < 13) continue;
      if (isCardNumber(digits))
        return `${parts.slice(0, start).join('')}[REDACTED_CREDIT_CARD]${parts.slice(start + len).join('')}`;
    }
  }
  return m[0];
}

/** {@link isCardNumber} of the digits of `text`, without building the digit string (the common case). */
function isCardText(text: string): boolean {
  let sum = 0;
  let n = 0;
  let first = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    let d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) continue;
    first = d;
    if (n++ % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return n >= 13 && n <= 19 && first >= 2 && first <= 6 && sum % 10 === 0;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * International numbers have 8–15 digits (E.164); one written without any separator needs at
 * least 11, so "+1000000000" (a count) is left alone while "+14155552671" is redacted.
 */
export function redactPhone(m: RegExpExecArray): string {
  const text = m[0];
  if (text.charCodeAt(0) !== 43 /* + */) return '[REDACTED_PHONE]';
  const digits = countDigits(text);
  const separated = digits !== text.length - 1;
  return digits >= 8 && digits <= 15 && (separated || digits >= 11) ? '[REDACTED_PHONE]' : text;
}

/**
 * "Basic" followed by a lower-case word ("Basic checks passed") is prose, not a credential (a
 * base64 `user:password` is never a short run of lower-case letters). "Bearer" has no such
 * exception: a token cannot be told from a word, and "Bearer" is rare in prose.
 */
export function redactAuthorization(m: RegExpExecArray): string {
  const scheme = m[1] ?? '';
  if (scheme.toLowerCase() === 'basic' && LOWERCASE_WORD.test(m[2] ?? '')) return m[0];
  return `${scheme} [REDACTED]`;
}

/** Key and separator kept; quotes around the value kept; a value that is already a placeholder is left alone. */
export function redactPair(m: RegExpExecArray): string {
  const value = m[2] ?? '';
  if (value.includes('[REDACTED')) return m[0];
  const q = value.startsWith('\\"') ? '\\"' : value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${m[1]}${q}[REDACTED]${q}`;
}

/**
 * Digits in the longest run of digits and the separators card, SSN and phone numbers use
 * (space . ( ) + -); counting stops at `cap`. "2026-11-26T21:49" has runs of 8 and 4 digits, a
 * user agent "Mozilla/5.0 (X11; …" none longer than 2: neither can hold a card number.
 */
export function digitRun(s: string, cap: number): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run > best && (best = run) >= cap) return best;
    } else if (c !== 32 && c !== 46 && c !== 40 && c !== 41 && c !== 43 && c !== 45) run = 0;
  }
  return best;
}

/** Regexes of this module, listed for the ReDoS test. */
export const PII_RULE_REGEXES: readonly RegExp[] = Object.freeze([
  CARD_SEPARATOR,
  CARD_SEPARATORS,
  LOWERCASE_WORD,
]);
