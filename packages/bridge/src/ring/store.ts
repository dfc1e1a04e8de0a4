/** One record in a stream: its offset, what filters need, and its JSON (offset included). */
export interface RingEntry {
  /** Position in the stream; monotonic within an epoch. */
  readonly offset: number;
  readonly layer: string;
  /** Level number (`LEVELS`), for `minLevel` filters. */
  readonly level: number;
  /** The record as the JSON format writes it (no newline), with `"offset":N` as its last key. */
  readonly json: string;
  /** Size of `json` in UTF-16 units (what it holds in memory). */
  readonly bytes: number;
  /** `json` parsed, cached for field filters (created on first use). */
  parsed?: Record<string, unknown>;
}

/** What {@link RecordStore.batch} read. */
export interface BatchRead {
  /** The offset to read next (every offset before it was taken or not accepted). */
  next: number;
  /** Records taken. */
  count: number;
  /** `"from":F,"to":T,"records":[…]}` (undefined when no record was taken). */
  body: Buffer | undefined;
}

/**
 * Where the bridge keeps the stream: a window of recent records addressed by offset. The
 * in-memory ring ({@link MemoryRing}) and its persisted form implement it; a store shared by
 * several nodes (a Redis stream mirrored locally) can too. Offsets are never reused within an
 * epoch; the fan-out reads records by offset from `first` to `next - 1` and treats a missing
 * offset as absent (so a store may have holes).
 */
export interface RecordStore {
  /** Changes whenever history is lost (a restart without persistence). */
  readonly epoch: string;
  /** Offset of the oldest record held (equals `next` when empty). */
  readonly first: number;
  /** Offset the next appended record gets. */
  readonly next: number;
  /** Records held, and the size of their JSON (UTF-16 units). */
  readonly size: number;
  readonly bytes: number;
  /**
   * Appends one record given as the JSON format writes it (a JSON object, newline optional), without
   * an offset: the store gives it the next one (a shared store may assign it later; the record
   * appears in `get` once it does). `clean`: the line is known to have no top-level `offset` key
   * (its record has no such field); a store may then skip looking for one.
   */
  append(layer: string, level: number, line: string, clean?: boolean): void;
  /** The record at `offset`, if the store still holds it. */
  get(offset: number): RingEntry | undefined;
  /**
   * Optional fast read for subscribers that see records as they are held (no text or field filter,
   * no field redaction): the records from `from` to `end` (exclusive) that `accept` takes, up to
   * `maxRecords` records or `maxBytes` (UTF-16 units), as the shared part of one records frame. A
   * store without it is read record by record with {@link get}.
   */
  batch?(
    from: number,
    end: number,
    maxRecords: number,
    maxBytes: number,
    accept: (layer: string, level: number) => boolean,
  ): BatchRead;
  /** Makes every appended record durable enough to be sent (called before each send round). */
  commit(): void;
  /** Writes out what is pending and releases files or connections. */
  close(): void | Promise<void>;
  /**
   * A shared store's copy may lag behind what another node already served: a cursor past `next`
   * is then kept (it waits for the copy to catch up) instead of being brought back to `next`.
   */
  readonly follower?: boolean;
  /**
   * For a client whose epoch is not the current one: where in the current epoch it continues, when
   * the store knows (an epoch this node served alone during a backplane outage); otherwise the
   * oldest record held.
   */
  continueFrom?(epoch: string): number | undefined;
}
