/**
 * Buffered writers register here; one `exit` listener (installed only while at least one is
 * live) flushes them all synchronously, on `process.exit()` and at the natural end of the
 * process. Writes in an `exit` listener must be synchronous, and ours are.
 */
export interface ExitFlushable {
  flushSync(): void;
}

const live = new Set<ExitFlushable>();

function flushAll(): void {
  for (const w of live) {
    try {
      w.flushSync();
    } catch {
      // A writer never throws from flushSync; this guard keeps one broken writer from stopping the rest.
    }
  }
}

export function registerExitFlush(w: ExitFlushable): void {
  if (live.size === 0) process.on('exit', flushAll);
  live.add(w);
}

export function unregisterExitFlush(w: ExitFlushable): void {
  if (live.delete(w) && live.size === 0) process.removeListener('exit', flushAll);
}

/** Flushes every live buffered writer now (used by signal and crash handlers). */
export function flushAllWritersSync(): void {
  flushAll();
}
