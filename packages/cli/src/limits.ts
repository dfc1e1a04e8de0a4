/**
 * Every bounded resource of the `hydra` command, with its default (the README's limits table).
 */
export const CLI_LIMITS = {
  /** Longest line kept whole (bytes); the rest of a longer line is dropped and counted on the line. */
  maxLineBytes: 1024 * 1024,
  /** Bytes read from a file or stdin at a time. */
  readChunkBytes: 64 * 1024,
  /** `tail`: how far back from the end of a file the last `-n` (matching) lines are looked for. */
  tailScanBytes: 16 * 1024 * 1024,
  /** `tail -f` and `serve --tail`: how often a followed file is checked for new data, rotation and truncation (ms). */
  followPollMs: 200,
  /** `tail -f`: most bytes read from one file per poll, so one busy file cannot starve the others. */
  followReadBytesPerPoll: 4 * 1024 * 1024,
  /** Nested `cause` / `errors` levels printed under a record. */
  maxNestedErrors: 8,
} as const;
