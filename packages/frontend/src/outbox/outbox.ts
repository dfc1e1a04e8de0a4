import type { Entry } from '../types.js';

/**
 * Where records wait until the bridge acknowledges them. `put` writes entries (setting `id` and
 * `st`), `del` removes acknowledged ones (an entry still being written is removed once written),
 * `load` gives the entries an earlier page left behind.
 */
export interface Outbox {
  load(): Promise<Entry[]>;
  put(entries: Entry[]): void;
  del(entries: Entry[]): void;
  /** Entries written and not yet deleted. */
  stored: number;
  /** Write failures (the entries stay in memory and are still delivered while the page lives). */
  errors: number;
}

/** The page's memory only: nothing survives a reload. */
export class MemoryOutbox implements Outbox {
  stored = 0;
  errors = 0;
  load(): Promise<Entry[]> {
    return Promise.resolve([]);
  }
  put(entries: Entry[]): void {
    for (const e of entries) e.st = 2;
  }
  del(): void {}
}
