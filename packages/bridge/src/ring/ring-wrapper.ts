import type { MemoryRing } from './memory-ring.js';
import type { BatchRead, RecordStore, RingEntry } from './store.js';

/**
 * A store that serves its records from an in-memory ring and adds something around it (a file
 * behind it, a shared Redis stream): reads go straight to `ring`, which a subclass sets in its
 * constructor (and may replace later). Subclasses say how records are appended and closed.
 */
export abstract class RingWrapper implements RecordStore {
  protected ring!: MemoryRing;

  get epoch(): string {
    return this.ring.epoch;
  }
  get first(): number {
    return this.ring.first;
  }
  get next(): number {
    return this.ring.next;
  }
  get size(): number {
    return this.ring.size;
  }
  get bytes(): number {
    return this.ring.bytes;
  }

  abstract append(layer: string, level: number, line: string, clean?: boolean): void;

  get(offset: number): RingEntry | undefined {
    return this.ring.get(offset);
  }

  batch(...args: Parameters<MemoryRing['batch']>): BatchRead {
    return this.ring.batch(...args);
  }

  commit(): void {
    this.ring.commit();
  }

  abstract close(): void | Promise<void>;
}
