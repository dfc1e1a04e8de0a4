import { digitRun, redactAuthorization, redactCard, redactPair, redactPhone } from './pii-rules.js';

/**
 * The secrets and personal data redacted from strings by default (SPEC §7).
 *
 * Every regex here is linear-time by construction and proved so by test/security/redos.test.ts:
 * no unbounded quantifier (`*`, `+`, `{n,}`), no ambiguous nesting, and a lookbehind that stops a
 * scan from restarting inside a run it has already rejected. Replacements are built by code, never
 * by `String.prototype.replace` templates, so `$&` or `$1` in data or placeholders stay literal.
 */

/** One named pattern: what it finds, the literal text written instead, and cheap pre-checks. */
export interface RedactionPattern {
  /** Unique name; also the kind counted in `DataSanitizer.stats().byKind`. */
  readonly name: string;
  /** A global regex; the sanitizer runs its own clone, so this one is never advanced. */
  readonly regex: RegExp;
  /** Literal text written instead of the match (patterns with `replace` keep part of the match, see there). */
  readonly placeholder: string;
  /** Cheap necessary condition: when it returns false the regex cannot match and is skipped. */
  readonly hint?: (s: string) => boolean;
  /**
   * The regex cannot match a string whose longest run of digits and number separators holds
   * fewer digits than this ({@link digitRun}; checked before `hint`).
   */
  readonly minDigits?: number;
  /** Builds the replacement of one match (literal text). Returning the match unchanged means "not a secret". */
  readonly replace?: (m: RegExpExecArray) => string;
}

const ANY_PAIR_KEY = /pass|pwd|secret|token|key|session|authori|credential|cookie/i;
const AUTH_SCHEME_HINT = /earer|asic|EARER|ASIC/;
const COOKIE_HINT = /cookie/i;
const AWS_HINT = /A(?:KI|SI|BI|CC)A/;
/**
 * Something every built-in pattern without a digit condition needs (case-insensitively, so it is
 * a superset): a string that fails this and has fewer than {@link MIN_DIGITS} digits cannot
 * match any of them, and is answered after one test.
 */
const ANY_TRIGGER = /[=:@]|-----begin|eyj|bearer|basic|cookie|a(?:ki|si|bi|cc)a/i;
/**
 * A necessary condition of {@link ANY_TRIGGER}, tried first because it is about twice as cheap:
 * a two- or four-character piece of each trigger, both cases spelled out instead of the `i`
 * flag. Most strings fail it and are answered without the longer alternation.
 */
const TRIGGER_PIECE =
  /[=:@]|--|[Yy][Jj]|[Bb](?:[Ee][Aa]|[Aa][Ss])|[Oo][Kk]|[Aa](?:[KkSsBb][Ii]|[Cc][Cc])[Aa]/;

/**
 * The built-in patterns, applied in this order (earlier ones first, so a JWT inside a `token=`
 * pair is counted once, as a JWT, and a URL's `user:pass@` goes before the email pattern sees it).
 */
export const PII_PATTERNS: readonly RedactionPattern[] = Object.freeze(
  (
    [
      {
        name: 'private_key',
        // A block without its END line (cut by a length limit) is redacted to the end of the window.
        regex:
          /-----BEGIN[A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,65536}?-----END[A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----|[\s\S]{0,65536})/g,
        placeholder: '[REDACTED_PRIVATE_KEY]',
        hint: (s) => s.includes('-----BEGIN'),
      },
      {
        name: 'jwt',
        regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,8192}/g,
        placeholder: '[REDACTED_JWT]',
        hint: (s) => s.includes('eyJ'),
      },
      {
        name: 'url_credentials',
        regex: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^\s/?#@]{1,512}@/g,
        placeholder: 'scheme://[REDACTED]@',
        hint: (s) => s.includes('://'),
        replace: (m) => `${m[1]}[REDACTED]@`,
      },
      {
        name: 'authorization',
        regex:
          /(?<![A-Za-z0-9])(Bearer|Basic|bearer|basic|BEARER|BASIC)[ \t]{1,8}([A-Za-z0-9._~+/-]{1,8192}={0,2})/g,
        placeholder: 'Bearer [REDACTED]',
        hint: (s) => AUTH_SCHEME_HINT.test(s),
        replace: redactAuthorization,
      },
      {
        name: 'cookie_header',
        regex:
          /(?<![A-Za-z0-9_-])((?:set-)?cookie["']?[ \t]{0,4}[:=][ \t]{0,4})("[^"\r\n]{0,4096}"|'[^'\r\n]{0,4096}'|[^\r\n]{1,8192})/gi,
        placeholder: 'cookie: [REDACTED]',
        hint: (s) => COOKIE_HINT.test(s),
        replace: redactPair,
      },
      {
        name: 'secret_pair',
        regex:
          /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|session[_-]?id|sessionid|authorization|credentials?)(?:\\?["'])?[ \t]{0,4}[:=][ \t]{0,4})(\\"[^"\r\n]{0,1024}?\\"|"[^"\r\n]{0,1024}"|'[^'\r\n]{0,1024}'|(?:bearer|basic|digest|token)[ \t]{1,4}[^\s,;&"']{1,4096}|(?:\\?["'])?[^\s,;&"'<>{}[\]]{1,4096})/gi,
        placeholder: 'password=[REDACTED]',
        hint: (s) => (s.includes('=') || s.includes(':')) && ANY_PAIR_KEY.test(s),
        replace: redactPair,
      },
      {
        name: 'aws_access_key',
        regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
        placeholder: '[REDACTED_AWS_KEY]',
        hint: (s) => AWS_HINT.test(s),
      },
      {
        name: 'email',
        regex: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g,
        placeholder: '[REDACTED_EMAIL]',
        hint: (s) => s.includes('@'),
      },
      {
        name: 'credit_card',
        regex: /[2-6](?<![A-Za-z0-9][2-6])\d(?:[ -]?\d){11,17}(?![A-Za-z0-9])/g,
        placeholder: '[REDACTED_CREDIT_CARD]',
        minDigits: 13,
        replace: redactCard,
      },
      {
        name: 'ssn',
        regex:
          /[0-8](?<![A-Za-z0-9-][0-8])\d{2}(?<!000|666)([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![A-Za-z0-9-])/g,
        placeholder: '[REDACTED_SSN]',
        minDigits: 9,
      },
      {
        name: 'phone',
        // International (+country …, digits counted by redactPhone) or a US form with separators;
        // never a bare digit run, so timestamps, ids and counts are left alone.
        regex:
          /(?<![\w+.-])(?:\+[1-9][\d .()-]{5,22}\d|(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4})(?![\w-])/g,
        placeholder: '[REDACTED_PHONE]',
        minDigits: 8,
        replace: redactPhone,
      },
    ] satisfies RedactionPattern[]
  ).map((p) => Object.freeze(p)),
);

/** Fewest digits any digit-based built-in pattern (card, SSN, phone) needs. */
export const MIN_DIGITS = 8;

/**
 * A necessary condition of `digitRun(s, MIN_DIGITS) >= MIN_DIGITS`, tried first because a native
 * scan is cheaper than the loop: a run holding 8 digits starts with a digit followed by at least
 * 7 more digits or separators ({7} is MIN_DIGITS − 1).
 */
const DIGIT_RUN_START = /\d[\d .()+-]{7}/;

/** Whether a string may hold a match of some built-in pattern (a cheap necessary condition). */
export function mayHoldBuiltInMatch(s: string): boolean {
  return (
    (DIGIT_RUN_START.test(s) && digitRun(s, MIN_DIGITS) >= MIN_DIGITS) ||
    (TRIGGER_PIECE.test(s) && ANY_TRIGGER.test(s))
  );
}

/** The other regexes of this module (hints and helpers), listed for the ReDoS test. */
export const PII_HELPER_REGEXES: readonly RegExp[] = Object.freeze([
  ANY_PAIR_KEY,
  AUTH_SCHEME_HINT,
  COOKIE_HINT,
  AWS_HINT,
  ANY_TRIGGER,
  TRIGGER_PIECE,
  DIGIT_RUN_START,
]);
