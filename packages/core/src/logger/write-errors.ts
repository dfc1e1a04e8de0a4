import type { EventEmitter } from 'node:events';
import { HydraLoggerError } from '../errors.js';
import { fs } from '../internal/builtins.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import type { ErrorTracker } from '../metrics/error-tracker.js';

/** Reported on the logger's `error` event: a destination failed; records were dropped and counted. */
export class DestinationWriteError extends HydraLoggerError {
  readonly destination: string;
  constructor(destination: string, cause: NodeJS.ErrnoException) {
    // A system error's message starts with its code; one of the writers' own (a file that cannot
    // be opened or was deleted: writers/open-file.ts, fd-writer.ts) says more, and is shown.
    const detail =
      cause.code !== undefined && cause.message && !cause.message.startsWith(`${cause.code}:`)
        ? `: ${cause.message}`
        : '';
    super(
      'HYDRA_E_WRITE_FAILED',
      `destination "${destination}" failed to write (${cause.code ?? cause.message})${detail}${(cause as { uncounted?: boolean }).uncounted === true ? '' : '; dropped records are counted in getPerformanceMetrics().dropped'}`,
      { cause },
    );
    this.destination = destination;
  }
}

/**
 * Reports a logger's own failures: one `error` event and one stderr line per destination and error
 * code; later ones are only counted (and tracked).
 */
export class WriteErrorReporter {
  readonly #reported = new Set<string>();
  constructor(
    private readonly events: EventEmitter,
    private readonly tracker: () => ErrorTracker | undefined,
  ) {}

  report(destination: string, err: NodeJS.ErrnoException): void {
    loadExtrasChunk().trackInternalError(this.tracker(), destination, err);
    const key = `${destination}\0${err?.code ?? err?.message}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    const e = new DestinationWriteError(destination, err);
    try {
      fs.writeSync(
        2,
        `hydra-logger: ${e.message}; further ${err?.code ?? 'such'} errors from it are counted, not reported\n`,
      );
    } catch {
      // stderr itself is gone; the event and the counters still tell.
    }
    if (this.events.listenerCount('error') > 0) {
      try {
        this.events.emit('error', e);
      } catch {
        // A throwing listener must not reach the code that logged.
      }
    }
  }
}
