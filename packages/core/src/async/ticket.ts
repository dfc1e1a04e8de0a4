import { HydraLoggerError } from '../errors.js';
import { QUEUE_DEFAULTS } from './defaults.js';

/**
 * The promise of one AsyncHydraLogger log call, and what settles it. A record has one line per
 * destination that takes it; the ticket counts the lines still on their way and settles once the
 * last one is written (resolve) or given up (reject). A call none of whose lines needed the queue
 * (level off, dropped by a processor, written synchronously) gets {@link RESOLVED}: no allocation.
 */

/** Shared by every call that has nothing left to wait for. */
export const RESOLVED: Promise<void> = Promise.resolve();

const ignore = (): void => {};

/** The rejection of a record that no strategy could write, or that the full policy dropped. */
export class RecordDroppedError extends HydraLoggerError {
  /** The reason it is counted under in `dropped` (`write_error:ENOSPC`, `queue_full:dropNewest` …). */
  readonly reason: string;
  /** The destination whose line was dropped. */
  readonly destination: string;
  constructor(destination: string, reason: string, cause?: unknown) {
    super(
      'HYDRA_E_RECORD_DROPPED',
      `destination "${destination}": the record was dropped (${reason}); it is counted in getPerformanceMetrics().dropped`,
      cause === undefined ? undefined : { cause },
    );
    this.reason = reason;
    this.destination = destination;
  }
}

/**
 * A promise already rejected with `err`, marked as handled: a caller who never awaits it does not
 * get an unhandled rejection (which would end the process); a caller who awaits it gets `err`.
 */
export function rejected(err: Error): Promise<void> {
  const p = Promise.reject(err);
  p.catch(ignore);
  return p;
}

/*
 * Settling on a macrotask boundary. A promise resolves as a microtask, and microtasks run before
 * the event loop moves on: a loop of `await logger.info()` whose lines are written synchronously at
 * the end of each tick (`sync`, `direct`, a pipe or terminal) would never let a timer, an I/O
 * callback or a signal handler run. So the promises settled one after another form a slice, opened
 * by the first of them together with a `setImmediate` that closes it; once a slice is older than
 * `settleSliceMs`, the next promises wait for that `setImmediate` (the event loop has had its turn
 * by then), in the order they were settled. A caller that awaits something else, or writes
 * asynchronously, reaches the `setImmediate` long before the slice is up and never waits.
 */

/** When the current slice opened (performance.now()); its `setImmediate` is scheduled. */
let sliceStart = 0;
let sliceOpen = false;
/** Promises settled in the slice: the clock is read every 16th (a batch of 1,000 costs 62 reads, not 1,000). */
let sliceCount = 0;
/** Tickets settled after the slice was up, waiting for its end. */
let waiting: Ticket[] = [];

function endSlice(): void {
  sliceOpen = false;
  const due = waiting;
  waiting = [];
  for (const t of due) t.finish();
}

/** Whether a promise settled now must wait for the event loop's next turn. */
function mustWait(): boolean {
  if (waiting.length > 0) return true;
  if (!sliceOpen) {
    sliceOpen = true;
    sliceStart = performance.now();
    sliceCount = 0;
    setImmediate(endSlice);
    return false;
  }
  return (++sliceCount & 15) === 0 && performance.now() - sliceStart >= QUEUE_DEFAULTS.settleSliceMs;
}

export class Ticket {
  /** Lines of this record not yet written or given up. */
  remaining = 0;
  error: RecordDroppedError | undefined;
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  #reject: ((err: Error) => void) | undefined;

  /** One line of the record is settled: written (`error` undefined) or given up. */
  settle(error?: RecordDroppedError): void {
    if (error !== undefined && this.error === undefined) this.error = error;
    if (--this.remaining > 0 || this.#promise === undefined) return;
    if (mustWait()) waiting.push(this);
    else this.finish();
  }

  /** Resolves or rejects the call's promise (every line settled). */
  finish(): void {
    if (this.error === undefined) (this.#resolve as () => void)();
    else {
      // Marked handled before it rejects: fire-and-forget calls must not crash the process.
      (this.#promise as Promise<void>).catch(ignore);
      (this.#reject as (err: Error) => void)(this.error);
    }
  }

  /** The call's promise: created only when something is still on its way. */
  promise(): Promise<void> {
    if (this.#promise !== undefined) return this.#promise;
    if (this.remaining === 0) return this.error === undefined ? RESOLVED : rejected(this.error);
    this.#promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    return this.#promise;
  }
}
