import type { SanitizerLimits } from './sanitizer-limits.js';

/** `scan`: string content withheld because the pass's scan budget was spent. */
export type Truncation = 'string' | 'depth' | 'breadth' | 'circular' | 'scan';

/** What the walker asks of its owner (the DataSanitizer). */
export interface WalkerHooks {
  readonly limits: SanitizerLimits;
  isSensitiveKey(key: string): boolean;
  /** Pattern redaction of one string already cut to the length limit. */
  scan(s: string): string;
  /** The value written for a sensitive key (counts it). */
  redactKey(): unknown;
  /** A limit tripped; for `scan`, `chars` is how many characters were withheld unscanned. */
  truncated(kind: Truncation, chars?: number): void;
  cutPoint(s: string, max: number): number;
}
