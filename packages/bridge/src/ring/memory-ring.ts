import { withOffset, withoutOffset } from './entry.js';
import { newEpoch } from './epoch.js';
import type { BatchRead, RecordStore, RingEntry } from './store.js';

export interface MemoryRingOptions {
  maxRecords: number;
  maxBytes: number;
  /** Default: a new random epoch. */
  epoch?: string;
  /** Offset of the first record appended (default 0). */
  firstOffset?: number;
}

/** Bytes of a segment of the ring (a larger record gets a segment of its own). */
const SEGMENT_BYTES = 256 * 1024;
/** Emptied segments kept for reuse. */
const SPARE_SEGMENTS = 4;
/**
 * Appended lines held as strings until they are encoded together, at most (records, UTF-16 units):
 * one UTF-8 write of a few lines costs a fraction of one write per line (each a call into the
 * runtime); a larger concatenation no longer fits the processor's caches and gains nothing.
 */
const PENDING_MAX = 64;
const PENDING_CHARS = 16 * 1024;
/** Bytes a record's offset key adds at most: `,"offset":` and 16 digits, the brace, the comma after it. */
const OFFSET_ROOM = 28;

// Scratch arrays of `batch` (runs of contiguous bytes), reused from call to call.
const runChunks: Buffer[] = [];
const runStarts: number[] = [];
const runEnds: number[] = [];

/** Node's own UTF-8 write of a Buffer (what `buf.write(s, pos)` calls after checking its arguments). */
type Utf8Writable = Buffer & { utf8Write(s: string, offset: number): number };

/** `"offset":` */
const OFFSET_KEY = Buffer.from('"offset":');

/**
 * The stream in memory: a circular buffer of records with contiguous offsets, bounded by records
 * and bytes (the oldest go first; the newest record is always kept). No copy per client:
 * subscribers are cursors into it.
 *
 * Records are kept outside the JavaScript heap, so the garbage collector never copies them: each
 * record's JSON (as the logger's json format wrote it, with its `offset` added as the last key) is
 * encoded once, together with the others appended since the last read (one UTF-8 write for them
 * all), into segments of bytes that are reused once every record in them has left the ring; a
 * comma follows each record, so consecutive records are contiguous bytes and a batch for
 * subscribers is a few copies ({@link batch}). Layer, level and size sit in parallel arrays: no
 * object per record.
 */
export class MemoryRing implements RecordStore {
  readonly epoch: string;
  readonly #layers: (string | undefined)[];
  readonly #levels: Int32Array;
  /** Size of the record's line (UTF-16 units), what `maxBytes` bounds. */
  readonly #sizes: Int32Array;
  /** The segment holding the record's JSON (offset included), at [start, end), a comma after it. */
  readonly #chunks: (Buffer | undefined)[];
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;
  readonly #cap: number;
  readonly #maxBytes: number;
  /** Segments in use, oldest first, with the first offset each one holds; the newest one. */
  readonly #segments: Buffer[] = [];
  readonly #segmentFirst: number[] = [];
  #seg: Buffer | undefined;
  readonly #spare: Buffer[] = [];
  /** Where the next record is written in the newest segment. */
  #pos = 0;
  #first: number;
  #next: number;
  #bytes = 0;
  /**
   * Lines appended but not yet encoded (the newest ones, ending at `next - 1`), and their
   * concatenation: they are encoded together, with one UTF-8 write, at the next read or commit
   * (once per send round), or when {@link PENDING_CHARS} or {@link PENDING_MAX} wait.
   */
  readonly #pending: string[] = [];
  #pendingText = '';
  /** For each pending line: what follows its JSON's last character (1: the closing brace; 2: with a newline; 3: CRLF). */
  readonly #tails = new Uint8Array(PENDING_MAX);
  /** The decimal digits of `#digitsOf` (ASCII), kept for the next offset (most differ in one digit). */
  readonly #digits = new Uint8Array(24);
  #digitsLen = 0;
  #digitsOf = -2;
  /** Records evicted since the ring was created. */
  evicted = 0;

  constructor(options: MemoryRingOptions) {
    this.epoch = options.epoch ?? newEpoch();
    const cap = Math.max(1, Math.floor(options.maxRecords));
    this.#cap = cap;
    this.#layers = new Array<string | undefined>(cap);
    this.#chunks = new Array<Buffer | undefined>(cap);
    this.#levels = new Int32Array(cap);
    this.#sizes = new Int32Array(cap);
    this.#starts = new Int32Array(cap);
    this.#ends = new Int32Array(cap);
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
   * without its offset. `clean`: the caller knows the line has no top-level `offset` key (its
   * record has no such field), so it is not searched for one. Returns the offset it got.
   */
  append(layer: string, level: number, line: string, clean = false): number {
    const cap = this.#cap;
    if (this.#next - this.#first === cap) this.#evictOldest();
    const offset = this.#next;
    const i = offset % cap;
    const size = line.length;
    this.#chunks[i] = undefined;
    // A record with a top-level `offset` of its own gets it renamed (see withOffset): rare, slower,
    // written at once. (`indexOf` of a plain word first: several times faster than searching for
    // the key itself.)
    if (!clean && line.indexOf('offset') !== -1 && line.includes('"offset":')) {
      this.#encode();
      this.#writeOne(i, withOffset(line, offset), offset, true);
    } else {
      // Reading a character makes the line one flat string, if the formatter built it of parts: the
      // destinations that write the same line then copy it as it is, instead of walking its parts
      // again (the walk costs more than the copy).
      const n = line.length;
      this.#tails[this.#pending.length] =
        line.charCodeAt(n - 1) !== 10 ? 1 : line.charCodeAt(n - 2) === 13 ? 3 : 2;
      this.#pending.push(line);
      this.#pendingText += line;
    }
    this.#layers[i] = layer;
    this.#levels[i] = level;
    this.#sizes[i] = size;
    this.#bytes += size;
    this.#next++;
    while (this.#bytes > this.#maxBytes && this.#next - this.#first > 1) this.#evictOldest();
    if (this.#pending.length >= PENDING_MAX || this.#pendingText.length >= PENDING_CHARS) this.#encode();
    return offset;
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
    this.#pending.length = 0;
    this.#pendingText = '';
    this.evicted += offset - this.#next;
    this.#first = this.#next = offset;
  }

  /** The record at `offset` as an entry (built on each call, its JSON decoded from its segment). */
  get(offset: number): RingEntry | undefined {
    if (offset < this.#first || offset >= this.#next) return undefined;
    if (this.#pending.length > 0) this.#encode();
    const i = offset % this.#cap;
    const json = (this.#chunks[i] as Buffer).toString('utf8', this.#starts[i], this.#ends[i]);
    return {
      offset,
      layer: this.#layers[i] as string,
      level: this.#levels[i] as number,
      json,
      bytes: json.length,
    };
  }
  /**
   * A records frame's shared part for the records from `from` (held) that `accept` takes, up to
   * `end` (exclusive), `maxRecords` records or `maxBytes` (UTF-16 units of their lines; a first
   * larger record still goes alone): `"from":F,"to":T,"records":[…]}`, built by copying the
   * records' bytes as they are held (consecutive records are one copy).
   */
  batch(
    from: number,
    end: number,
    maxRecords: number,
    maxBytes: number,
    accept: (layer: string, level: number) => boolean,
  ): BatchRead {
    if (this.#pending.length > 0) this.#encode();
    const cap = this.#cap;
    let o = Math.max(from, this.#first);
    const stop = Math.min(end, this.#next);
    let count = 0;
    let bytes = 0;
    let runs = 0;
    let size = 0;
    let chunk: Buffer | undefined;
    let runEnd = -1;
    for (; o < stop && count < maxRecords && bytes < maxBytes; o++) {
      const i = o % cap;
      if (!accept(this.#layers[i] as string, this.#levels[i] as number)) continue;
      count++;
      bytes += this.#sizes[i] as number;
      const c = this.#chunks[i] as Buffer;
      const s = this.#starts[i] as number;
      const e = this.#ends[i] as number;
      if (c === chunk && s === runEnd + 1) {
        size += e - runEnd;
        runEnd = e;
        runEnds[runs - 1] = e;
        continue;
      }
      runChunks[runs] = c;
      runStarts[runs] = s;
      runEnds[runs] = e;
      runs++;
      chunk = c;
      runEnd = e;
      size += e - s;
    }
    if (count === 0) {
      runChunks.length = 0;
      return { next: o, count: 0, body: undefined };
    }
    const head = `"from":${from},"to":${o - 1},"records":[`;
    // The head is ASCII; a comma between runs (inside a run the commas are held); then "]}".
    const body = Buffer.allocUnsafe(head.length + size + (runs - 1) + 2);
    let pos = body.write(head, 0, 'latin1');
    for (let r = 0; r < runs; r++) {
      if (r > 0) body[pos++] = 44;
      pos += (runChunks[r] as Buffer).copy(body, pos, runStarts[r], runEnds[r]);
    }
    body[pos++] = 93;
    body[pos] = 125;
    runChunks.length = 0;
    return { next: o, count, body };
  }

  /** Every entry held, oldest first. */
  *entries(): IterableIterator<RingEntry> {
    for (let o = this.#first; o < this.#next; o++) {
      const e = this.get(o);
      if (e !== undefined) yield e;
    }
  }

  /** Encodes the lines appended since the last read (a send round starts with it). */
  commit(): void {
    if (this.#pending.length > 0) this.#encode();
  }

  close(): void {}

  /**
   * Encodes the pending lines of the records still held into the newest segment: their
   * concatenation in one UTF-8 write, {@link OFFSET_ROOM} bytes per line past where they go, then
   * each line moved into place (never over a line not yet moved) with its offset key added. A
   * concatenation that is not all ASCII is written line by line instead (its lines' byte lengths
   * are not their string lengths).
   */
  #encode(): void {
    const pending = this.#pending;
    const n = pending.length;
    if (n === 0) return;
    const text = this.#pendingText;
    this.#pendingText = '';
    const cap = this.#cap;
    const first = this.#next - n;
    const room = n * OFFSET_ROOM;
    let seg = this.#seg;
    if (seg === undefined || this.#pos + room + text.length * 3 > seg.length)
      seg = this.#newSegment(room + text.length * 3, Math.max(first, this.#first));
    let src = this.#pos + room;
    const written = (seg as Utf8Writable).utf8Write(text, src);
    if (written !== text.length) {
      for (let k = 0; k < n; k++)
        if (first + k >= this.#first)
          this.#writeOne((first + k) % cap, pending[k] as string, first + k, false);
      pending.length = 0;
      return;
    }
    let pos = this.#pos;
    for (let k = 0, offset = first; k < n; k++, offset++) {
      const i = offset % cap;
      const len = (pending[k] as string).length;
      // Evicted before it was encoded (more than the ring holds appended since the last round).
      if (offset < this.#first) {
        src += len;
        continue;
      }
      // Back over the line's newline and closing brace.
      const end = src + len - (this.#tails[k] as number);
      seg.copyWithin(pos, src, end);
      const start = pos;
      pos += end - src;
      src += len;
      pos = this.#offsetKey(seg, pos, offset);
      this.#chunks[i] = seg;
      this.#starts[i] = start;
      this.#ends[i] = pos;
      seg[pos++] = 44;
    }
    this.#pos = pos;
    pending.length = 0;
  }

  /** Writes `,"offset":N}` at `pos` (no comma right after the opening brace); returns the position after it. */
  #offsetKey(seg: Buffer, pos: number, offset: number): number {
    if (seg[pos - 1] !== 123) seg[pos++] = 44;
    for (let k = 0; k < OFFSET_KEY.length; k++) seg[pos++] = OFFSET_KEY[k] as number;
    const digits = this.#digitsFor(offset);
    for (let k = 0; k < this.#digitsLen; k++) seg[pos++] = digits[k] as number;
    seg[pos++] = 125;
    return pos;
  }

  /**
   * Encodes one record's JSON with `,"offset":N}` in place of its closing brace (and newline),
   * then a comma, into the newest segment (a new one when it has no room). `own`: `text` already
   * holds its offset (its own `offset` key was renamed).
   */
  #writeOne(i: number, text: string, offset: number, own: boolean): void {
    // Room for the text in UTF-8 (at most 3 bytes per UTF-16 unit) and the offset key.
    const need = text.length * 3 + OFFSET_ROOM;
    let seg = this.#seg;
    if (seg === undefined || this.#pos + need > seg.length) seg = this.#newSegment(need, offset);
    const start = this.#pos;
    let pos = start;
    if (own) pos += (seg as Utf8Writable).utf8Write(text, pos);
    else {
      const n = text.length;
      const tail = text.charCodeAt(n - 1) !== 10 ? 1 : text.charCodeAt(n - 2) === 13 ? 3 : 2;
      pos = this.#offsetKey(seg, pos + (seg as Utf8Writable).utf8Write(text, pos) - tail, offset);
    }
    this.#chunks[i] = seg;
    this.#starts[i] = start;
    this.#ends[i] = pos;
    seg[pos++] = 44;
    this.#pos = pos;
  }

  /** The decimal digits of `n` (in `#digits`, `#digitsLen` of them): the last ones, counted up by one. */
  #digitsFor(n: number): Uint8Array {
    const d = this.#digits;
    if (n === this.#digitsOf + 1) {
      let k = this.#digitsLen - 1;
      while (k >= 0 && d[k] === 57) d[k--] = 48;
      if (k >= 0) (d[k] as number)++;
      else {
        // 9…9 + 1: one digit more.
        d[0] = 49;
        d[this.#digitsLen++] = 48;
      }
    } else {
      const s = String(n);
      for (let k = 0; k < s.length; k++) d[k] = s.charCodeAt(k);
      this.#digitsLen = s.length;
    }
    this.#digitsOf = n;
    return d;
  }

  /** A segment for the records from `offset` on (a spare one when it is of the usual size). */
  #newSegment(need: number, offset: number): Buffer {
    const seg =
      need <= SEGMENT_BYTES
        ? (this.#spare.pop() ?? Buffer.allocUnsafeSlow(SEGMENT_BYTES))
        : Buffer.allocUnsafeSlow(need);
    this.#segments.push(seg);
    this.#segmentFirst.push(offset);
    this.#seg = seg;
    this.#pos = 0;
    return seg;
  }

  #evictOldest(): void {
    const i = this.#first % this.#cap;
    this.#bytes -= this.#sizes[i] as number;
    this.#layers[i] = undefined;
    this.#chunks[i] = undefined;
    this.#first++;
    this.evicted++;
    // The oldest segment is free once its last record is gone, that is once the next segment's
    // first record is the oldest held (the segment being written is never freed).
    while (this.#segments.length > 1 && (this.#segmentFirst[1] as number) <= this.#first) {
      const seg = this.#segments.shift() as Buffer;
      this.#segmentFirst.shift();
      if (seg.length === SEGMENT_BYTES && this.#spare.length < SPARE_SEGMENTS) this.#spare.push(seg);
    }
  }
}
