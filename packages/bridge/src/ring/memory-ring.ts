import { makeEntry } from './entry.js';
import { newEpoch } from './epoch.js';
import type { RecordStore, RingEntry } from './store.js';

export interface MemoryRingOptions {
  maxRecords: number;
  maxBytes: number;
  /** Default: a new random epoch. */
  epoch?: string;
  /** Offset of the first record appended (default 0). */
  firstOffset?: number;
}

/**
 * The stream in memory: a circular buffer of entries with contiguous offsets, bounded by
 * records and bytes (the oldest go first; the newest record is always kept). No copy per client:
 * subscribers are cursors into it.
 */
export class MemoryRing implements RecordStore {
  readonly epoch: string;
  readonly #buf: (RingEntry | undefined)[];
  readonly #maxBytes: number;
  #first: number;
  #next: number;
  #bytes = 0;
  /** Records evicted since the ring was created. */
  evicted = 0;

  constructor(options: MemoryRingOptions) {
    this.epoch = options.epoch ?? newEpoch();
    this.#buf = new Array<RingEntry | undefined>(Math.max(1, Math.floor(options.maxRecords)));
    this.#maxBytes = options.maxBytes;
    this.#first = this.#next = options.firstOffset ?? 0;
  }

  get first(): number {
    return this.#first;
  }
  get next(): number {
    return this.#next;
  }
  get size(): number {
    return this.#next - this.#first;
  }
  get bytes(): number {
    return this.#bytes;
  }

  append(layer: string, level: number, json: string): RingEntry {
    const entry = makeEntry(layer, level, json, this.#next);
    this.push(entry);
    return entry;
  }

  /** Appends an entry built elsewhere (a reloaded one); its offset must be `next`. */
  push(entry: RingEntry): void {
    if (entry.offset !== this.#next) throw new RangeError(`offset ${entry.offset} appended at ${this.#next}`);
    const cap = this.#buf.length;
    if (this.size === cap) this.#evictOldest();
    this.#buf[this.#next % cap] = entry;
    this.#next++;
    this.#bytes += entry.bytes;
    while (this.#bytes > this.#maxBytes && this.size > 1) this.#evictOldest();
  }

  /**
   * Moves past offsets this ring will never hold (a shared stream trimmed them before they were
   * read): everything held is dropped and the next record appended is `offset`. Cursors behind it
   * get a gap, as for any eviction.
   */
  skipTo(offset: number): void {
    if (offset <= this.#next) return;
    while (this.size > 0) this.#evictOldest();
    this.evicted += offset - this.#next;
    this.#first = this.#next = offset;
  }

  get(offset: number): RingEntry | undefined {
    if (offset < this.#first || offset >= this.#next) return undefined;
    return this.#buf[offset % this.#buf.length];
  }

  /** Every entry held, oldest first. */
  *entries(): IterableIterator<RingEntry> {
    for (let o = this.#first; o < this.#next; o++) {
      const e = this.get(o);
      if (e !== undefined) yield e;
    }
  }

  commit(): void {}

  close(): void {}

  #evictOldest(): void {
    const i = this.#first % this.#buf.length;
    const e = this.#buf[i];
    if (e !== undefined) this.#bytes -= e.bytes;
    this.#buf[i] = undefined;
    this.#first++;
    this.evicted++;
  }
}
