import { makeEntry, withoutOffset } from './entry.js';
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
 * The stream in memory: a circular buffer of records with contiguous offsets, bounded by records
 * and bytes (the oldest go first; the newest record is always kept). No copy per client:
 * subscribers are cursors into it.
 *
 * Appending is cheap: the line is kept as the logger's json format wrote it (the same string, no
 * copy), with its layer and level in parallel arrays; no object per record. The `offset` is put
 * into the JSON only when a record is read ({@link get}, {@link json}), which the fan-out does
 * once per batch for all the subscribers that share it. With no subscriber, nothing more is built.
 */
export class MemoryRing implements RecordStore {
  readonly epoch: string;
  readonly #lines: (string | undefined)[];
  readonly #layers: (string | undefined)[];
  readonly #levels: Int32Array;
  readonly #sizes: Int32Array;
  readonly #cap: number;
  readonly #maxBytes: number;
  #first: number;
  #next: number;
  #bytes = 0;
  /** Records evicted since the ring was created. */
  evicted = 0;

  constructor(options: MemoryRingOptions) {
    this.epoch = options.epoch ?? newEpoch();
    this.#cap = Math.max(1, Math.floor(options.maxRecords));
    this.#lines = new Array<string | undefined>(this.#cap);
    this.#layers = new Array<string | undefined>(this.#cap);
    this.#levels = new Int32Array(this.#cap);
    this.#sizes = new Int32Array(this.#cap);
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

  /**
   * Appends a record given as the json format writes it (a JSON object, newline optional),
   * without its offset. Returns the offset it got.
   */
  append(layer: string, level: number, line: string): number {
    const cap = this.#cap;
    if (this.#next - this.#first === cap) this.#evictOldest();
    const i = this.#next % cap;
    const size = line.length;
    this.#lines[i] = line;
    this.#layers[i] = layer;
    this.#levels[i] = level;
    this.#sizes[i] = size;
    this.#bytes += size;
    while (this.#bytes > this.#maxBytes && this.#next + 1 - this.#first > 1) this.#evictOldest();
    return this.#next++;
  }

  /** Appends an entry built elsewhere (a reloaded one, its JSON holding its offset); its offset must be `next`. */
  push(entry: RingEntry): void {
    if (entry.offset !== this.#next) throw new RangeError(`offset ${entry.offset} appended at ${this.#next}`);
    this.append(entry.layer, entry.level, withoutOffset(entry.json, entry.offset));
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

  /** The record at `offset` as an entry (built on each call; its JSON with the offset). */
  get(offset: number): RingEntry | undefined {
    if (offset < this.#first || offset >= this.#next) return undefined;
    const i = offset % this.#cap;
    return makeEntry(this.#layers[i] as string, this.#levels[i] as number, this.#lines[i] as string, offset);
  }

  /** The line held at `offset` as it was appended (no offset), or undefined. */
  line(offset: number): string | undefined {
    return offset < this.#first || offset >= this.#next ? undefined : this.#lines[offset % this.#cap];
  }

  /** Layer of the record at `offset` (held). */
  layer(offset: number): string {
    return this.#layers[offset % this.#cap] as string;
  }

  /** Level of the record at `offset` (held). */
  level(offset: number): number {
    return this.#levels[offset % this.#cap] as number;
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
    const i = this.#first % this.#cap;
    this.#bytes -= this.#sizes[i] as number;
    this.#lines[i] = undefined;
    this.#layers[i] = undefined;
    this.#first++;
    this.evicted++;
  }
}
