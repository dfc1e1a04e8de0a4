import {
  digitRun,
  redactAuthorization,
  redactAwsKey,
  redactCard,
  redactEmail,
  redactIban,
  redactPair,
  redactPhone,
  redactRandomToken,
  redactUrlCredentials,
} from './pii-rules.js';

/**
 * The secrets and personal data redacted from strings by default (docs/security.md).
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

const ANY_PAIR_KEY = /pass|pwd|secret|token|key|session|authori|credential|cookie|sig/i;
const AUTH_SCHEME_HINT = /earer|asic|EARER|ASIC/;
const COOKIE_HINT = /cookie/i;
const AWS_HINT = /A(?:KI|SI|BI|CC)A/;
/**
 * Something every built-in pattern without a digit condition needs (case-insensitively, so it is
 * a superset): a string that fails this and has fewer than {@link MIN_DIGITS} digits cannot
 * match any of them, and is answered after one test.
 */
const ANY_TRIGGER =
  /[=:@]|%3d|-----begin|eyj|bearer|basic|cookie|a(?:ki|si|bi|cc)a|gh[pousr]_|github_pat_|xox[abeprs]-|xapp-|\.slack\.com\/|[sr]k_(?:live|test)_|whsec_|aiza|npm_|sk-|sg\./i;
/**
 * A necessary condition of the patterns {@link ANY_TRIGGER} stands for, tried first because it
 * is about twice as cheap: a short piece of each trigger, both cases spelled out instead of the
 * `i` flag where the pattern ignores case. The token patterns are case-sensitive and so are their
 * pieces: a `_` after `ghp`, `github`, `sk`, `rk`, `whsec` or `npm`; a `-` after `sk`, `xoxb`
 * or `xapp`; `.sl` for `hooks.slack.com`, a `.` after `SG`; `za` after `AI`. Every alternative
 * starts with a character that is rare in ordinary text (the lookbehinds run only there), which
 * keeps the scan as fast as a character-class test. Most strings fail it and are answered
 * without the longer alternation.
 */
const TRIGGER_PIECE =
  /[=:@]|_(?<=gh[pousr]_|github_|[sr]k_|whsec_|npm_)|--|-(?<=sk-|xox[abeprs]-|xapp-)|%3[Dd]|[Yy][Jj]|[Bb](?:[Ee][Aa]|[Aa][Ss])|[Oo][Kk]|[Aa](?:[KkSsBb][Ii]|[Cc][Cc])[Aa]|\.sl|\.(?<=SG\.)|za(?<=AIza)/;

/**
 * The built-in patterns, applied in this order (earlier ones first, so a JWT or a GitHub token
 * inside a `token=` pair is counted once, as what it is, and a URL's `user:pass@` goes before the
 * email pattern sees it).
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
        name: 'github_token',
        // Classic (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server-to-server, ghr_ refresh) and fine-grained.
        regex: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{40,255})/g,
        placeholder: '[REDACTED_GITHUB_TOKEN]',
        hint: (s) => (s.includes('gh') && s.includes('_')) || s.includes('github_pat_'),
      },
      {
        name: 'slack_token',
        regex: /(?<![A-Za-z0-9])(?:xox[abeprs]|xapp)-[A-Za-z0-9-]{10,255}/g,
        placeholder: '[REDACTED_SLACK_TOKEN]',
        hint: (s) => s.includes('xox') || s.includes('xapp-'),
        replace: redactRandomToken('[REDACTED_SLACK_TOKEN]', 5),
      },
      {
        name: 'slack_webhook',
        regex: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_/-]{8,255}/g,
        placeholder: 'hooks.slack.com/services/[REDACTED]',
        hint: (s) => s.includes('hooks.slack.com/'),
        replace: (m) => `${m[1]}[REDACTED]`,
      },
      {
        name: 'stripe_key',
        regex: /(?<![A-Za-z0-9])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{10,255}|whsec_[A-Za-z0-9]{20,255})/g,
        placeholder: '[REDACTED_STRIPE_KEY]',
        hint: (s) => s.includes('k_live_') || s.includes('k_test_') || s.includes('whsec_'),
      },
      {
        name: 'google_api_key',
        regex: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}/g,
        placeholder: '[REDACTED_GOOGLE_API_KEY]',
        hint: (s) => s.includes('AIza'),
      },
      {
        name: 'npm_token',
        regex: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36,255}/g,
        placeholder: '[REDACTED_NPM_TOKEN]',
        hint: (s) => s.includes('npm_'),
      },
      {
        name: 'openai_key',
        // sk-…, sk-proj-…, sk-svcacct-…, sk-admin-… (and other vendors' sk- keys); a body without a
        // digit or mixed case is a word ("sk-learn-compatible-estimator") and is kept.
        regex: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,512}/g,
        placeholder: '[REDACTED_OPENAI_KEY]',
        hint: (s) => s.includes('sk-'),
        replace: redactRandomToken('[REDACTED_OPENAI_KEY]', 3),
      },
      {
        name: 'sendgrid_key',
        regex: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{32,64}/g,
        placeholder: '[REDACTED_SENDGRID_KEY]',
        hint: (s) => s.includes('SG.'),
      },
      {
        name: 'url_credentials',
        regex: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[^\s/?#@]{1,512}@/g,
        placeholder: 'scheme://[REDACTED]@',
        hint: (s) => s.includes('://'),
        replace: redactUrlCredentials,
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
        name: 'digest_response',
        // HTTP Digest authentication: the response is a hash of the password (before secret_pair,
        // which takes "Digest username=…" and would leave the rest of the header to this one).
        regex: /(?<![A-Za-z0-9_-])(response[ \t]{0,4}=[ \t]{0,4})("[^"\r\n]{0,1024}"|[^\s,;"]{1,1024})/gi,
        placeholder: 'response="[REDACTED]"',
        hint: (s) => (s.includes('igest') || s.includes('IGEST')) && s.includes('='),
        replace: redactPair,
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
        // The key may be percent-encoded (`access%5Ftoken%3D…` in an encoded redirect URL).
        regex:
          /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.%-]{0,40}?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|session[_-]?id|sessionid|authorization|credentials?|signature|sig)(?:\\?["'])?[ \t]{0,4}(?:[:=]|%3d)[ \t]{0,4})(\\"[^"\r\n]{0,1024}?\\"|"[^"\r\n]{0,1024}"|'[^'\r\n]{0,1024}'|(?:bearer|basic|digest|token)[ \t]{1,4}[^\s,;&"']{1,4096}|(?:\\?["'])?[^\s,;&"'<>{}[\]]{1,4096})/gi,
        placeholder: 'password=[REDACTED]',
        hint: (s) => (s.includes('=') || s.includes(':') || s.includes('%3')) && ANY_PAIR_KEY.test(s),
        replace: redactPair,
      },
      {
        name: 'aws_access_key',
        // The id, and a secret access key written right after it (`AKIA… wJalr…`).
        regex:
          /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])(?:([\s,;:|="']{1,8})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))?/g,
        placeholder: '[REDACTED_AWS_KEY]',
        hint: (s) => AWS_HINT.test(s),
        replace: redactAwsKey,
      },
      {
        name: 'iban',
        // Country, check digits, then groups of four (spaced or not); the country's length and the
        // mod-97 check decide (redactIban).
        regex: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?/g,
        placeholder: '[REDACTED_IBAN]',
        // Every national format's account part holds a run of 10 digits or more (with the check
        // digits); an ISO timestamp's date ("2026-11-26T…") holds 8 and skips this regex.
        minDigits: 10,
        replace: redactIban,
      },
      {
        name: 'email',
        regex: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g,
        placeholder: '[REDACTED_EMAIL]',
        hint: (s) => s.includes('@'),
        replace: redactEmail,
      },
      {
        name: 'credit_card',
        regex: /[2-6](?<![A-Za-z0-9][2-6])\d(?:[ .-]{0,3}\d){11,17}(?![A-Za-z0-9])/g,
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
