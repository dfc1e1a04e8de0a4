import { fs, path } from '../internal/builtins.js';

/** One batch on disk: `<key>.<seq>.batch`, a header (`HLS1`, record count) and length-prefixed messages. */
export interface SpoolEntry {
  seq: number;
  file: string;
  records: number;
  bytes: number;
}

const MAGIC = 0x484c5331; // "HLS1"

/**
 * The disk spool of one network destination: batches that could not be sent, one file each, kept
 * in order (by `seq`) in `dir` under a key of the destination's own. A file is written under a
 * temporary name and renamed, so a crash leaves either the whole batch or none of it; a batch is
 * deleted only once the receiver acknowledged it. Synchronous: it runs at exit too.
 */
export class Spool {
  readonly #entries: SpoolEntry[] = [];
  #bytes = 0;
  #records = 0;
  readonly #prefix: string;

  constructor(
    readonly dir: string,
    key: string,
    readonly maxBytes: number,
  ) {
    this.#prefix = `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.`;
  }

  /** Creates the directory and reads what an earlier process left (headers only). Returns the records found. */
  open(): number {
    fs.mkdirSync(this.dir, { recursive: true });
    for (const name of fs.readdirSync(this.dir)) {
      if (!name.startsWith(this.#prefix)) continue;
      const file = path.join(this.dir, name);
      if (name.endsWith('.tmp')) {
        // A batch whose write was cut (crash): never renamed, so never part of the spool.
        fs.rmSync(file, { force: true });
        continue;
      }
      const m = /^(-?\d+)\.batch$/.exec(name.slice(this.#prefix.length));
      if (m === null) continue;
      const head = Buffer.alloc(8);
      let bytes = 0;
      try {
        const fd = fs.openSync(file, 'r');
        try {
          fs.readSync(fd, head, 0, 8, 0);
          bytes = fs.fstatSync(fd).size;
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        continue;
      }
      const records = head.readUInt32BE(0) === MAGIC ? head.readUInt32BE(4) : 0;
      this.#entries.push({ seq: Number(m[1]), file, records, bytes });
      this.#bytes += bytes;
      this.#records += records;
    }
    this.#entries.sort((a, b) => a.seq - b.seq);
    return this.#records;
  }

  get size(): number {
    return this.#entries.length;
  }
  get bytes(): number {
    return this.#bytes;
  }
  get records(): number {
    return this.#records;
  }
  head(): SpoolEntry | undefined {
    return this.#entries[0];
  }

  /** Writes a batch after the others (`atHead`: before them). `false` when it does not fit or cannot be written. */
  add(msgs: readonly Buffer[], atHead: boolean): boolean {
    let size = 8;
    for (const m of msgs) size += 4 + m.length;
    if (this.#bytes + size > this.maxBytes) return false;
    const seq =
      this.#entries.length === 0
        ? Date.now()
        : atHead
          ? (this.#entries[0] as SpoolEntry).seq - 1
          : (this.#entries[this.#entries.length - 1] as SpoolEntry).seq + 1;
    const buf = Buffer.allocUnsafe(size);
    buf.writeUInt32BE(MAGIC, 0);
    buf.writeUInt32BE(msgs.length, 4);
    let at = 8;
    for (const m of msgs) {
      buf.writeUInt32BE(m.length, at);
      m.copy(buf, at + 4);
      at += 4 + m.length;
    }
    const file = path.join(this.dir, `${this.#prefix}${seq}.batch`);
    try {
      fs.writeFileSync(`${file}.tmp`, buf);
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      try {
        fs.rmSync(`${file}.tmp`, { force: true });
      } catch {}
      return false;
    }
    const e = { seq, file, records: msgs.length, bytes: size };
    if (atHead) this.#entries.unshift(e);
    else this.#entries.push(e);
    this.#bytes += size;
    this.#records += msgs.length;
    return true;
  }

  /** The messages of an entry; throws when the file is unreadable or cut. */
  read(e: SpoolEntry): Buffer[] {
    const buf = fs.readFileSync(e.file);
    if (buf.length < 8 || buf.readUInt32BE(0) !== MAGIC) throw new Error(`${e.file}: not a spool batch`);
    const n = buf.readUInt32BE(4);
    const out: Buffer[] = [];
    let at = 8;
    for (let i = 0; i < n; i++) {
      if (at + 4 > buf.length) throw new Error(`${e.file}: cut`);
      const len = buf.readUInt32BE(at);
      if (at + 4 + len > buf.length) throw new Error(`${e.file}: cut`);
      out.push(buf.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
    return out;
  }

  /** Deletes the head entry (acknowledged, or dropped). */
  removeHead(): void {
    const e = this.#entries.shift();
    if (e === undefined) return;
    this.#bytes -= e.bytes;
    this.#records -= e.records;
    try {
      fs.rmSync(e.file, { force: true });
    } catch {
      // Left on disk it would be sent again by the next process: nothing better can be done here.
    }
  }
}
