import { type Edge, newEdge } from './entries.js';

/**
 * The communication graph's edges, capped at `maxEdges`. When full, the tenth least recently used
 * edges are evicted at once (one sort per eviction round, not per message) and counted.
 */
export class EdgeTable {
  readonly #byKey = new Map<string, Edge>();
  readonly #max: number;
  evicted = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#byKey.size;
  }

  get(from: string, to: string): Edge | undefined {
    return this.#byKey.get(`${from}\u0000${to}`);
  }

  /** The edge, made if needed (evicting old ones when the table is full). */
  obtain(from: string, to: string): Edge {
    const key = `${from}\u0000${to}`;
    let e = this.#byKey.get(key);
    if (e !== undefined) return e;
    if (this.#byKey.size >= this.#max) this.#evict();
    e = newEdge(from, to);
    const r = this.#byKey.get(`${to}\u0000${from}`);
    e.reverse = r ?? null;
    if (r !== undefined) r.reverse = e;
    this.#byKey.set(key, e);
    return e;
  }

  values(): IterableIterator<Edge> {
    return this.#byKey.values();
  }

  /** Forgets every edge of an agent (the agent was evicted). */
  removeAgent(id: string): void {
    for (const [k, e] of this.#byKey)
      if (e.from === id || e.to === id) {
        this.#drop(k, e);
      }
  }

  #evict(): void {
    const all = [...this.#byKey].sort((a, b) => a[1].lastAt - b[1].lastAt);
    const n = Math.max(1, Math.floor(this.#max / 10));
    for (let i = 0; i < n && i < all.length; i++) {
      const [k, e] = all[i] as [string, Edge];
      this.#drop(k, e);
      this.evicted++;
    }
  }

  #drop(key: string, e: Edge): void {
    this.#byKey.delete(key);
    e.evicted = true;
    if (e.reverse) e.reverse.reverse = null;
  }
}
