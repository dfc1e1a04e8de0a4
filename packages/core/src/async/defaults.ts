/**
 * The async queue's names and every bound it keeps, with its default, in one table
 * (documented in docs/async.md; every limit that trips is counted in `getQueuePerformanceMetrics()`).
 */

/** How a lane writes its lines (docs/async.md § Strategies). */
export const STRATEGIES = ['async', 'worker', 'sync', 'direct', 'memory'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** What the queue does with a new record when `capacity` lines are already waiting. */
export const POLICIES = ['block', 'dropNewest', 'dropOldest'] as const;
export type QueuePolicy = (typeof POLICIES)[number];

export const QUEUE_DEFAULTS = Object.freeze({
  primaryStrategy: 'async' as StrategyName,
  fallbackStrategies: Object.freeze(['sync', 'direct', 'memory']) as readonly StrategyName[],
  /** Lines accepted and not yet handed to write(2) (all lanes) before `policy` applies. */
  capacity: 10_000,
  /** Characters of those lines before `policy` applies (whichever bound trips first). */
  maxQueueBytes: 16 * 1024 * 1024,
  policy: 'block' as QueuePolicy,
  /** Characters in one write(2) at most; a longer backlog is written in several. */
  maxBatchBytes: 1024 * 1024,
  /** An `async` or `worker` lane whose write latency (moving average) passes this degrades (ms). */
  latencyThresholdMs: 200,
  /** First probe of the strategy above after a degrade (ms); doubles after each failed probe. */
  probeIntervalMs: 1_000,
  /** Longest wait between probes (ms). */
  maxProbeIntervalMs: 30_000,
  /** Consecutive successful probes before a lane climbs back one strategy (out of `memory`: 1). */
  recoverAfter: 3,
  /** Lines the `memory` strategy holds in memory (all lanes) before spilling to the journal. */
  memoryCapacity: 10_000,
  /**
   * With a journal, the longest a line waits in the memory hold (ms); then it is journaled and its
   * promise resolves. Without a journal, held lines wait for recovery, exit or close.
   */
  maxHoldMs: 2_000,
  /** Bytes of one lane's journal file; spills beyond it are dropped (`journal_error:JOURNAL_FULL`). */
  journalMaxBytes: 64 * 1024 * 1024,
  /**
   * A synchronous flush (ERROR, exit, `block`) waits this long for an in-flight `async` write to
   * land (ms): a write to the page cache takes microseconds; one that failed never lands.
   */
  inFlightWaitMs: 100,
  /** Strategy switches kept in `getQueuePerformanceMetrics().switches` (the count is exact). */
  switchHistory: 100,
  /**
   * Longest run (ms) of log-call promises settled one after another without the event loop getting
   * a turn; past it, the next ones settle from a `setImmediate`, so a loop of `await logger.info()`
   * over a synchronous write lets timers, I/O and signals run (the whole process: one event loop).
   */
  settleSliceMs: 5,
});
