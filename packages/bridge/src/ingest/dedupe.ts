/**
 * Which `(clientId, seq)` pairs were already logged, so that a browser's resend (after a lost ack,
 * a reconnect, a page reload, or a beacon that arrived as well) is logged once. Per client, the
 * seen sequence numbers are kept as sorted disjoint ranges (in-order traffic is one range). Past
 * `maxRanges`, the two oldest ranges merge (the hole between them counts as seen: a record that
 * old arriving now is taken for a resend; counted in `merged`). Past `maxClients`, the least
 * recently seen client is forgotten (counted in `forgotten`).
 */
export class DedupeTable {
  readonly #clients = new Map<string, number[]>();
  readonly #maxClients: number;
  readonly #maxRanges: number;
  merged = 0;
  forgotten = 0;

  constructor(maxClients: number, maxRanges: number) {
    this.#maxClients = maxClients;
    this.#maxRanges = Math.max(1, maxRanges);
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Records `seq` for `clientId`; false when it was already there (a duplicate). */
  add(clientId: string, seq: number): boolean {
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
