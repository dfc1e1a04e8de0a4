/**
 * Keys whose value is a secret whatever it looks like: `{ password: 'x' }`, `{ 'X-Api-Key': … }`.
 * A key is compared after {@link normalizeKey} (lower case, `-`, `_`, `.` and white space
 * removed), so `apiKey`, `API_KEY`, `Api-Key` and `api key` are one key.
 */

/**
 * How a sensitive key is matched against a normalized field key:
 * `exact` (the whole key), `suffix` (`githubToken` for `token`), `contains` (`dbPasswordConfirm` for `password`).
 */
export type KeyMatch = 'exact' | 'suffix' | 'contains';

export interface SensitiveKey {
  readonly key: string;
  readonly match: KeyMatch;
}

/**
 * The default list. Strong words match anywhere in a key (`signature` too: `X-Hub-Signature-256`);
 * short or common ones match only the whole key (`pin` is not `shipping`, `ssn` is not
 * `className`, `auth` is not `author`), and `token` only at the end (`accessToken`, but not
 * `maxTokens` or `tokenCount`), as do `dsn` (`sentryDsn`) and `otp` (`totp`, `smsOtp`).
 */
export const DEFAULT_SENSITIVE_KEYS: readonly SensitiveKey[] = Object.freeze(
  (
    [
      ['password', 'contains'],
      ['passwd', 'contains'],
      ['passphrase', 'contains'],
      ['secret', 'contains'],
      ['apikey', 'contains'],
      ['privatekey', 'contains'],
      ['credential', 'contains'],
      ['authorization', 'contains'],
      ['sessionid', 'contains'],
      ['creditcard', 'contains'],
      ['cardnumber', 'contains'],
      ['socialsecurity', 'contains'],
      ['stripekey', 'contains'],
      ['connectionstring', 'contains'],
      ['signature', 'contains'],
      ['mfacode', 'contains'],
      ['otpcode', 'contains'],
      ['token', 'suffix'],
      ['auth', 'suffix'],
      ['cookie', 'suffix'],
      ['cookies', 'suffix'],
      ['accesskey', 'suffix'],
      ['dsn', 'suffix'],
      ['otp', 'suffix'],
      ['pwd', 'exact'],
      ['pass', 'exact'],
      ['ssn', 'exact'],
      ['cvv', 'exact'],
      ['cvc', 'exact'],
      ['cvv2', 'exact'],
      ['pin', 'exact'],
      ['jwt', 'exact'],
      ['sid', 'exact'],
      ['bearer', 'exact'],
    ] as const
  ).map(([key, match]) => Object.freeze({ key, match })),
);

const KEY_SEPARATORS = /[-_.\s]/g;

/** Lower case, without `-`, `_`, `.` and white space: the form keys are compared in. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(KEY_SEPARATORS, '');
}

/** Regexes of this module, listed for the ReDoS test. */
export const SENSITIVE_KEY_REGEXES: readonly RegExp[] = Object.freeze([KEY_SEPARATORS]);

/** Cached answers stay bounded: a logger sees few distinct keys, an attacker may send many. */
const CACHE_LIMIT = 4096;

/**
 * A mutable set of sensitive keys with a per-key answer cache (the hot path asks about the same
 * few field names on every record).
 */
export class SensitiveKeyMatcher {
  readonly #exact = new Set<string>();
  readonly #suffix = new Set<string>();
  readonly #contains = new Set<string>();
  readonly #cache = new Map<string, boolean>();

  constructor(keys: readonly SensitiveKey[] = DEFAULT_SENSITIVE_KEYS) {
    // The default list is written normalized and without repeats (a test checks it): every logger
    // builds this set, and normalizing its keys twice each was a good part of a logger's construction.
    if (keys === DEFAULT_SENSITIVE_KEYS) for (const k of keys) this.#set(k.match).add(k.key);
    else for (const k of keys) this.add(k.key, k.match);
  }

  add(key: string, match: KeyMatch = 'exact'): void {
    const k = normalizeKey(key);
    if (k === '') return;
    this.remove(k);
    this.#set(match).add(k);
  }

  #set(match: KeyMatch): Set<string> {
    return match === 'contains' ? this.#contains : match === 'suffix' ? this.#suffix : this.#exact;
  }

  /** Removes the key whatever its match mode; returns whether it was present. */
  remove(key: string): boolean {
    const k = normalizeKey(key);
    this.#cache.clear();
    const had = this.#exact.delete(k);
    const hadSuffix = this.#suffix.delete(k);
    return this.#contains.delete(k) || hadSuffix || had;
  }

  /** Whether a field named `key` holds a secret. */
  matches(key: string): boolean {
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const answer = this.#compute(normalizeKey(key));
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, answer);
    return answer;
  }

  /** The current keys, for diagnostics and docs. */
  list(): SensitiveKey[] {
    const out: SensitiveKey[] = [];
    for (const key of this.#contains) out.push({ key, match: 'contains' });
    for (const key of this.#suffix) out.push({ key, match: 'suffix' });
    for (const key of this.#exact) out.push({ key, match: 'exact' });
    return out;
  }

  #compute(k: string): boolean {
    if (k === '') return false;
    if (this.#exact.has(k) || this.#suffix.has(k) || this.#contains.has(k)) return true;
    for (const s of this.#suffix) if (k.endsWith(s)) return true;
    for (const c of this.#contains) if (k.includes(c)) return true;
    return false;
  }
}
