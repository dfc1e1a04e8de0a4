/**
 * Every bounded resource, with its default, in one table (documented in docs/limits.md).
 * When a limit trips, the cut is marked in the output and counted in the metrics.
 */
export const DEFAULT_LIMITS = Object.freeze({
  /** Buffered writers flush once this many bytes (UTF-16 units, a close upper bound) are pending. */
  bufferSize: 64 * 1024,
  /** Buffered writers flush at least this often (ms), by an unref'd timer. */
  flushInterval: 100,
  /** Attempts for a write that fails with a retryable code (EAGAIN, EINTR, EBUSY) before the batch is dropped. */
  writeRetries: 50,
  /** Upper bound of the total wait (ms) across those attempts for one batch. */
  writeRetryBudgetMs: 5_000,
  /** Lines kept by a `memory` destination (a ring: the oldest go first, counted as `memory_full`). */
  memoryMaxLines: 10_000,
  /** Nesting depth of fields kept; deeper values become `"[Depth limit]"`. */
  maxDepth: 10,
  /** Keys kept per object and items per array, Map or Set; the rest is summarised in one marker entry. */
  maxBreadth: 1_000,
  /** Characters kept of one string value or message; the rest is cut and marked with `…[truncated N chars]`. */
  maxStringLength: 64 * 1024,
});

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/**
 * Keys remembered by position from the previous record, per formatter, normalizer and sanitizer:
 * records from one call site repeat them, and an identity test is cheaper than a lookup. Fixed
 * memory (this many strings each); a key past it, or one that differs, is simply checked in full.
 */
export const REMEMBERED_KEYS = 32;
