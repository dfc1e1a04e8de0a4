import { REMEMBERED_KEYS } from '../internal/shared-sizes.js';
import type { Fields, LogRecord, SerializedError } from '../record/record.js';
import { PatternScanner } from './pattern-scanner.js';
import { PII_PATTERNS, type RedactionPattern } from './pii-patterns.js';
import { cutPoint, SANITIZER_LIMITS, type SanitizerLimits } from './sanitizer-limits.js';
import {
  DEFAULT_SENSITIVE_KEYS,
  type KeyMatch,
  type SensitiveKey,
  SensitiveKeyMatcher,
} from './sensitive-keys.js';
import { ValueWalker } from './value-walker.js';

const noCount = (): void => {};

/** What replaces the value of a sensitive key, whatever its type. */
export const REDACTED = '[REDACTED]';

export interface DataSanitizerOptions {
  /** The string patterns, in order (default {@link PII_PATTERNS}). */
  patterns?: readonly RedactionPattern[];
  /** The sensitive keys (default {@link DEFAULT_SENSITIVE_KEYS}); a bare string matches the whole key. */
  sensitiveKeys?: readonly (string | SensitiveKey)[];
  limits?: Partial<SanitizerLimits>;
}

/** Counters of one sanitizer since it was created (or `resetStats()`). */
export interface RedactionStats {
  /** Values and substrings replaced, all kinds together. */
  redactions: number;
  /** By kind: `key` (a sensitive key's value) or a pattern's name (`email`, `jwt`, …). */
  byKind: Record<string, number>;
  /**
   * Limits that tripped: strings cut before scanning, values too deep, too many keys, cycles, and
   * strings whose content was withheld because the pass's scan budget was spent (`scan`).
   */
  truncations: { string: number; depth: number; breadth: number; circular: number; scan: number };
  /** Characters withheld unscanned by the scan budget (`maxScanPerRecord`), in all. */
  unscannedChars: number;
}

/**
 * Redacts secrets and personal data from any value and from log records (docs/security.md): values of
 * sensitive keys become `[REDACTED]`, pattern matches inside strings their placeholder.
 *
 * Copy on write: the input is never mutated, and a value with nothing to redact is returned as
 * the same reference (so the common case allocates nothing). Shared references are sanitized once
 * and stay shared in the copy; a reference back to an ancestor (a cycle) becomes `"[Circular]"`.
 */
export class DataSanitizer {
  readonly #scanner: PatternScanner;
  readonly #keys: SensitiveKeyMatcher;
  readonly #walker: ValueWalker;
  #stats: RedactionStats = emptyStats();
  readonly #maxString: number;
  readonly #maxScan: number;
  /** Characters the fast path (`#flatUnchanged`) has scanned in the current record. */
  #scanned = 0;
  /**
   * The plain keys of the previous flat record, by position (fields, then bindings, then
   * context): records from one call site repeat them, and an identity test is cheaper than a
   * lookup. Emptied when a pattern or a sensitive key is added.
   */
  readonly #plainKeys: string[] = [];

  constructor(options: DataSanitizerOptions = {}) {
    this.#scanner = new PatternScanner(options.patterns ?? PII_PATTERNS);
    this.#keys = new SensitiveKeyMatcher(
      options.sensitiveKeys === undefined
        ? DEFAULT_SENSITIVE_KEYS
        : options.sensitiveKeys.map((k) => (typeof k === 'string' ? { key: k, match: 'exact' as const } : k)),
    );
    const limits: SanitizerLimits = { ...SANITIZER_LIMITS, ...options.limits };
    this.#maxString = limits.maxStringLength;
    this.#maxScan = limits.maxScanPerRecord;
    const count = (kind: string): void => {
      this.#stats.redactions++;
      this.#stats.byKind[kind] = (this.#stats.byKind[kind] ?? 0) + 1;
    };
    this.#walker = new ValueWalker({
      limits,
      isSensitiveKey: (k) => this.#keys.matches(k),
      scan: (s) => this.#scanner.scan(s, count),
      redactKey: () => {
        count('key');
        return REDACTED;
      },
      truncated: (kind, chars) => {
        this.#stats.truncations[kind]++;
        if (chars !== undefined) this.#stats.unscannedChars += chars;
      },
      cutPoint,
    });
  }

  /**
   * Adds a string pattern (or replaces the one with this name). `placeholder` is written
   * literally. A string `regex` is compiled with the `g` flag; a RegExp gets `g` added if missing.
   * The regex is trusted code: keep it linear (bounded repetitions, no nested quantifiers).
   */
  addPattern(name: string, regex: RegExp | string, placeholder = REDACTED): this {
    this.#scanner.add({
      name,
      regex: typeof regex === 'string' ? new RegExp(regex, 'g') : regex,
      placeholder,
    });
    this.#walker.patternsChanged();
    this.#plainKeys.length = 0;
    return this;
  }

  removePattern(name: string): boolean {
    return this.#scanner.remove(name);
  }

  /** The pattern names, in the order they run. */
  patternNames(): string[] {
    return this.#scanner.names();
  }

  /** Adds a sensitive key; `match` decides whether `dbPassword` counts for `password` (default: whole key only). */
  addSensitiveKey(key: string, match: KeyMatch = 'exact'): this {
    this.#keys.add(key, match);
    this.#plainKeys.length = 0;
    return this;
  }

  removeSensitiveKey(key: string): boolean {
    return this.#keys.remove(key);
  }

  sensitiveKeys(): SensitiveKey[] {
    return this.#keys.list();
  }

  /** Whether a field of this name has its value replaced by `[REDACTED]`. */
  isSensitiveKey(key: string): boolean {
    return this.#keys.matches(key);
  }

  /**
   * The common record: flat fields of primitives, nothing to redact. Checked without the walker's
   * copy-on-write machinery (same scanner, same key matcher, same answers); any hit, nested value,
   * over-long string, number long enough to scan, or key or layer not yet known clean falls back
   * to the full pass, which then does the redacting (and learns the keys).
   */
  #flatUnchanged(record: LogRecord): boolean {
    this.#scanned = 0;
    if (!this.#walker.isKnownCleanKey(record.layer) || !this.#clean(record.message)) return false;
    let i = this.#flatClean(record.fields, 0);
    if (i >= 0) i = this.#flatClean(record.bindings, i);
    if (i >= 0) i = this.#flatClean(record.context, i);
    return i >= 0;
  }

  /**
   * A string the full pass would leave as is. Counts nothing: a hit, or a record past the scan
   * budget, falls back to the full pass, which counts it once.
   */
  #clean(s: string): boolean {
    this.#scanned += s.length;
    return (
      s.length <= this.#maxString && this.#scanned <= this.#maxScan && this.#scanner.scan(s, noCount) === s
    );
  }

  /** `o` needs no redaction: returns the position of its next key among the record's keys, or -1. */
  #flatClean(o: Fields | undefined, position: number): number {
    if (o === undefined) return position;
    let i = position;
    for (const k in o) {
      const v = o[k];
      switch (typeof v) {
        case 'string':
          if (!this.#clean(v)) return -1;
          break;
        case 'number':
          // The full pass scans long integers (a card number logged as a number).
          if (Number.isSafeInteger(v) && Math.abs(v) >= 1e12) return -1;
          break;
        case 'object':
          if (v !== null) return -1;
          break;
        case 'bigint':
          return -1;
      }
      if (!this.#plainKey(k, i++)) return -1;
    }
    return i;
  }

  /** Neither sensitive nor holding a pattern match (as found by an earlier full pass). */
  #plainKey(k: string, position: number): boolean {
    if (this.#plainKeys[position] === k) return true;
    if (this.#keys.matches(k) || !this.#walker.isKnownCleanKey(k)) return false;
    if (position < REMEMBERED_KEYS) this.#plainKeys[position] = k;
    return true;
  }

  /** No sensitive key and only primitive values (strings need no scan when no pattern runs). */
  #flatAndClean(o: Fields | undefined): boolean {
    if (o === undefined) return true;
    for (const k in o) {
      const v = o[k];
      if ((typeof v === 'object' && v !== null) || this.#keys.matches(k)) return false;
    }
    return true;
  }

  /** A redacted copy of `value` (the same reference when there was nothing to redact). */
  sanitize<T>(value: T): T | string {
    return this.#walker.walk(value) as T | string;
  }

  /** A redacted string (the same string when there was nothing to redact). */
  sanitizeString(s: string): string {
    return this.#walker.walk(s) as string;
  }

  /**
   * The record with message, fields, bindings, context, error and layer name redacted: a new
   * record when anything changed, else the same object. One pass: a value shared between
   * `fields`, `bindings` and `error` is sanitized once and stays shared. The layer is data too:
   * `logger.info(\`login by ${email}\`, status)` makes the first string the layer.
   */
  sanitizeRecord(record: LogRecord): LogRecord {
    // Keys-only redaction (no patterns, e.g. highPerformanceMode) of flat records: only the keys
    // need a look, and the key matcher caches its answers.
    if (
      this.#scanner.size === 0 &&
      record.error === undefined &&
      this.#flatAndClean(record.fields) &&
      this.#flatAndClean(record.bindings) &&
      this.#flatAndClean(record.context)
    )
      return record;
    if (record.error === undefined && this.#flatUnchanged(record)) return record;
    const pass = this.#walker.pass();
    const layer = pass.key(record.layer);
    const message = pass.value(record.message) as string;
    const fields = pass.value(record.fields) as Fields | undefined;
    const bindings = pass.value(record.bindings) as Fields | undefined;
    const context = pass.value(record.context) as Fields | undefined;
    const error = pass.value(record.error) as SerializedError | undefined;
    if (
      layer === record.layer &&
      message === record.message &&
      fields === record.fields &&
      bindings === record.bindings &&
      context === record.context &&
      error === record.error
    )
      return record;
    return { ...record, layer, message, fields, bindings, context, error };
  }

  stats(): RedactionStats {
    return {
      redactions: this.#stats.redactions,
      byKind: { ...this.#stats.byKind },
      truncations: { ...this.#stats.truncations },
      unscannedChars: this.#stats.unscannedChars,
    };
  }

  resetStats(): void {
    this.#stats = emptyStats();
  }
}

function emptyStats(): RedactionStats {
  return {
    redactions: 0,
    byKind: {},
    truncations: { string: 0, depth: 0, breadth: 0, circular: 0, scan: 0 },
    unscannedChars: 0,
  };
}
