import { HydraLoggerError } from '../errors.js';

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
    if (this.error === undefined) (this.#resolve as () => void)();
    else {
      // Marked handled before it rejects: fire-and-forget calls must not crash the process.
      this.#promise.catch(ignore);
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
