/**
 * The checks behind the built-in patterns that a regex cannot express: the Luhn checksum and
 * issuer digit of a card, the digit count of a phone number, prose after "Basic", and the
 * replacements that keep part of a match. Pure functions of one match.
 */

/** The separators a card number may be written with: a space, dash or dot, up to three ("4111  1111", "4111 - 1111"). */
const CARD_SEPARATOR = /([ .-]{1,3})/;
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
 * Whether groups of digits joined by `separators` may be read as one card number. Single spaces
 * and dashes are how cards are usually written and are trusted; dots, double spaces and mixed
 * separators are also how decimals, timestamps, versions and tables are written, so with those the
 * groups must have a card's layout (4-4-4-4 with an optional last group of 1–3, or 4-6-4/4-6-5)
 * and one separator throughout: "4111.1111.1111.1111" is a card, "23.456789012345" and
 * "2026.11.26 21.49.12.563" are not.
 */
function cardLayout(groups: readonly string[], separators: readonly string[]): boolean {
  if (separators.every((s) => s === ' ' || s === '-')) return true;
  if (separators.some((s) => s !== separators[0])) return false;
  const lengths = groups.map((g) => g.length).join(',');
  return CARD_LAYOUTS.has(lengths);
}

const CARD_LAYOUTS: ReadonlySet<string> = new Set([
  '4,4,4,4',
  '4,4,4,4,1',
  '4,4,4,4,2',
  '4,4,4,4,3',
  '4,6,4',
  '4,6,5',
]);

/**
 * A run of digits with optional separators (spaces, dashes, dots) may hold a card next to other
 * digits ("4111 1111 1111 1111 2"): redact the longest run of whole groups that is a card number
 * written in a card's layout ({@link cardLayout}).
 */
export function redactCard(m: RegExpExecArray): string {
  const text = m[0];
  // The common case: a whole run with single spaces or dashes (or none) that is a card.
  if (singleSeparators(text) && isCardText(text)) return '[REDACTED_CREDIT_CARD]';
  const parts = text.split(CARD_SEPARATOR);
  // parts: group, separator, group, separator, … (groups at even indexes)
  if (parts.length === 1) return text;
  for (let len = parts.length; len >= 1; len -= 2) {
    for (let start = 0; start + len <= parts.length; start += 2) {
      const groups: string[] = [];
      const separators: string[] = [];
      for (let i = start; i < start + len; i++) (i % 2 === 0 ? groups : separators).push(parts[i] as string);
      const digits = groups.join('');
      if (digits.length < 13 || digits.length > 19) continue;
      if (isCardNumber(digits) && cardLayout(groups, separators))
        return `${parts.slice(0, start).join('')}[REDACTED_CREDIT_CARD]${parts.slice(start + len).join('')}`;
    }
  }
  return text;
}

/** Digits separated by single spaces or dashes only (no dot, no two separators in a row). */
function singleSeparators(text: string): boolean {
  let previousDigit = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (!digit && (c === 46 || !previousDigit)) return false;
    previousDigit = digit;
  }
  return true;
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
 * An e-mail pattern match that is the user and host of an scp-like git remote or copy target
 * (`git@github.com:org/repo.git`, `deploy@build.example.com:/srv/app`) is not an e-mail
 * address: it is followed by `:` and a path holding a `/` (an `alice@example.com:hunter2` pair
 * has none, and stays redacted). Neither is `git@host` right after `ssh://`.
 */
export function redactEmail(m: RegExpExecArray): string {
  const s = m.input;
  // The git user of an ssh URL (`ssh://git@github.com/…`), which url_credentials left alone.
  if (m[0].startsWith('git@') && m.index >= 3 && s.startsWith('://', m.index - 3)) return m[0];
  let i = m.index + m[0].length;
  if (s.charCodeAt(i) !== 58 /* : */) return '[REDACTED_EMAIL]';
  let slash = false;
  const end = Math.min(s.length, i + 1 + 512);
  for (i++; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 /* / */) slash = true;
    else if (c === 64 /* @ */) return '[REDACTED_EMAIL]';
    else if (!isPathChar(c)) break;
  }
  return slash ? m[0] : '[REDACTED_EMAIL]';
}

/** Letters, digits and `. _ ~ -`: what the path of a git remote is made of (besides `/`). */
function isPathChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 45
  );
}

/**
 * The userinfo of a URL is replaced, except the bare user name `git` of an ssh git remote
 * (`ssh://git@github.com/org/repo.git`), which every host gives every user: it is not a credential.
 */
export function redactUrlCredentials(m: RegExpExecArray): string {
  // A token pattern already replaced the userinfo (`https://[REDACTED_GITHUB_TOKEN]@…`): counted once.
  if (m[0] === `${m[1]}git@` || m[0].includes('[REDACTED')) return m[0];
  return `${m[1]}[REDACTED]@`;
}

/** Whether `s` holds a digit, or both an upper- and a lower-case letter: random, not a word. */
export function looksRandom(s: string): boolean {
  let upper = false;
  let lower = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
    if (upper && lower) return true;
  }
  return false;
}

/** A token whose body (after its prefix) is random: `sk-…`, `xoxb-…`; "sk-learn-compatible-estimator" is kept. */
export function redactRandomToken(placeholder: string, prefix: number): (m: RegExpExecArray) => string {
  return (m) => (looksRandom(m[0].slice(prefix)) ? placeholder : m[0]);
}

/**
 * An AWS access key id, and the secret access key written right after it (`AKIA… wJalr…`,
 * `AKIA…,wJalr…`): 40 characters of base64 holding both upper- and lower-case letters (a
 * lower-case hex digest next to a key id is not one).
 */
export function redactAwsKey(m: RegExpExecArray): string {
  const secret = m[2];
  if (secret === undefined) return '[REDACTED_AWS_KEY]';
  let upper = false;
  let lower = false;
  for (let i = 0; i < secret.length; i++) {
    const c = secret.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
  }
  const tail = upper && lower ? '[REDACTED_AWS_SECRET]' : secret;
  return `[REDACTED_AWS_KEY]${m[1]}${tail}`;
}

/** IBAN length by country (the IBAN registry); a country not listed has no IBAN. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.freeze({
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
});

/** ISO 13616 check: the country's length, check digits 02–98, and the whole number mod 97 = 1. */
export function ibanValid(compact: string): boolean {
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const check = Number(compact.slice(2, 4));
  if (!(check >= 2 && check <= 98)) return false;
  let rem = 0;
  for (let k = 0; k < compact.length; k++) {
    const c = compact.charCodeAt((k + 4) % compact.length);
    const v = c <= 57 ? c - 48 : c - 55;
    rem = (rem * (v < 10 ? 10 : 100) + v) % 97;
  }
  return rem === 1;
}

/**
 * An IBAN, compact or in groups of four (`DE89 3704 0044 0532 0130 00`): the match may run on
 * into a following word or group, so it is cut after the country's length (at a group's end)
 * before the check; the rest of the match is kept.
 */
export function redactIban(m: RegExpExecArray): string {
  const text = m[0];
  const length = IBAN_LENGTHS[text.slice(0, 2)];
  if (length === undefined) return text;
  let compact = '';
  let i = 0;
  for (; i < text.length && compact.length < length; i++) if (text.charCodeAt(i) !== 32) compact += text[i];
  if (compact.length < length || (i < text.length && text.charCodeAt(i) !== 32)) return text;
  return ibanValid(compact) ? `[REDACTED_IBAN]${text.slice(i)}` : text;
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
export const PII_RULE_REGEXES: readonly RegExp[] = Object.freeze([CARD_SEPARATOR, LOWERCASE_WORD]);
