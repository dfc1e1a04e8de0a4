import type { DeliverySettings } from '../config/types.js';
import type { CloseOptions, Destination, DestinationStats } from '../destinations/destination.js';
import type { Formatter } from '../formats/formatter.js';
import { DELIVERY_LIMITS } from '../internal/limits.js';
import type { LogRecord } from '../record/record.js';
import { Spool } from './spool.js';
import {
  type Health,
  type NetworkDestinationSpec,
  type ResolvedDelivery,
  SendError,
  type SendResult,
} from './types.js';

/** One batch: its messages, their bytes, and the sequence number of its first message (memory batches). */
interface Batch {
  /** Strings as encoded (turned into Buffers when the batch is sent or spooled, off the log call). */
  msgs: (Buffer | string)[];
  bytes: number;
  /** Sequence number of its first and last message (flush() waits by these). */
  first: number;
  last: number;
  attempts: number;
  /** Read from the spool: deleted from it once acknowledged. */
  spooled: boolean;
}

/** The delivery settings with every default filled in (DELIVERY_LIMITS). */
export function resolveDelivery(d: DeliverySettings): ResolvedDelivery {
  const L = DELIVERY_LIMITS;
  return {
    maxQueueBytes: d.maxQueueBytes ?? L.maxQueueBytes,
    batch: {
      maxRecords: d.batch?.maxRecords ?? L.batchMaxRecords,
      maxBytes: d.batch?.maxBytes ?? L.batchMaxBytes,
      maxDelayMs: d.batch?.maxDelayMs ?? L.batchMaxDelayMs,
    },
    retry: {
      maxAttempts: d.retry?.maxAttempts ?? L.retryMaxAttempts,
      baseMs: d.retry?.baseMs ?? L.retryBaseMs,
      maxMs: d.retry?.maxMs ?? L.retryMaxMs,
    },
    timeoutMs: d.timeoutMs ?? L.timeoutMs,
    spool:
      d.spool === undefined ? undefined : { dir: d.spool.dir, maxBytes: d.spool.maxBytes ?? L.spoolMaxBytes },
  };
}

/** Full-jitter backoff: a random wait in [0, min(maxMs, baseMs·2^(n−1))], at least `retryAfterMs` (capped by maxMs). */
export function backoffMs(failures: number, r: ResolvedDelivery['retry'], retryAfterMs?: number): number {
  const bound = Math.min(r.maxMs, r.baseMs * 2 ** Math.min(failures - 1, 30));
  const wait = Math.random() * bound;
  return retryAfterMs === undefined ? wait : Math.max(wait, Math.min(retryAfterMs, r.maxMs));
}

/** The batch's messages as Buffers: strings are written into one allocation and handed out as views. */
function buffers(b: Batch): Buffer[] {
  const m = b.msgs;
  let strings = 0;
  for (const x of m) if (typeof x === 'string') strings++;
  if (strings === 0) return m as Buffer[];
  const out = new Array<Buffer>(m.length);
  const slab = Buffer.allocUnsafe(b.bytes);
  let at = 0;
  for (let i = 0; i < m.length; i++) {
    const x = m[i] as Buffer | string;
    if (typeof x === 'string') {
      const n = slab.write(x, at);
      out[i] = slab.subarray(at, at + n);
      at += n;
    } else out[i] = x;
  }
  b.msgs = out;
  return out;
}

const asSendError = (err: unknown): SendError =>
  err instanceof SendError
    ? err
    : new SendError((err as Error)?.message ?? String(err), {
        retryable: true,
        reason: 'network',
        code: (err as NodeJS.ErrnoException)?.code ?? 'network',
        cause: err,
      });

/** A report for the logger's reporter (one `error` event and stderr line per destination and code). */
function problem(code: string, message: string, counted: boolean): NodeJS.ErrnoException {
  const e = new Error(message) as NodeJS.ErrnoException & { uncounted?: boolean };
  e.code = code;
  if (!counted) e.uncounted = true;
  return e;
}

// One `beforeExit` and one `exit` listener for every live network destination.
const live = new Set<NetworkDestination>();
let hooked = false;
function track(d: NetworkDestination): void {
  live.add(d);
  if (hooked) return;
  hooked = true;
  // The loop is empty: send what is batched (the request keeps the process alive until it settles).
  process.on('beforeExit', () => {
    for (const x of live) x.beforeExit();
  });
  // Synchronous: pending batches go to the spool, or are reported lost.
  process.on('exit', () => {
    for (const x of live) x.exitSync();
  });
}

/**
 * The one delivery engine of the network destinations. A log call encodes the record and appends
 * it to the batch being filled (never touching the network, never throwing); a batch is sealed at
 * `batch.maxRecords`, `batch.maxBytes` or `batch.maxDelayMs`, and batches are sent one at a time,
 * in order. Retryable failures back off with full jitter (at least `Retry-After`); the health goes
 * `DEGRADED`, then `DOWN` after {@link DELIVERY_LIMITS}.downAfterFailures failures in a row, and
 * while not `UP` only the retry of the head batch is in flight (one probe, no stampede).
 *
 * Memory is bounded by `maxQueueBytes` (the batch being filled, the sealed ones, the one in
 * flight). With a spool, sealed batches go to disk while the destination is not `UP` (or the
 * spool still holds older ones) and when memory is full; the spool is sent first, in order, and a
 * file is deleted only after its batch was acknowledged. Without one, a batch is dropped after
 * `retry.maxAttempts` (`retries_exhausted`).
 *
 * Ledger: `produced (records + recovered) = delivered + Σ dropped + pending`.
 */
export class NetworkDestination implements Destination {
  readonly id: string;
  readonly type: string;
  readonly minLevel: number;
  readonly formatter: Formatter | undefined;
  readonly #spec: NetworkDestinationSpec;
  readonly #o: ResolvedDelivery;
  readonly #spool: Spool | undefined;

  // The batch being filled.
  #cur: (Buffer | string)[] = [];
  #curBytes = 0;
  #curFirst = 0;
  #batchTimer: NodeJS.Timeout | undefined;
  /** Sealed batches in memory, oldest first. */
  #ready: Batch[] = [];
  #inflight: Batch | undefined;
  #abort: AbortController | undefined;
  /** Bumped when close gives up on the batch in flight: its late settlement is ignored. */
  #gen = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #pumpQueued = false;
  /** Bytes and records held in memory (the batch being filled, sealed batches, a memory batch in flight). */
  #queueBytes = 0;
  #memRecords = 0;
  /** Sequence number of the last record queued. */
  #seq = 0;

  #records = 0;
  #recovered = 0;
  #delivered = 0;
  #dropped: Record<string, number> = {};
  #bytesWritten = 0;
  #writes = 0;
  #flushes = 0;
  #retries = 0;
  #errors = 0;
  #health: Health = 'UP';
  #failures = 0;
  #lastError: SendError | undefined;

  #closed = false;
  /** No more sends (close gave up or finished, or the process exits). */
  #stopped = false;
  #closing: Promise<void> | undefined;
  #waiters: { target: number; resolve: () => void }[] = [];

  constructor(spec: NetworkDestinationSpec) {
    this.#spec = spec;
    this.id = spec.id;
    this.type = spec.type;
    this.minLevel = spec.minLevel;
    this.formatter = spec.formatter;
    this.#o = resolveDelivery(spec.delivery);
    const sp = this.#o.spool;
    if (sp !== undefined) {
      this.#spool = new Spool(sp.dir, `${spec.type}-${spec.id}`, sp.maxBytes);
      try {
        this.#recovered = this.#spool.open();
      } catch (err) {
        this.#report(
          problem(
            (err as NodeJS.ErrnoException).code ?? 'spool_error',
            `spool ${sp.dir}: ${(err as Error).message}`,
            false,
          ),
        );
      }
      // Batches an earlier process left are sent first, even before the first log call.
      if (this.#spool.size > 0) setImmediate(() => this.#pump());
    }
    track(this);
  }

  /** The resolved delivery settings (tests, docs). */
  get settings(): ResolvedDelivery {
    return this.#o;
  }

  write(line: string, record: LogRecord): void {
    this.#records++;
    if (this.#closed) {
      this.#drop('closed', 1);
      return;
    }
    let m: Buffer | string;
    let n: number;
    try {
      m = this.#spec.encode(record, line);
      n = typeof m === 'string' ? Buffer.byteLength(m) : m.length;
    } catch (err) {
      this.#drop('encode_error', 1);
      this.#errors++;
      this.#report(problem('encode_error', `encoding a record failed: ${(err as Error)?.message}`, true));
      return;
    }
    if (this.#queueBytes + n > this.#o.maxQueueBytes && !this.#makeRoom(n)) {
      this.#drop(this.#spool !== undefined && n <= this.#o.maxQueueBytes ? 'spool_full' : 'queue_full', 1);
      return;
    }
    const b = this.#o.batch;
    // A batch never passes maxBytes (a record larger than it alone is sent as a batch of one).
    if (this.#cur.length > 0 && this.#curBytes + n > b.maxBytes) {
      this.#seal();
      this.#pumpSoon();
    }
    if (this.#cur.length === 0) this.#curFirst = this.#seq + 1;
    this.#seq++;
    this.#cur.push(m);
    this.#curBytes += n;
    this.#queueBytes += n;
    this.#memRecords++;
    if (this.#cur.length >= b.maxRecords || this.#curBytes >= b.maxBytes) {
      this.#seal();
      this.#pumpSoon();
    } else if (this.#batchTimer === undefined) {
      this.#batchTimer = setTimeout(() => {
        this.#batchTimer = undefined;
        this.#seal();
        this.#pump();
      }, b.maxDelayMs);
      this.#batchTimer.unref();
    }
  }

  /** A network destination cannot deliver synchronously: sends the batch being filled now. */
  flushSync(): void {
    this.#seal();
    this.#pump();
  }

  /**
   * Resolves when every record queued so far is delivered, dropped (counted), or written to the
   * spool. Without a spool and with the receiver down, that is after its retries.
   */
  flush(): Promise<void> {
    this.#flushes++;
    this.#seal();
    this.#pump();
    if (this.#settledUpTo() >= this.#seq) return Promise.resolve();
    const target = this.#seq;
    return new Promise((resolve) => this.#waiters.push({ target, resolve }));
  }

  /**
   * Stops taking records (later ones are dropped as `closed`), delivers what it can within
   * `timeoutMs` (default DELIVERY_LIMITS.closeTimeoutMs), then counts what is left in memory as
   * `closed` and reports it (with a spool: writes it there for the next start instead). Idempotent.
   */
  close(options?: CloseOptions): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const timeoutMs = options?.timeoutMs ?? DELIVERY_LIMITS.closeTimeoutMs;
    this.#seal();
    this.#pump();
    this.#closing = new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#giveUp(`within ${timeoutMs} ms of close()`);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      const target = this.#seq;
      const check = () => {
        // Delivered or settled in memory; with the receiver up, the spool delivered too.
        if (
          this.#settledUpTo() >= target &&
          (this.#spool === undefined || this.#spool.size === 0 || this.#health !== 'UP')
        )
          finish();
        else this.#waiters.push({ target: Number.POSITIVE_INFINITY, resolve: check });
      };
      check();
    });
    return this.#closing;
  }

  reopen(): void {}

  stats(): DestinationStats {
    const spooled = this.#spool?.records ?? 0;
    return {
      type: this.type,
      records: this.#records,
      pending: this.#memRecords + spooled,
      produced: this.#records + this.#recovered,
      delivered: this.#delivered,
      recovered: this.#recovered,
      queueBytes: this.#queueBytes,
      spooled,
      spoolBytes: this.#spool?.bytes ?? 0,
      health: this.#health,
      bytesWritten: this.#bytesWritten,
      writes: this.#writes,
      flushes: this.#flushes,
      retries: this.#retries,
      errors: this.#errors,
      dropped: { ...this.#dropped },
    };
  }

  /** The event loop ran empty: send what is batched (an in-flight request keeps the process alive). */
  beforeExit(): void {
    if (this.#stopped || this.#retryTimer !== undefined || this.#inflight !== undefined) return;
    this.#seal();
    this.#pump();
  }

  /**
   * The process exits: with a spool, every batch in memory is written to it (the one in flight
   * first, so the order holds); without one, what is left is counted as `exit` and reported.
   */
  exitSync(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#seal();
    const lost = this.#spillOrDrop('exit');
    if (lost > 0)
      this.#report(
        problem(
          'HYDRA_E_NOT_DELIVERED',
          `${lost} records not delivered when the process exited (counted as dropped: exit)${this.#why()}`,
          true,
        ),
      );
  }

  // ── internals ──────────────────────────────────────────────────────────────

  #drop(reason: string, n: number): void {
    if (n > 0) this.#dropped[reason] = (this.#dropped[reason] ?? 0) + n;
  }

  #report(err: NodeJS.ErrnoException): void {
    try {
      this.#spec.context.report(this.id, err);
    } catch {
      // A reporter must not reach the caller.
    }
  }

  #why(): string {
    const e = this.#lastError;
    return e === undefined ? '' : `; health ${this.#health}, last error ${e.code}: ${e.message}`;
  }

  /** Seals the batch being filled into the sealed queue (or the spool while the receiver is not up). */
  #seal(): void {
    if (this.#batchTimer !== undefined) {
      clearTimeout(this.#batchTimer);
      this.#batchTimer = undefined;
    }
    if (this.#cur.length === 0) return;
    const b: Batch = {
      msgs: this.#cur,
      bytes: this.#curBytes,
      first: this.#curFirst,
      last: this.#seq,
      attempts: 0,
      spooled: false,
    };
    this.#cur = [];
    this.#curBytes = 0;
    const sp = this.#spool;
    // Keep order: once the spool holds batches, newer ones follow them there.
    if (sp !== undefined && (this.#health !== 'UP' || sp.size > 0) && this.#toSpool(b, false)) return;
    this.#ready.push(b);
  }

  /** Moves a memory batch to the spool; `false` when it does not fit. */
  #toSpool(b: Batch, atHead: boolean): boolean {
    if (this.#spool === undefined || !this.#spool.add(buffers(b), atHead)) return false;
    this.#queueBytes -= b.bytes;
    this.#memRecords -= b.msgs.length;
    this.#checkWaiters();
    return true;
  }

  /** Memory is full: with a spool, the oldest sealed batches (then the one being filled) move to disk. */
  #makeRoom(n: number): boolean {
    if (this.#spool === undefined || n > this.#o.maxQueueBytes) return false;
    while (this.#queueBytes + n > this.#o.maxQueueBytes) {
      if (this.#ready.length === 0) {
        if (this.#cur.length === 0) return false;
        this.#seal();
        continue;
      }
      const b = this.#ready[0] as Batch;
      if (!this.#toSpool(b, false)) return false;
      this.#ready.shift();
    }
    return true;
  }

  /** Sequence number up to which every record is settled (delivered, dropped, or spooled). */
  #settledUpTo(): number {
    let first = Number.POSITIVE_INFINITY;
    const f = this.#inflight;
    if (f !== undefined && !f.spooled) first = f.first;
    else if (this.#ready.length > 0) first = (this.#ready[0] as Batch).first;
    else if (this.#cur.length > 0) first = this.#curFirst;
    return first === Number.POSITIVE_INFINITY ? this.#seq : first - 1;
  }

  #checkWaiters(): void {
    if (this.#waiters.length === 0) return;
    const upTo = this.#settledUpTo();
    const memEmpty = upTo >= this.#seq;
    const keep: { target: number; resolve: () => void }[] = [];
    const run: (() => void)[] = [];
    for (const w of this.#waiters)
      if (w.target <= upTo || (w.target === Number.POSITIVE_INFINITY && memEmpty)) run.push(w.resolve);
      else keep.push(w);
    this.#waiters = keep;
    for (const r of run) r();
  }

  /** Sends from the next turn of the event loop: a log call that fills a batch does not pay for sending it. */
  #pumpSoon(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    setImmediate(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  /** Sends the next batch (the spool's head first) unless one is in flight or a retry is waiting. */
  #pump(): void {
    if (this.#stopped || this.#inflight !== undefined || this.#retryTimer !== undefined) return;
    let b: Batch | undefined;
    const sp = this.#spool;
    while (b === undefined && sp !== undefined && sp.size > 0) {
      const e = sp.head();
      if (e === undefined) break;
      try {
        const msgs = sp.read(e);
        b = { msgs, bytes: e.bytes, first: 0, last: 0, attempts: 0, spooled: true };
      } catch (err) {
        sp.removeHead();
        this.#drop('spool_corrupt', e.records);
        this.#report(problem('spool_corrupt', (err as Error).message, true));
      }
    }
    if (b === undefined) b = this.#ready.shift();
    if (b === undefined) {
      this.#checkWaiters();
      return;
    }
    this.#send(b);
  }

  #send(b: Batch): void {
    this.#inflight = b;
    const gen = this.#gen;
    const ac = new AbortController();
    this.#abort = ac;
    const timeoutMs = this.#o.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(ac.signal.reason);
      ac.signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () =>
          ac.abort(
            new SendError(`no answer within ${timeoutMs} ms`, {
              retryable: true,
              reason: 'timeout',
              code: 'ETIMEDOUT',
            }),
          ),
        timeoutMs,
      );
      timer.unref();
    });
    aborted.catch(() => {});
    let sent: Promise<SendResult | undefined>;
    try {
      sent = this.#spec.transport.send(buffers(b), ac.signal) as Promise<SendResult | undefined>;
    } catch (err) {
      sent = Promise.reject(err);
    }
    Promise.race([sent, aborted]).then(
      (r) => {
        clearTimeout(timer);
        if (gen === this.#gen) this.#sent(b, r);
      },
      (err) => {
        clearTimeout(timer);
        if (!ac.signal.aborted) ac.abort();
        if (gen === this.#gen) this.#failed(b, asSendError(err));
      },
    );
  }

  /** Takes a settled batch out of memory or the spool. */
  #release(b: Batch): void {
    if (b.spooled) this.#spool?.removeHead();
    else {
      this.#queueBytes -= b.bytes;
      this.#memRecords -= b.msgs.length;
    }
  }

  #sent(b: Batch, r: SendResult | undefined): void {
    this.#inflight = undefined;
    this.#abort = undefined;
    this.#failures = 0;
    this.#health = 'UP';
    let lost = 0;
    if (r?.dropped !== undefined)
      for (const [reason, n] of Object.entries(r.dropped)) {
        this.#drop(reason, n);
        lost += n;
      }
    if (r?.problem !== undefined) this.#report(problem(r.problem.code, r.problem.message, true));
    this.#delivered += b.msgs.length - lost;
    this.#writes++;
    this.#bytesWritten += b.bytes;
    this.#release(b);
    this.#pump();
    this.#checkWaiters();
  }

  #failed(b: Batch, e: SendError): void {
    this.#inflight = undefined;
    this.#abort = undefined;
    this.#lastError = e;
    this.#errors++;
    if (!e.retryable) {
      // The receiver answered and refused it: it is reachable, the batch is the problem.
      this.#drop(e.reason, b.msgs.length);
      this.#report(problem(e.code, e.message, true));
      this.#release(b);
      this.#pump();
      this.#checkWaiters();
      return;
    }
    this.#retries++;
    this.#failures++;
    this.#health = this.#failures >= DELIVERY_LIMITS.downAfterFailures ? 'DOWN' : 'DEGRADED';
    this.#report(problem(e.code, `${e.message} (retrying; health ${this.#health})`, false));
    b.attempts++;
    if (b.spooled) {
      // A spooled batch waits on disk until the receiver takes it.
    } else if (this.#spool !== undefined && this.#toSpool(b, true)) {
      // Now the spool's head, sent again from there; the batches behind it follow it to disk.
      while (this.#ready.length > 0 && this.#toSpool(this.#ready[0] as Batch, false)) this.#ready.shift();
    } else if (b.attempts >= this.#o.retry.maxAttempts) {
      this.#drop('retries_exhausted', b.msgs.length);
      this.#release(b);
    } else this.#ready.unshift(b);
    this.#checkWaiters();
    if (this.#stopped) return;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        this.#pump();
      },
      backoffMs(this.#failures, this.#o.retry, e.retryAfterMs),
    );
    this.#retryTimer.unref();
  }

  /**
   * Everything still in memory (the batch in flight first) goes to the spool, in order; what does
   * not fit, or everything without a spool, is dropped under `reason`. Returns the records dropped.
   */
  #spillOrDrop(reason: string): number {
    const batches: Batch[] = [];
    const f = this.#inflight;
    if (f !== undefined && !f.spooled) batches.push(f);
    batches.push(...this.#ready);
    this.#inflight = undefined;
    this.#ready = [];
    let lost = 0;
    let first = true;
    for (const b of batches) {
      // The batch in flight goes before the spool's batches; the rest after them.
      const atHead = first && b === f;
      first = false;
      if (this.#toSpool(b, atHead)) continue;
      this.#queueBytes -= b.bytes;
      this.#memRecords -= b.msgs.length;
      this.#drop(reason, b.msgs.length);
      lost += b.msgs.length;
    }
    return lost;
  }

  /** close() is done waiting: stop sending; spool or drop what is left, and say so. */
  #giveUp(when: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#gen++;
    this.#abort?.abort(new SendError('closed', { retryable: false, reason: 'closed' }));
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#seal();
    const lost = this.#spillOrDrop('closed');
    live.delete(this);
    try {
      this.#spec.transport.close();
    } catch {
      // Tearing down must not fail close().
    }
    if (lost > 0)
      this.#report(
        problem(
          'HYDRA_E_NOT_DELIVERED',
          `${lost} records not delivered ${when} (counted as dropped: closed)${this.#why()}`,
          true,
        ),
      );
    const kept = this.#spool?.records ?? 0;
    if (kept > 0)
      this.#report(
        problem(
          'HYDRA_E_SPOOLED',
          `${kept} records not delivered ${when}, kept in the spool ${this.#spool?.dir} for the next start${this.#why()}`,
          false,
        ),
      );
    const w = this.#waiters;
    this.#waiters = [];
    for (const x of w) x.resolve();
  }
}

/** Builds a network destination from what a destination file provides (see {@link NetworkDestinationSpec}). */
export function createNetworkDestination(spec: NetworkDestinationSpec): Destination {
  return new NetworkDestination(spec);
}
