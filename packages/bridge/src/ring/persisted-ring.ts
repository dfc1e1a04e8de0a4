import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { LEVELS, type LevelName } from 'hydra-logger';
import { withOffset } from './entry.js';
import { newEpoch } from './epoch.js';
import { MemoryRing } from './memory-ring.js';
import { RingWrapper } from './ring-wrapper.js';
import type { RingEntry } from './store.js';

export interface PersistedRingOptions {
  dir: string;
  maxRecords: number;
  maxBytes: number;
  /** Called once when the directory cannot be written any more (the next start gets a new epoch). */
  onError?: (err: Error) => void;
}

const STATE_FILE = 'state.json';
const RING_FILE = 'ring.ndjson';

/**
 * The in-memory ring, kept on disk in `dir` so a restart keeps the epoch and the recent history.
 * Records are written (one `write` per send round, before anything is sent) ahead of delivery, so
 * every offset a client has seen is in the file even after a crash or SIGKILL: a restart never
 * reuses an offset within the epoch. (Power loss is not covered: no fsync per round.) The file is
 * rewritten from memory when it holds twice the ring. A torn last line (a write cut short) is
 * dropped; any other damage starts a new epoch, which clients see as an `epoch_changed` gap.
 */
export class PersistedRing extends RingWrapper {
  readonly #dir: string;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #onError: ((err: Error) => void) | undefined;
  #fd: number | undefined;
  #pending: string[] = [];
  #fileRecords = 0;
  #fileBytes = 0;
  #failed = false;

  constructor(options: PersistedRingOptions) {
    super();
    this.#dir = options.dir;
    this.#maxRecords = options.maxRecords;
    this.#maxBytes = options.maxBytes;
    this.#onError = options.onError;
    mkdirSync(this.#dir, { recursive: true });
    const loaded = this.#load();
    this.ring = new MemoryRing({
      maxRecords: options.maxRecords,
      maxBytes: options.maxBytes,
      epoch: loaded.epoch,
      firstOffset: loaded.entries[0]?.offset ?? loaded.next,
    });
    for (const e of loaded.entries) this.ring.push(e);
    writeFileSync(join(this.#dir, `${STATE_FILE}.tmp`), `${JSON.stringify({ v: 1, epoch: loaded.epoch })}\n`);
    renameSync(join(this.#dir, `${STATE_FILE}.tmp`), join(this.#dir, STATE_FILE));
    this.#rewrite();
  }

  append(layer: string, level: number, line: string, clean?: boolean): void {
    const offset = this.ring.append(layer, level, line, clean);
    if (!this.#failed) this.#pending.push(withOffset(line, offset));
  }

  override commit(): void {
    super.commit();
    if (this.#pending.length === 0 || this.#fd === undefined) return;
    const text = `${this.#pending.join('\n')}\n`;
    const n = this.#pending.length;
    this.#pending = [];
    try {
      const buf = Buffer.from(text);
      let off = 0;
      while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
      this.#fileRecords += n;
      this.#fileBytes += buf.length;
      if (this.#fileRecords > 2 * this.#maxRecords || this.#fileBytes > 2 * this.#maxBytes) this.#rewrite();
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  close(): void {
    this.commit();
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** The epoch and the records of the last run; a fresh epoch when there is none or it is damaged. */
  #load(): { epoch: string; next: number; entries: RingEntry[] } {
    const fresh = { epoch: newEpoch(), next: 0, entries: [] };
    let epoch: unknown;
    try {
      epoch = (JSON.parse(readFileSync(join(this.#dir, STATE_FILE), 'utf8')) as { epoch?: unknown }).epoch;
    } catch {
      return fresh;
    }
    if (typeof epoch !== 'string' || epoch.length === 0) return fresh;
    let text: string;
    try {
      text = readFileSync(join(this.#dir, RING_FILE), 'utf8');
    } catch {
      return { epoch, next: 0, entries: [] };
    }
    const lines = text.split('\n');
    // The part after the last newline is a write cut short: never sent, dropped.
    lines.pop();
    const entries: RingEntry[] = [];
    for (const line of lines) {
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return fresh;
      }
      const offset = r.offset;
      const prev = entries.at(-1);
      if (typeof offset !== 'number' || (prev !== undefined && offset !== prev.offset + 1)) return fresh;
      const level = LEVELS[r.level as LevelName] ?? 0;
      const layer = typeof r.layer === 'string' ? r.layer : 'DEFAULT';
      entries.push({ offset, layer, level, json: line, bytes: line.length });
    }
    return { epoch, next: (entries.at(-1)?.offset ?? -1) + 1, entries };
  }

  /** The file rewritten from memory (a temporary file renamed over it), then opened for appends. */
  #rewrite(): void {
    if (this.#failed) return;
    try {
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = undefined;
      const parts: string[] = [];
      for (const e of this.ring.entries()) parts.push(`${e.json}\n`);
      const tmp = join(this.#dir, `${RING_FILE}.tmp`);
      const text = parts.join('');
      writeFileSync(tmp, text);
      renameSync(tmp, join(this.#dir, RING_FILE));
      this.#fd = openSync(join(this.#dir, RING_FILE), 'a');
      this.#fileRecords = parts.length;
      this.#fileBytes = Buffer.byteLength(text);
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  /** The directory cannot be written: persistence stops, and the next start must not trust the file. */
  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#pending = [];
    try {
      rmSync(join(this.#dir, STATE_FILE), { force: true });
    } catch {
      // Nothing more can be done; the error below says why.
    }
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {}
      this.#fd = undefined;
    }
    this.#onError?.(err);
  }
}
