/*
 * Sizes fixed in code that the sanitizer shares with the logger. A module of their own, so that
 * code using only the sanitizer (the browser SDK bundles it) does not take the logger's limits
 * tables along.
 */

/**
 * Characters of one record that redaction scans by default: the logger's `limits.maxScanPerRecord`
 * (docs/limits.md) and a sanitizer pass's own bound.
 */
export const DEFAULT_MAX_SCAN_PER_RECORD = 1024 * 1024;

/**
 * Keys remembered by position from the previous record, per formatter, normalizer and sanitizer:
 * records from one call site repeat them, and an identity test is cheaper than a lookup. Fixed
 * memory (this many strings each); a key past it, or one that differs, is simply checked in full.
 */
export const REMEMBERED_KEYS = 32;
