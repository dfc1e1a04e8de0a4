import { DEFAULT_MAX_SCAN_PER_RECORD } from '../internal/shared-sizes.js';

/**
 * Bounds of one sanitizer pass (docs/security.md). They are at least the normalizer's defaults
 * (docs/limits.md), so a record the logger built never trips them; they exist for direct callers
 * of `sanitize()` and for configurations that raise the normalizer's limits. What a limit cuts is
 * never passed through unscanned: it is replaced by a marker and counted.
 */
export const SANITIZER_LIMITS = Object.freeze({
  /**
   * Characters of one string scanned; the rest is cut before scanning and marked
   * `…[truncated N chars]`. The normalizer's 64 Ki plus room for its own truncation marker, so a
   * string it already cut is not cut (and counted) twice.
   */
  maxStringLength: 64 * 1024 + 64,
  /** Nesting depth walked; deeper values become `"[Depth limit]"`. */
  maxDepth: 32,
  /** Keys per object, items per array, Map or Set walked; the rest become one marker entry. */
  maxBreadth: 10_000,
  /**
   * Characters scanned per pass (one record, or one `sanitize()` call): the scan budget. A string
   * that does not fit is scanned up to what is left (cut at a token boundary) and the rest is
   * withheld, marked `…[unscanned N chars]`; later strings are withheld whole. Object keys of up
   * to {@link FREE_KEY_LENGTH} characters are always scanned (they cost about what visiting their
   * entry does) so that field names stay readable.
   */
  maxScanPerRecord: DEFAULT_MAX_SCAN_PER_RECORD,
});

/** Keys this short are scanned even when the scan budget is spent (their length is still charged). */
export const FREE_KEY_LENGTH = 64;

export type SanitizerLimits = { -readonly [K in keyof typeof SANITIZER_LIMITS]: number };

/** How far back from the cut a string is shortened so that no token (email, card, key) is kept in half. */
const BOUNDARY_WINDOW = 256;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Digits and the separators a card or phone number may hold. */
function isNumberish(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 43;
}

/**
 * Where to cut `s` (longer than `max`) so that no secret is kept in half: a half email or card
 * number would no longer be recognised by its pattern. Cuts at the last white space within
 * {@link BOUNDARY_WINDOW} characters, then before a run of digits and separators the cut falls
 * into. A single token longer than the window is cut at `max` (the private-key pattern redacts a
 * block whose END line was cut off).
 */
export function cutPoint(s: string, max: number): number {
  let end = max;
  const floor = Math.max(0, max - BOUNDARY_WINDOW);
  if (!isSpace(s.charCodeAt(end))) {
    for (let i = end - 1; i > floor; i--) {
      if (isSpace(s.charCodeAt(i))) {
        end = i;
        break;
      }
    }
  }
  while (end > floor && isNumberish(s.charCodeAt(end - 1)) && isNumberish(s.charCodeAt(end))) end--;
  return end;
}
