import type { Outbox } from './outbox/outbox.js';
import type { Entry } from './types.js';

/** Resolved delivery settings. */
export interface DeliveryOptions {
  wsUrl: string;
  httpBase: string;
  token: string | undefined;
  transport: 'auto' | 'ws' | 'http';
  maxRecords: number;
  maxBytes: number;
  maxDelayMs: number;
  outboxRecords: number;
  outboxBytes: number;
  baseMs: number;
  maxMs: number;
  /** A connection that has not said `hello`, or an HTTP request not answered, is given up after this. */
  timeoutMs: number;
}

/** The beacon budget of a page (all beacons in flight together): 64 KiB. */
export const BEACON_BUDGET = 64 * 1024;
/** Batches in flight at once on a WebSocket. */
const MAX_INFLIGHT = 8;

type Frame = Record<string, unknown> & { type: string };

/**
 * Outbox → batches → WebSocket (or HTTP POST) → acks. Every record keeps its `(clientId, seq)` and
 * stays in the outbox until the bridge acknowledges it; a batch whose ack does not come (socket
 * closed, request failed) goes back to the queue and is sent again after a full-jitter backoff.
 * The bridge logs a `(clientId, seq)` once, so a resend never doubles a record.
 */
export class Delivery {
  /** Entries not in flight, in creation order. */
  #q: Entry[] = [];
  /** Batches in flight, by the sequence number of their first entry. */
  readonly #inflight = new Map<number, Entry[]>();
  size = 0;
  #bytes = 0;
  sent = 0;
  acked = 0;
  duplicates = 0;
  beaconed = 0;
  readonly dropped: Record<string, number> = {};
  mode: 'ws' | 'http';
  ws: WebSocket | undefined;
  ready = false;
  #wsFails = 0;
  #httpSince = 0;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryAt = 0;
  #timerAt = 0;
  #httpBusy = false;
  #maxBatch: number;
  #waiters: { upTo: number; done: () => void }[] = [];
  #toStore: Entry[] = [];
  closed = false;
  /** Frames other than acks (subscription records), for `onLog`. */
  onFrame: ((f: Frame) => void) | undefined;
  onReady: (() => void) | undefined;
  #loading: Promise<void>;

  constructor(
    readonly o: DeliveryOptions,
    readonly outbox: Outbox,
    nextIndex: () => number,
  ) {
    this.mode = o.transport === 'http' ? 'http' : 'ws';
    this.#maxBatch = o.maxRecords;
    this.#loading = outbox.load().then((old) => {
      for (const e of old) e.i = nextIndex();
      this.#q = old.concat(this.#q);
      for (const e of old) this.#count(e, 1);
      this.#bound();
    });
    this.#loading.then(() => this.pump());
  }

  get online(): boolean {
    return typeof navigator === 'undefined' || navigator.onLine !== false;
  }

  drop(reason: string, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  #count(e: Entry, sign: number): void {
    this.size += sign;
    this.#bytes += sign * e.n;
  }

  push(e: Entry): void {
    this.#q.push(e);
    this.#count(e, 1);
    this.#toStore.push(e);
    this.#bound();
    if (this.#toStore.length === 1) queueMicrotask(() => this.#store());
    if (this.#q.length >= this.o.maxRecords) this.#soon(0);
    else this.#soon(this.o.maxDelayMs);
  }

  #store(): void {
    const batch = this.#toStore.filter((e) => e.st === 0);
    this.#toStore = [];
    if (batch.length > 0) this.outbox.put(batch);
  }

  /** Oldest records not in flight go first when the outbox is over its bounds. */
  #bound(): void {
    while ((this.size > this.o.outboxRecords || this.#bytes > this.o.outboxBytes) && this.#q.length > 0) {
      const e = this.#q.shift() as Entry;
      this.#count(e, -1);
      this.outbox.del([e]);
      this.drop('outbox_full');
    }
  }

  #soon(ms: number): void {
    if (this.closed) return;
    const at = Math.max(Date.now() + ms, this.#retryAt);
    if (this.#timer !== undefined) {
      if (this.#timerAt <= at) return;
      clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** Sends what can be sent now; opens the connection when needed. */
  pump(): void {
    if (this.closed || !this.online || Date.now() < this.#retryAt) {
      if (this.#retryAt > Date.now()) this.#soon(0);
      return;
    }
    if (this.mode === 'http') {
      void this.#pumpHttp();
      return;
    }
    if (this.ws === undefined) {
      this.#connect();
      return;
    }
    if (!this.ready) return;
    while (this.#q.length > 0 && this.#inflight.size < MAX_INFLIGHT) {
      const batch = this.#take();
      if (batch === undefined) break;
      const first = batch[0] as Entry;
      this.#inflight.set(first.s, batch);
      this.sent += batch.length;
      this.ws.send(
        JSON.stringify({ type: 'logs', clientId: first.c, seq: first.s, records: batch.map((e) => e.r) }),
      );
    }
  }

  /** The next batch: entries of one client, within the record and byte bounds. */
  #take(): Entry[] | undefined {
    const head = this.#q[0] as Entry;
    if (this.#inflight.has(head.s)) return undefined;
    let n = 0;
    let bytes = 0;
    while (n < this.#q.length && n < this.#maxBatch) {
      const e = this.#q[n] as Entry;
      if (e.c !== head.c || (n > 0 && bytes + e.n > this.o.maxBytes)) break;
      bytes += e.n;
      n++;
    }
    return this.#q.splice(0, n);
  }

  #connect(): void {
    const protocols = ['hydra.v1'];
    if (this.o.token !== undefined) protocols.push(`hydra.token.${this.o.token}`);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.o.wsUrl, protocols);
    } catch {
      this.#failed(true);
      return;
    }
    this.ws = ws;
    // A connection that stays CONNECTING (or opens and never says hello) would stall delivery.
    const deadline = setTimeout(() => {
      if (!this.ready) this.#lost(ws);
    }, this.o.timeoutMs);
    ws.onmessage = (ev) => {
      let f: Frame;
      try {
        f = JSON.parse(String(ev.data)) as Frame;
      } catch {
        return;
      }
      if (f.type === 'hello') {
        clearTimeout(deadline);
        this.ready = true;
        this.#wsFails = 0;
        this.#attempt = 0;
        const limits = f.limits as { maxIngestBatchRecords?: number } | undefined;
        this.#maxBatch = Math.min(this.o.maxRecords, limits?.maxIngestBatchRecords ?? this.o.maxRecords);
        this.onReady?.();
        this.pump();
      } else if (f.type === 'ack') this.#ack(f.seq as number, f);
      else if (f.type === 'ping') ws.send(JSON.stringify({ type: 'pong', t: f.t }));
      else if (f.type === 'error' && typeof f.seq === 'number') {
        const batch = this.#inflight.get(f.seq);
        if (batch === undefined) return;
        this.#inflight.delete(f.seq);
        if (f.code === 'rate_limited') {
          this.#requeue(batch);
          this.#retryAt = Date.now() + 1000;
          this.#soon(0);
        } else this.#settle(batch, 0, batch.length, 'rejected');
      } else this.onFrame?.(f);
    };
    ws.onclose = () => {
      clearTimeout(deadline);
      this.#lost(ws);
    };
  }

  /** The connection is gone (closed, or given up): batches in flight go back to the queue. */
  #lost(ws: WebSocket): void {
    if (this.ws !== ws) return;
    const wasReady = this.ready;
    this.ws = undefined;
    this.ready = false;
    ws.close();
    for (const b of this.#inflight.values()) this.#requeue(b);
    this.#inflight.clear();
    this.#failed(!wasReady);
  }

  /** A connection or request failed: try again after a full-jitter backoff. */
  #failed(neverOpened: boolean): void {
    if (this.closed) return;
    if (neverOpened && this.o.transport === 'auto' && this.mode === 'ws' && ++this.#wsFails >= 2) {
      this.mode = 'http';
      this.#httpSince = Date.now();
      this.#soon(0);
      return;
    }
    const cap = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(this.#attempt++, 20));
    this.#retryAt = Date.now() + Math.random() * cap;
    this.#soon(0);
  }

  #requeue(batch: Entry[]): void {
    this.#q = batch.concat(this.#q);
    if (this.#q.length > batch.length) this.#q.sort((a, b) => a.i - b.i);
  }

  async #pumpHttp(): Promise<void> {
    if (this.#httpBusy || this.#q.length === 0) return;
    if (this.o.transport === 'auto' && Date.now() - this.#httpSince > 30_000) {
      this.mode = 'ws';
      this.#wsFails = 0;
      this.pump();
      return;
    }
    const batch = this.#take();
    if (batch === undefined) return;
    const first = batch[0] as Entry;
    this.#httpBusy = true;
    this.#inflight.set(first.s, batch);
    this.sent += batch.length;
    let status = 0;
    let body: Frame | undefined;
    try {
      const res = await fetch(`${this.o.httpBase}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: this.#body(batch),
        credentials: 'include',
        // (Browsers without AbortSignal.timeout, before 2022, send without a deadline.)
        signal: AbortSignal.timeout?.(this.o.timeoutMs),
      });
      status = res.status;
      body = (await res.json().catch(() => undefined)) as Frame | undefined;
    } catch {}
    this.#httpBusy = false;
    this.#inflight.delete(first.s);
    if (status === 200 && body?.type === 'ack') {
      this.#inflightAck(batch, body);
      this.#attempt = 0;
      return this.pump();
    }
    if (status === 400 || status === 413 || status === 415)
      return this.#settle(batch, 0, batch.length, 'rejected');
    this.#requeue(batch);
    this.#failed(false);
  }

  #body(batch: Entry[]): string {
    const first = batch[0] as Entry;
    const v: Record<string, unknown> = { clientId: first.c, seq: first.s, records: batch.map((e) => e.r) };
    if (this.o.token !== undefined) v.token = this.o.token;
    return JSON.stringify(v);
  }

  #ack(seq: number, f: Frame): void {
    const batch = this.#inflight.get(seq);
    if (batch === undefined) return;
    this.#inflight.delete(seq);
    this.#inflightAck(batch, f);
    this.pump();
  }

  #inflightAck(batch: Entry[], f: Frame): void {
    this.duplicates += (f.duplicates as number) ?? 0;
    const rejected = Array.isArray(f.rejected) ? f.rejected.length : 0;
    if (rejected > 0) this.drop('rejected', rejected);
    this.#settle(batch, 0, batch.length, undefined);
  }

  /** Entries leave the outbox: acknowledged, or dropped for `reason`. */
  #settle(batch: Entry[], from: number, to: number, reason: string | undefined): void {
    const done = batch.slice(from, to);
    for (const e of done) this.#count(e, -1);
    this.outbox.del(done);
    if (reason === undefined) this.acked += done.length;
    else this.drop(reason, done.length);
    if (this.#waiters.length > 0) this.#wake();
  }

  /** Lowest creation index not yet acknowledged. */
  #lowest(): number {
    let low = Number.POSITIVE_INFINITY;
    for (const e of this.#q) if (e.i < low) low = e.i;
    for (const b of this.#inflight.values()) for (const e of b) if (e.i < low) low = e.i;
    return low;
  }

  #wake(): void {
    const low = this.#lowest();
    this.#waiters = this.#waiters.filter((w) => (w.upTo <= low ? void w.done() : true));
  }

  /** Resolves when every entry created before index `upTo` is acknowledged (or dropped). */
  whenAcked(upTo: number): Promise<void> {
    return this.#loading.then(
      () =>
        new Promise<void>((done) => {
          this.#waiters.push({ upTo, done });
          this.#wake();
          this.#retryAt = 0;
          this.pump();
        }),
    );
  }

  /** Page exit: unacknowledged records by `sendBeacon`, within the 64 KiB budget; they stay in the outbox. */
  beacon(): void {
    if (typeof navigator === 'undefined' || !navigator.sendBeacon) return;
    const all = [...this.#inflight.values()].flat().concat(this.#q);
    // Each chunk: records of one client; its size counted as JSON characters plus an envelope
    // allowance (a non-ASCII text can exceed it: the browser then refuses, and sending stops).
    let budget = BEACON_BUDGET;
    for (let i = 0, j = 0; i < all.length; i = j) {
      let size = 200;
      while (j < all.length && (all[j] as Entry).c === (all[i] as Entry).c && j - i < this.#maxBatch) {
        const n = (all[j] as Entry).n + 1;
        if (size + n > budget) break;
        size += n;
        j++;
      }
      if (j === i || !navigator.sendBeacon(`${this.o.httpBase}/ingest`, this.#body(all.slice(i, j)))) return;
      budget -= size;
      this.beaconed += j - i;
    }
  }

  close(): void {
    this.closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000);
  }
}
