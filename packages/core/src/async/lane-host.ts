import type { QueuePolicy, StrategyName } from './defaults.js';
import type { SelectorOptions } from './strategy-selector.js';
import type { StrategyStats } from './strategy-stats.js';
import type { Ticket } from './ticket.js';

/** The queue options a lane reads, resolved (every default applied). */
export interface ResolvedQueueOptions extends SelectorOptions {
  primaryStrategy: StrategyName;
  fallbackStrategies: readonly StrategyName[];
  capacity: number;
  maxQueueBytes: number;
  policy: QueuePolicy;
  maxBatchBytes: number;
  memoryCapacity: number;
  /** With a journal: the longest a line waits in the memory hold before it is journaled (ms). */
  maxHoldMs: number;
  /** `false`: no journal (a full memory hold drops, counted as `memory_full`). */
  journalDir: string | false;
  journalMaxBytes: number;
  inFlightWaitMs: number;
  switchHistory: number;
}

/** What the queue calls on a lane it hosts (async/lane.ts) from inside these calls. */
export interface HostedLane {
  readonly id: string;
  /** Evicts the oldest waiting line that is not urgent (the `dropOldest` policy); false when there is none. */
  evictOldest(reason: string): boolean;
}

/**
 * What a lane needs of its queue: the options, the ticket of the log call in progress, the
 * full-queue policy, and the delivery ledger, which every lane keeps exact by reporting each line
 * it accepts and each change of state (waiting or in flight → held → journaled → delivered, or dropped).
 */
export interface LaneHost {
  readonly options: ResolvedQueueOptions;
  /** The ticket of the log call being made (created on first use). */
  ticket(): Ticket;
  /** One line accepted. */
  produced(): void;
  /**
   * Room for one more line of `chars` characters: `undefined` to go on (after blocking or evicting
   * as the policy says), or the reason to drop this new line.
   */
  admit(lane: HostedLane, chars: number): string | undefined;
  /** Changes of the waiting/in-flight count (and characters), held count, journaled count. */
  adjust(queued: number, chars: number, held: number, journaled: number): void;
  delivered(n: number): void;
  dropped(reason: string, n: number): void;
  /** Lines spilled to a journal (their promises resolved). */
  journaled(n: number): void;
  /** Lines of a previous run's journal written now. */
  replayed(n: number): void;
  /** A synchronous flush wrote on without an async write it could not see land. */
  overtaken(): void;
  heldTotal(): number;
  strategy(name: StrategyName): StrategyStats;
  switched(destination: string, from: StrategyName, to: StrategyName, reason: string): void;
  removeLane(lane: HostedLane): void;
}
