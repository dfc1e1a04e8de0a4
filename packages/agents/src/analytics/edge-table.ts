import { type AgentEntry, type Edge, newEdge } from './entries.js';

/**
 * The communication graph's edges, capped at `maxEdges`. Each sender's edges are in its own map
 * keyed by the receiver's id, so a message finds its edge with one look-up and builds no key. When
 * full, the tenth least recently used edges are evicted at once (one sort per eviction round, not
 * per message) and counted.
 */
export class EdgeTable {
  readonly #all = new Set<Edge>();
  readonly #max: number;
  evicted = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#all.size;
  }

  /** The edge from `from` to `to`, if any. */
  get(from: AgentEntry | undefined, to: string): Edge | undefined {
    return from?.out.get(to);
  }

  /** The edge, made if needed (evicting old ones when the table is full). */
  obtain(from: AgentEntry, to: AgentEntry): Edge {
    let e = from.out.get(to.id);
    if (e !== undefined) return e;
    if (this.#all.size >= this.#max) this.#evict();
    e = newEdge(from, to);
    const r = from === to ? undefined : to.out.get(from.id);
    e.reverse = r ?? null;
    if (r !== undefined) r.reverse = e;
    from.out.set(to.id, e);
    this.#all.add(e);
    return e;
  }

  values(): IterableIterator<Edge> {
    return this.#all.values();
  }

  /** Forgets every edge of an agent (the agent was evicted). */
  removeAgent(id: string): void {
    for (const e of this.#all) if (e.from === id || e.to === id) this.#drop(e);
  }

  #evict(): void {
    const all = [...this.#all].sort((a, b) => a.lastAt - b.lastAt);
    const n = Math.max(1, Math.floor(this.#max / 10));
    for (let i = 0; i < n && i < all.length; i++) {
      this.#drop(all[i] as Edge);
      this.evicted++;
    }
  }

  #drop(e: Edge): void {
    this.#all.delete(e);
    if (e.src.out.get(e.to) === e) e.src.out.delete(e.to);
    e.evicted = true;
    if (e.reverse) e.reverse.reverse = null;
  }
}
