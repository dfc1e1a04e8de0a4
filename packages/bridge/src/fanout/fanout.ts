import type { RecordStore } from '../ring/store.js';
import type { Gap, Subscription } from './subscription.js';

/** Counters of the fan-out (`bridge.stats().fanout`). */
export interface FanoutStats {
  /** Records frames built (each serialized once, whatever the number of subscribers it went to). */
  batches: number;
  /** Records frames sent (one batch to N subscribers counts N). */
  frames: number;
  /** Records delivered, summed over subscribers. */
  deliveries: number;
  /** Gap frames sent, by reason. */
  gaps: Record<string, number>;
}

/**
 * A send round follows the previous one by at least this many times what the previous one took
 * (1: sending takes at most about half of the thread while records keep coming). Measured with
 * bench/bridge.mjs B1 (100 clients at 10,000 records/s on 2 cores): at 2, a p99 latency of 12 to
 * 21 ms; at 1, 6 to 10 ms, with no loss in deliveries/s (B2) or in the logger's records/s (B5).
 */
const ROUND_SPACING = 1;

/**
 * Moves every subscription's cursor forward through the store. Subscriptions at the same cursor
 * with the same view (role and filter) form a group: its batch is read and serialized once, and
 * the same bytes go to each of them. A subscription whose socket is over the high-water mark is
 * skipped (its cursor waits) and catches up from the ring when the socket drains; if the ring
 * moved past its cursor meanwhile, it gets a `gap` frame, never a silent hole.
 */
export class Fanout {
  readonly #store: RecordStore;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #subs = new Set<Subscription>();
  #scheduled = false;
  #closed = false;
  #lastRound = Number.NEGATIVE_INFINITY;
  /** How long the last round took (ms). */
  #lastCost = 0;
  /** The last round left work for the next one. */
  #more = false;
  readonly #minRoundMs: number;
  readonly stats: FanoutStats = { batches: 0, frames: 0, deliveries: 0, gaps: {} };

  constructor(
    store: RecordStore,
    limits: { maxBatchRecords: number; maxBatchBytes: number; sendIntervalMs: number },
  ) {
    this.#store = store;
    this.#minRoundMs = limits.sendIntervalMs;
    this.#maxRecords = limits.maxBatchRecords;
    this.#maxBytes = limits.maxBatchBytes;
  }

  get size(): number {
    return this.#subs.size;
  }

  /** Starts a subscription (its cursor set by `resolveSince`), reporting `gap` first if given. */
  add(sub: Subscription, gap?: Gap): void {
    if (gap !== undefined) this.#gap(sub, gap);
    this.#subs.add(sub);
    this.schedule();
  }

  remove(sub: Subscription): void {
    this.#subs.delete(sub);
  }

  /**
   * Asks for a send round soon (new records, a socket drained). Rounds never nest. A round follows
   * the previous one by at least `sendIntervalMs`, and by at least {@link ROUND_SPACING} times
   * what the previous round took: records that come one by one at a high rate are sent as one
   * frame per interval instead of one frame per record (to every subscriber), and with many
   * subscribers the rounds space out so that sending takes a bounded share of the thread (the
   * logger and the sockets' other work get the rest). A quiet stream is sent at once, and a round
   * that stopped at a full batch is followed at once (its frames are large already).
   */
  schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    // A round that had to stop early (a full batch) is followed at once: frames are large then.
    const spacing = this.#more ? 0 : Math.max(this.#minRoundMs, this.#lastCost * ROUND_SPACING);
    const wait = spacing - (performance.now() - this.#lastRound);
    if (wait <= 0) setImmediate(this.#run);
    else setTimeout(this.#run, Math.ceil(wait)).unref();
  }

  readonly #run = (): void => {
    this.#scheduled = false;
    if (!this.#closed) this.pump();
  };

  close(): void {
    this.#closed = true;
    this.#subs.clear();
  }

  /** One send round: each group gets at most one batch; another round is scheduled while work is left. */
  pump(): void {
    const start = performance.now();
    this.#lastRound = start;
    this.#round();
    const end = performance.now();
    this.#lastCost = end - start;
    // Spacing counts from the end of the round.
    this.#lastRound = end;
    if (this.#more) this.schedule();
  }

  #round(): void {
    this.#more = false;
    const store = this.#store;
    store.commit();
    const next = store.next;
    const groups = new Map<string, Subscription[]>();
    for (const s of this.#subs) {
      if (s.cursor >= next) {
        s.stalled = false;
        continue;
      }
      if (s.cursor < store.first) {
        const reason = s.stalled ? 'slow_consumer' : 'evicted';
        this.#gap(s, { from: s.cursor, to: store.first - 1, count: store.first - s.cursor, reason });
        s.cursor = store.first;
        if (s.cursor >= next) continue;
      }
      if (!s.target.writable()) {
        s.stalled = true;
        continue;
      }
      const key = `${s.cursor}\u0000${s.view.key}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [s]);
      else group.push(s);
    }
    let more = false;
    for (const group of groups.values()) {
      const head = group[0] as Subscription;
      const { view } = head;
      const from = head.cursor;
      if (view.plain && store.batch !== undefined) {
        const read = store.batch(from, next, this.#maxRecords, this.#maxBytes, view.accept);
        if (read.body !== undefined) {
          this.stats.batches++;
          for (const s of group) {
            s.target.sendRecords(s, read.body, read.next - 1);
            this.stats.frames++;
            this.stats.deliveries += read.count;
          }
        }
        for (const s of group) s.cursor = read.next;
        if (read.next < next) more = true;
        continue;
      }
      const parts: string[] = [];
      let bytes = 0;
      let withheld = 0;
      let o = from;
      for (; o < next && parts.length < this.#maxRecords && bytes < this.#maxBytes; o++) {
        const e = store.get(o);
        if (e === undefined || !view.matches(e)) continue;
        const json = view.render(e);
        if (json === undefined) withheld++;
        else {
          parts.push(json);
          bytes += e.bytes;
        }
      }
      const to = o - 1;
      if (parts.length > 0) {
        const body = Buffer.from(`"from":${from},"to":${to},"records":[${parts.join(',')}]}`);
        this.stats.batches++;
        for (const s of group) {
          s.target.sendRecords(s, body, to);
          this.stats.frames++;
          this.stats.deliveries += parts.length;
        }
      }
      for (const s of group) {
        if (withheld > 0) this.#gap(s, { from, to, count: withheld, reason: 'filtered_by_role' });
        s.cursor = o;
      }
      if (o < next) more = true;
    }
    this.#more = more;
  }

  #gap(s: Subscription, gap: Gap): void {
    this.stats.gaps[gap.reason] = (this.stats.gaps[gap.reason] ?? 0) + 1;
    s.target.sendGap(s, gap);
  }
}
