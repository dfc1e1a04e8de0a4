import type { FdTargetSpec } from '../../destinations/fd-destination.js';
import type { WriterStats } from '../../writers/fd-engine.js';
import type { StrategyName } from '../defaults.js';
import type { Entry, Flight } from '../entry.js';
import type { FdSink } from '../fd-sink.js';
import type { LaneHost } from '../lane-host.js';
import type { StrategySelector } from '../strategy-selector.js';

/** Where a batch's lines were counted until they are dropped (so the queue's ledger stays exact). */
export type DropFrom = 'queued' | 'held' | 'queued-none';

/** How a batch a strategy wrote ended. */
export interface BatchResult {
  strategy: StrategyName;
  /** The batch was a probe of a better strategy (its result moves the selector, not the lane). */
  probe: boolean;
  batch: Entry[];
  /** Lines of the batch, from its start, that reached the destination. */
  written: number;
  error: NodeJS.ErrnoException | undefined;
  /** How long the write took (ms). */
  ms: number;
  /** Why the lane degrades, when not `write_error:<code>`. */
  reason?: string | undefined;
  /** The batch waited for a worker thread to start: its time says nothing of the write latency. */
  boot?: boolean | undefined;
}

/**
 * What a strategy may do with its lane (async/lane.ts): take the next batch, settle a batch it
 * wrote (delivered lines resolve, the rest degrade the lane or drop), put lines back at the head,
 * and run the pump again.
 */
export interface StrategyLane {
  readonly id: string;
  readonly sink: FdSink;
  readonly host: LaneHost;
  readonly spec: FdTargetSpec;
  readonly selector: StrategySelector;
  /** `fsync: true` on the destination: every written batch is fsynced before it settles. */
  readonly fsync: boolean;
  /** The batch handed to the thread pool or a worker, not yet settled. */
  inFlight: Flight | undefined;
  /** The next batch (`one`: a single line), after the file check, time rotation and size room. */
  takeBatch(one: boolean): Entry[];
  /** Every waiting line, taken out of the line (for the memory hold). */
  takeWaiting(): Entry[];
  /**
   * Settles a batch written by `strategy`: its first `written` lines are delivered; on an error the
   * strategy degrades (or a probe backs off) and the rest goes back to the head of the line.
   */
  result(r: BatchResult): void;
  drop(entries: Entry[], reason: string, cause: unknown, from: DropFrom): void;
  /** Lines that did not land go back to the head of the line, before everything accepted after them. */
  unshift(entries: Entry[]): void;
  pump(sync: boolean): void;
  /** Runs the pump in the next tick. */
  schedule(): void;
}

/**
 * A way of writing a lane's batches (docs/async.md § Strategies). The lane's pump asks the current
 * strategy (or the one being probed) to send the next batch; a write that fails hands the lines
 * that did not land to the next strategy of the chain.
 */
export interface WriteStrategy {
  readonly name: StrategyName;
  /**
   * Writes (or starts writing) the next batch. `sync`: inside a synchronous flush, every write
   * completes before this returns. Returns true when the pump must stop (a write in flight, or lines held).
   */
  send(probe: boolean, sync: boolean): boolean;
  /** A synchronous flush found this strategy's batch in flight: wait for it (bounded) and settle it. */
  settle?(flight: Flight): void;
  reopen?(): void;
  close?(): Promise<void>;
  /** Figures of writes done outside the lane's sink (the worker thread's writer). */
  stats?(): WriterStats | undefined;
}
