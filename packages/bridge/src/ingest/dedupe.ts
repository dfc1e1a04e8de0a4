import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The journal is rewritten as a snapshot of the table once it grows past this many bytes. */
export const DEDUPE_JOURNAL_MAX_BYTES = 1024 * 1024;

/**
 * Which `(clientId, seq)` pairs were already logged, so that a browser's resend (after a lost ack,
 * a reconnect, a page reload, or a beacon that arrived as well) is logged once. Per client, the
 * seen sequence numbers are kept as sorted disjoint ranges (in-order traffic is one range). Past
 * `maxRanges`, the two oldest ranges merge (the hole between them counts as seen: a record that
 * old arriving now is taken for a resend; counted in `merged`). Past `maxClients`, the least
 * recently seen client is forgotten (counted in `forgotten`).
 *
 * With a `file` (the bridge's `persist.dir`/`dedupe.log`), the table survives a restart: `commit()`
 * appends the pairs added since the last commit as one line per client run (`[clientId, lo, hi]`
 * as JSON) with a synchronous write, and the ingestor commits a batch before it acknowledges it.
 * A new table replays the file; past {@link DEDUPE_JOURNAL_MAX_BYTES} the file is rewritten as a
 * snapshot of the ranges (written beside it, then renamed over it). A write failure stops the
 * journal (counted in `journalErrors`): de-duplication goes on in memory.
 */
export class DedupeTable {
  readonly #clients = new Map<string, number[]>();
  readonly #maxClients: number;
  readonly #maxRanges: number;
  readonly #file: string | undefined;
  /** Runs added since the last commit: clientId, lo, hi, … */
  #pending: (string | number)[] = [];
  #journalBytes = 0;
  merged = 0;
  forgotten = 0;
  journalErrors = 0;

  constructor(maxClients: number, maxRanges: number, file?: string) {
    this.#maxClients = maxClients;
    this.#maxRanges = Math.max(1, maxRanges);
    this.#file = file;
    if (file !== undefined) this.#replay(file);
  }

  #replay(file: string): void {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const [c, lo, hi] = JSON.parse(line) as [string, number, number];
        if (typeof c !== 'string' || !Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi - lo > 1e7)
          continue;
        for (let s = lo; s <= hi; s++) this.add(c, s);
      } catch {
        // A line cut by a crash: the pairs in it were never acknowledged, so they are resent.
      }
    }
    this.#pending = [];
    this.#journalBytes = text.length;
  }

  /** Writes the pairs added since the last commit to the journal (no-op without a file). */
  commit(): void {
    const file = this.#file;
    const p = this.#pending;
    if (file === undefined || p.length === 0) return;
    this.#pending = [];
    let text = '';
    for (let i = 0; i < p.length; i += 3) text += `${JSON.stringify([p[i], p[i + 1], p[i + 2]])}\n`;
    try {
      if (this.#journalBytes + text.length > DEDUPE_JOURNAL_MAX_BYTES) {
        let snap = '';
        for (const [c, r] of this.#clients)
          for (let i = 0; i < r.length; i += 2) snap += `${JSON.stringify([c, r[i], r[i + 1]])}\n`;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(`${file}.tmp`, snap);
        renameSync(`${file}.tmp`, file);
        this.#journalBytes = snap.length;
      } else {
        if (this.#journalBytes === 0) mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, text);
        this.#journalBytes += text.length;
      }
    } catch {
      this.journalErrors++;
    }
  }

  #note(clientId: string, seq: number): void {
    if (this.#file === undefined) return;
    const p = this.#pending;
    const n = p.length;
    if (n > 0 && p[n - 3] === clientId && p[n - 1] === seq - 1) p[n - 1] = seq;
    else p.push(clientId, seq, seq);
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Records `seq` for `clientId`; false when it was already there (a duplicate). */
  add(clientId: string, seq: number): boolean {
    if (!this.#add(clientId, seq)) return false;
    this.#note(clientId, seq);
    return true;
  }

  #add(clientId: string, seq: number): boolean {
    let r = this.#clients.get(clientId);
    if (r === undefined) {
      if (this.#clients.size >= this.#maxClients) {
        const oldest = this.#clients.keys().next().value as string;
        this.#clients.delete(oldest);
        this.forgotten++;
      }
      this.#clients.set(clientId, [seq, seq]);
      return true;
    }
    // Least recently seen first: move this client to the end.
    this.#clients.delete(clientId);
    this.#clients.set(clientId, r);
    const n = r.length;
    // Fast path: the next number after the newest range.
    if (seq === (r[n - 1] as number) + 1) {
      r[n - 1] = seq;
      return true;
    }
    if (contains(r, seq)) return false;
    r = insert(r, seq);
    while (r.length > 2 * this.#maxRanges) {
      // Merge the two oldest ranges.
      r.splice(1, 2);
      this.merged++;
    }
    this.#clients.set(clientId, r);
    return true;
  }
}

function contains(r: readonly number[], seq: number): boolean {
  for (let i = 0; i < r.length; i += 2)
    if (seq >= (r[i] as number) && seq <= (r[i + 1] as number)) return true;
  return false;
}

/** `r` with `seq` (not in it) added, as a new array; ranges that touch are joined. */
function insert(r: readonly number[], seq: number): number[] {
  const out: number[] = [];
  let placed = false;
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i] as number;
    const hi = r[i + 1] as number;
    if (!placed && seq < lo) {
      out.push(seq, seq);
      placed = true;
    }
    out.push(lo, hi);
  }
  if (!placed) out.push(seq, seq);
  // Join ranges that now touch.
  const joined: number[] = [];
  for (let i = 0; i < out.length; i += 2) {
    const lo = out[i] as number;
    const hi = out[i + 1] as number;
    const n = joined.length;
    if (n > 0 && lo <= (joined[n - 1] as number) + 1) joined[n - 1] = Math.max(joined[n - 1] as number, hi);
    else joined.push(lo, hi);
  }
  return joined;
}
