import type { FdTargetSpec, LineWriter } from '../destinations/fd-destination.js';
import type { WriterStats } from '../writers/fd-writer.js';
import type { StrategyName } from './defaults.js';
import { FdSink, type InFlightWrite, type WriteOutcome } from './fd-sink.js';
import { Journal } from './journal.js';
import type { LaneHost } from './lane-host.js';
import { StrategySelector } from './strategy-selector.js';
import { RESOLVED, RecordDroppedError, type Ticket } from './ticket.js';
import { WorkerChannel, type WorkerOutcome } from './worker-channel.js';

/** One line on its way to the destination. */
class Entry {
  constructor(
    readonly line: string,
    /** ERROR and above, security/audit/compliance: written before the call returns, never dropped by policy. */
    readonly urgent: boolean,
    readonly ticket: Ticket | undefined,
    /** When it was accepted (ms since the epoch, read once per tick). */
    readonly t: number,
  ) {}
}

/** A batch handed to the thread pool or to the worker, not yet settled. */
interface Flight {
  readonly entries: Entry[];
  readonly strategy: 'async' | 'worker';
  readonly probe: boolean;
  readonly started: number;
  /** The first batch of a worker thread just started: its time includes the thread's start-up. */
  readonly boot: boolean;
  write: InFlightWrite | undefined;
  settled: boolean;
}

/** A lane's figures in `getQueuePerformanceMetrics().lanes`. */
export interface LaneFigures {
  strategy: StrategyName;
  health: 'UP' | 'DEGRADED' | 'DOWN';
  /** Lines accepted and not yet written: waiting, in flight, held in memory, in the journal. */
  queued: number;
  inFlight: number;
  held: number;
  journaled: number;
  oldestPendingMs: number;
}

const noDrops = (): Record<string, number> => ({});

/**
 * The queue's lane for one console or file destination (the destination's writer). It batches the
 * lines of each tick and writes them with its current strategy, falling back along the chain when a
 * write fails: the lines that did not land go to the next strategy at once, in order. See
 * docs/async.md for every strategy and what settles each promise.
 */
export class Lane implements LineWriter {
  readonly id: string;
  readonly sink: FdSink;
  readonly selector: StrategySelector;
  readonly #host: LaneHost;
  readonly #spec: FdTargetSpec;
  readonly #fsync: boolean;
  #pending: Entry[] = [];
  #head = 0;
  #inFlight: Flight | undefined;
  #held: Entry[] = [];
  #journal: Journal | undefined;
  /** Lines this process spilled to the journal and that are still there. */
  #journaledOwn = 0;
  /** Lines a previous run left in the journal, not yet replayed. */
  #journaledForeign = 0;
  #journalSince = 0;
  #worker: WorkerChannel | undefined;
  #tickTime = 0;
  #scheduled = false;
  #pumping = false;
  #retrying = false;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Spills the hold to the journal once its oldest line waited `maxHoldMs` (keeps the process alive until then). */
  #spillTimer: NodeJS.Timeout | undefined;
  #idle: (() => void)[] = [];
  #dropped: Record<string, number> = noDrops();
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(host: LaneHost, spec: FdTargetSpec, chain: readonly StrategyName[]) {
    this.#host = host;
    this.#spec = spec;
    this.id = spec.id;
    this.sink = new FdSink(spec);
    this.#fsync = (spec.config as { fsync?: boolean }).fsync === true;
    this.selector = new StrategySelector(chain, host.options, (from, to, reason) =>
      host.switched(this.id, from, to, reason),
    );
    const dir = host.options.journalDir;
    if (dir !== false) {
      this.#journal = new Journal(dir, this.sink.key, host.options.journalMaxBytes);
      if (this.#journal.exists()) {
        this.#journaledForeign = this.#journal.read().lines.length;
        this.#journalSince = Date.now();
      }
    }
  }

  // ——— LineWriter (what the destination and the logger core call) ———

  get stats(): WriterStats {
    const s = this.sink.stats;
    const w = this.#worker?.stats();
    const out: WriterStats = {
      bytesWritten: s.bytesWritten + (w?.bytesWritten ?? 0),
      writes: s.writes + (w?.writes ?? 0),
      flushes: s.flushes + (w?.flushes ?? 0),
      retries: s.retries + (w?.retries ?? 0),
      errors: s.errors + (w?.errors ?? 0),
      dropped: { ...this.#dropped },
    };
    // Lines the engine wrote into a file deleted before it noticed (`file_deleted`), counted once delivered.
    for (const [k, v] of Object.entries(s.dropped)) out.dropped[k] = (out.dropped[k] ?? 0) + v;
    if (s.reopened !== undefined) out.reopened = s.reopened + (w?.reopened ?? 0);
    if (s.rotations !== undefined) {
      out.rotations = s.rotations + (w?.rotations ?? 0);
      out.rotationErrors = (s.rotationErrors ?? 0) + (w?.rotationErrors ?? 0);
    }
    return out;
  }

  /** Lines accepted and not yet written (waiting, in flight, held, journaled). */
  get pending(): number {
    return this.#queuedCount() + this.#held.length + this.#journaledOwn;
  }

  write(line: string, urgent: boolean): void {
    const host = this.#host;
    if (this.#closed) {
      host.produced();
      this.#drop([new Entry(line, urgent, undefined, Date.now())], 'closed', undefined, 'queued-none');
      return;
    }
    if (!this.#scheduled) this.#tickTime = Date.now();
    const ticket = host.ticket();
    ticket.remaining++;
    const e = new Entry(line, urgent, ticket, this.#tickTime);
    host.produced();
    if (urgent) {
      this.#push(e);
      this.flushSync();
      return;
    }
    const verdict = host.admit(this, line.length);
    if (verdict !== undefined) {
      this.#drop([e], verdict, undefined, 'queued-none');
      return;
    }
    this.#push(e);
    this.#schedule();
  }

  /**
   * Writes everything accepted so far before returning: waits for a write in flight (bounded by
   * `inFlightWaitMs`), then writes with the synchronous form of the current strategy. Never throws.
   */
  flushSync(): void {
    const f = this.#inFlight;
    if (f !== undefined) {
      if (f.strategy === 'worker') this.#worker?.flushSync();
      else if (f.write !== undefined && !f.settled) {
        if (this.sink.waitLanded(f.write, this.#host.options.inFlightWaitMs)) {
          f.settled = true;
          this.#inFlight = undefined;
          if (this.#fsync) this.sink.fsyncSync();
          this.#result(
            f.strategy,
            f.probe,
            f.entries,
            f.entries.length,
            undefined,
            performance.now() - f.started,
          );
        } else {
          // Still not on disk: write on without it (its callback settles it later, out of order).
          this.#inFlight = undefined;
          this.#host.overtaken();
        }
      }
    }
    this.#pump(true);
  }

  /** Resolves once every line accepted so far is written, dropped, or held by the `memory` strategy. */
  flush(): Promise<void> {
    if (this.#queuedCount() === 0) return RESOLVED;
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Drains, writes or journals what is held, closes the descriptor and the worker. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  reopen(): void {
    this.flushSync();
    this.#worker?.reopen();
    this.sink.reopen();
  }

  // ——— for the queue ———

  /**
   * At process exit (and on the signals of `handleSignals`): writes what can be written, and puts
   * what cannot in the journal, where the next start finds it.
   */
  exitFlush(): void {
    this.flushSync();
    if (this.#held.length > 0) this.#spill(true);
  }

  /** Replays a previous run's journal (at construction, before any new line). */
  replayJournal(): void {
    if (this.#journaledForeign > 0 && !this.#replayJournal()) this.#armRetry();
  }

  /** Evicts the oldest waiting line that is not urgent (the `dropOldest` policy); false when there is none. */
  evictOldest(reason: string): boolean {
    for (let i = this.#head; i < this.#pending.length; i++) {
      const e = this.#pending[i] as Entry;
      if (e.urgent) continue;
      this.#pending.splice(i, 1);
      this.#host.adjust(-1, -e.line.length, 0, 0);
      this.#drop([e], reason, undefined, 'queued-none');
      return true;
    }
    return false;
  }

  /** Lines waiting (not in flight): what `block` and `dropOldest` can act on. */
  get waiting(): number {
    return this.#pending.length - this.#head;
  }

  figures(now: number): LaneFigures {
    const strategy = this.selector.current;
    const queued = this.#queuedCount();
    let oldest = Number.POSITIVE_INFINITY;
    const first = this.#inFlight?.entries[0] ?? this.#pending[this.#head];
    if (first !== undefined) oldest = first.t;
    const held = this.#held[0];
    if (held !== undefined && held.t < oldest) oldest = held.t;
    if (this.#journaledOwn + this.#journaledForeign > 0 && this.#journalSince < oldest)
      oldest = this.#journalSince;
    return {
      strategy,
      health:
        strategy === 'memory' ? 'DOWN' : this.selector.degraded || this.#held.length > 0 ? 'DEGRADED' : 'UP',
      queued: queued + this.#held.length + this.#journaledOwn,
      inFlight: this.#inFlight?.entries.length ?? 0,
      held: this.#held.length,
      journaled: this.#journaledOwn + this.#journaledForeign,
      oldestPendingMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - oldest),
    };
  }

  /** The worker thread of the `worker` strategy, if one runs (tests terminate it). */
  get workerThread(): WorkerChannel['thread'] | undefined {
    return this.#worker?.thread;
  }

  // ——— the machinery ———

  #queuedCount(): number {
    return this.#pending.length - this.#head + (this.#inFlight?.entries.length ?? 0);
  }

  #push(e: Entry): void {
    this.#pending.push(e);
    this.#host.adjust(1, e.line.length, 0, 0);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#onTick);
  }

  readonly #onTick = (): void => {
    this.#scheduled = false;
    this.#pump(false);
  };

  /**
   * Writes waiting lines until none is left or a write is in flight. `sync`: every write completes
   * before this returns (`async` writes with writeSync, `worker` waits for the worker).
   */
  #pump(sync: boolean): void {
    if (this.#pumping) return;
    this.#pumping = true;
    let urgentHeld = false;
    try {
      while (this.#inFlight === undefined && this.#head < this.#pending.length) {
        const now = Date.now();
        const probe = this.selector.probeDue(now);
        const strategy = probe ?? this.selector.current;
        const isProbe = probe !== undefined;
        // While older lines are held or journaled, newer ones join the hold: only the retry
        // (#retry) writes them, journal first, then the hold, then what waits, so order is kept.
        if (strategy === 'memory' || this.#backlogged()) {
          urgentHeld = this.#hold() && sync;
          break;
        }
        if (strategy === 'worker') {
          this.#sendWorker(isProbe, sync);
          continue;
        }
        if (strategy === 'async' && !sync && this.#asyncReady()) {
          this.#sendAsync(isProbe);
          break;
        }
        // `async` on a pipe, terminal or device, or inside a synchronous flush: one writeSync per batch.
        this.#writeSync(strategy, isProbe);
      }
    } finally {
      this.#pumping = false;
    }
    // An urgent line must be tried before the call returns: one recovery attempt now.
    if (urgentHeld && !this.#retrying) this.#retryHeld(true);
    if (this.#queuedCount() === 0 && this.#idle.length > 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
    }
  }

  /** Lines held in memory or in the journal: older than anything waiting, so they go first. */
  #backlogged(): boolean {
    return this.#held.length > 0 || this.#journaledOwn + this.#journaledForeign > 0;
  }

  #asyncReady(): boolean {
    if (!this.sink.isOpen && this.sink.ensureOpen() !== undefined) return false;
    return this.sink.canWriteAsync;
  }

  /** The next batch: waiting lines up to `maxBatchBytes` characters and, with `maxSize`, what fits the file. */
  #takeBatch(one: boolean): Entry[] {
    const pending = this.#pending;
    let end = this.#head + 1;
    if (!one) {
      const max = this.#host.options.maxBatchBytes;
      let chars = (pending[this.#head] as Entry).line.length;
      while (end < pending.length && chars + (pending[end] as Entry).line.length <= max)
        chars += (pending[end++] as Entry).line.length;
    }
    this.sink.beforeBatch();
    if (this.sink.rotatesBySize) end = this.#head + this.#fitting(end - this.#head);
    const batch = pending.slice(this.#head, end);
    this.#head = end;
    if (this.#head === pending.length) {
      this.#pending = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > pending.length) {
      this.#pending = pending.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /** How many of the next `n` waiting lines fit before a size rotation (at least one; rotating first when none fits). */
  #fitting(n: number): number {
    for (let attempt = 0; attempt < 2; attempt++) {
      const { bytes, fresh } = this.sink.room();
      let used = 0;
      let k = 0;
      while (k < n) {
        const b = Buffer.byteLength((this.#pending[this.#head + k] as Entry).line);
        if (used + b > bytes) break;
        used += b;
        k++;
      }
      if (k > 0) return k;
      // Not even one line fits: a fresh file takes it alone; otherwise rotate, then look again.
      if (fresh || !this.sink.rotateNow()) return 1;
    }
    return 1;
  }

  #writeSync(strategy: StrategyName, probe: boolean): void {
    const batch = this.#takeBatch(strategy === 'direct');
    this.sink.stats.flushes++;
    const t0 = performance.now();
    const o = this.sink.writeSync(batch.length === 1 ? (batch[0] as Entry).line : join(batch), batch.length);
    const written = o.error === undefined ? batch.length : landedLines(batch, o.landed);
    if (this.#fsync && written > 0) this.sink.fsyncSync();
    this.#result(strategy, probe, batch, written, o.error, performance.now() - t0);
  }

  #sendAsync(probe: boolean): void {
    const entries = this.#takeBatch(false);
    this.sink.stats.flushes++;
    const flight: Flight = {
      entries,
      strategy: 'async',
      probe,
      started: performance.now(),
      boot: false,
      write: undefined,
      settled: false,
    };
    this.#inFlight = flight;
    flight.write = this.sink.writeAsync(join(entries), entries.length, (o) => this.#asyncDone(flight, o));
  }

  #asyncDone(flight: Flight, o: WriteOutcome): void {
    if (flight.settled) return;
    const written = o.error === undefined ? flight.entries.length : landedLines(flight.entries, o.landed);
    const finish = (): void => {
      if (flight.settled) return;
      flight.settled = true;
      if (this.#inFlight === flight) this.#inFlight = undefined;
      this.#result(
        'async',
        flight.probe,
        flight.entries,
        written,
        o.error,
        performance.now() - flight.started,
      );
      this.#pump(false);
    };
    if (this.#fsync && written > 0) this.sink.fsyncAsync(finish);
    else finish();
  }

  #sendWorker(probe: boolean, sync: boolean): void {
    let worker = this.#worker;
    const boot = worker === undefined || worker.dead;
    if (worker === undefined || worker.dead) {
      worker = WorkerChannel.open(this.#spec, () => this.#schedule());
      this.#worker = worker;
      if (worker === undefined) {
        const err = Object.assign(new Error('the fs port cannot be used in a worker thread'), {
          code: 'ENOTSUP',
        });
        this.#result('worker', probe, this.#takeBatch(false), 0, err, 0, 'unavailable:ENOTSUP');
        return;
      }
    }
    const entries = this.#takeBatch(false);
    const flight: Flight = {
      entries,
      strategy: 'worker',
      probe,
      started: performance.now(),
      boot,
      write: undefined,
      settled: false,
    };
    this.#inFlight = flight;
    worker.send(join(entries), (o) => this.#workerDone(flight, o));
    if (sync) worker.flushSync();
  }

  #workerDone(flight: Flight, o: WorkerOutcome): void {
    if (flight.settled) return;
    flight.settled = true;
    if (this.#inFlight === flight) this.#inFlight = undefined;
    let written: number;
    if (o.crashed) {
      written = o.landedBytes === undefined ? 0 : landedLines(flight.entries, o.landedBytes);
      this.#worker = undefined;
    } else written = flight.entries.length - o.dropped;
    // The worker's writer may have left a cut line: the next main-thread write ends it first.
    if (o.error !== undefined) this.sink.checkTail();
    if (this.#fsync && written > 0) this.sink.fsyncSync();
    const reason = o.crashed ? `worker_crash:${o.error?.code ?? 'EXIT'}` : undefined;
    this.#result(
      'worker',
      flight.probe,
      flight.entries,
      written,
      o.error,
      performance.now() - flight.started,
      reason,
      flight.boot,
    );
    // Never re-entered from inside a pump: the rest goes on in the next tick (or in the flush that waits).
    this.#schedule();
  }

  /**
   * Settles a batch written by `strategy`: the first `written` lines are delivered; on an error the
   * strategy degrades (or a probe backs off) and the rest goes back to the head of the line, for the
   * next strategy; when there is none, the rest is dropped and its promises reject. `boot`: the
   * batch waited for a worker thread to start, so its time says nothing of the write latency.
   */
  #result(
    strategy: StrategyName,
    probe: boolean,
    batch: Entry[],
    written: number,
    error: NodeJS.ErrnoException | undefined,
    ms: number,
    reason?: string,
    boot = false,
  ): void {
    const now = Date.now();
    const stats = this.#host.strategy(strategy);
    if (written > 0) this.#deliver(batch, written);
    if (error === undefined) {
      stats.ok(ms, written);
      if (probe) this.selector.probeSucceeded(strategy, boot ? 0 : ms, now);
      else if (!boot) this.selector.succeeded(ms, now);
      return;
    }
    const code = error.code ?? 'UNKNOWN';
    stats.failed(ms, written, code);
    const rest = batch.slice(written);
    if (probe) this.selector.probeFailed(now);
    else if (strategy !== this.selector.current) {
      // A late result (a write overtaken by a flush) of a strategy the lane already left: no second degrade.
    } else if (this.selector.canDegrade) this.selector.failed(reason ?? `write_error:${code}`, now);
    else {
      this.#drop(rest, `write_error:${code}`, error, 'queued');
      return;
    }
    this.#unshift(rest);
  }

  #deliver(batch: Entry[], n: number): void {
    for (let i = 0; i < n; i++) (batch[i] as Entry).ticket?.settle();
    this.#host.delivered(n);
    this.#host.adjust(-n, -chars(batch, 0, n), 0, 0);
  }

  /** Lines that did not land go back to the head of the line, before everything accepted after them. */
  #unshift(entries: Entry[]): void {
    if (entries.length === 0) return;
    if (this.#head >= entries.length) {
      this.#head -= entries.length;
      for (let i = 0; i < entries.length; i++) this.#pending[this.#head + i] = entries[i] as Entry;
    } else this.#pending.splice(this.#head, 0, ...entries);
  }

  /**
   * Drops lines, counted by `reason`; their promises reject. `from` says what they were counted
   * as until now (waiting/in flight, held, or nothing yet), so the ledger stays exact.
   */
  #drop(entries: Entry[], reason: string, cause: unknown, from: 'queued' | 'held' | 'queued-none'): void {
    if (entries.length === 0) return;
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + entries.length;
    this.#host.dropped(reason, entries.length);
    const c = chars(entries, 0, entries.length);
    if (from === 'queued') this.#host.adjust(-entries.length, -c, 0, 0);
    else if (from === 'held') this.#host.adjust(0, 0, -entries.length, 0);
    let err: RecordDroppedError | undefined;
    for (const e of entries) {
      if (e.ticket === undefined) continue;
      err ??= new RecordDroppedError(this.id, reason, cause);
      e.ticket.settle(err);
    }
  }

  // ——— the memory strategy ———

  /**
   * Every waiting line goes into the memory hold; over `memoryCapacity` (all lanes) the hold spills
   * to the journal. Returns whether an urgent line was among them.
   */
  #hold(): boolean {
    const n = this.#pending.length - this.#head;
    const moved = this.#pending.slice(this.#head);
    this.#pending = [];
    this.#head = 0;
    for (const e of moved) this.#held.push(e);
    this.#host.adjust(-n, -chars(moved, 0, n), n, 0);
    this.#host.strategy('memory').ok(0, n);
    if (this.#host.heldTotal() > this.#host.options.memoryCapacity) this.#spill(false);
    this.#armRetry();
    this.#armSpill();
    return moved.some((e) => e.urgent);
  }

  /** Puts the held lines in the journal (their promises resolve: they are on disk); what cannot go there is dropped. */
  #spill(all: boolean): void {
    const held = this.#held;
    if (held.length === 0) return;
    const journal = this.#journal;
    const err = journal === undefined ? undefined : journal.append(held.map((e) => e.line));
    if (journal !== undefined && err === undefined) {
      this.#held = [];
      if (this.#journaledOwn + this.#journaledForeign === 0) this.#journalSince = (held[0] as Entry).t;
      this.#journaledOwn += held.length;
      this.#host.adjust(0, 0, -held.length, held.length);
      this.#host.journaled(held.length);
      for (const e of held) e.ticket?.settle();
      return;
    }
    const reason = journal === undefined ? 'memory_full' : `journal_error:${err?.code ?? 'UNKNOWN'}`;
    if (err !== undefined) this.#spec.report(err);
    if (all) {
      this.#held = [];
      this.#drop(held, reason, err, 'held');
      return;
    }
    // Keep the newest; drop the oldest lines that are not urgent until the hold fits, and urgent
    // ones only beyond twice the capacity (ERROR and CRITICAL are the last to go).
    const cap = this.#host.options.memoryCapacity;
    const over = (): number => this.#host.heldTotal() - cap;
    const keep: Entry[] = [];
    const out: Entry[] = [];
    for (const e of held) {
      if (over() - out.length > 0 && !e.urgent) out.push(e);
      else keep.push(e);
    }
    const urgentOut: Entry[] = [];
    while (keep.length > 0 && this.#host.heldTotal() - out.length - urgentOut.length > 2 * cap)
      urgentOut.push(keep.shift() as Entry);
    this.#held = keep;
    this.#drop([...out, ...urgentOut], reason, err, 'held');
  }

  /**
   * With a journal, no line waits in memory longer than `maxHoldMs`: then the hold goes to the
   * journal and its promises resolve. This timer is the only one of the queue that keeps the
   * process alive, and only for that long (so an awaited call settles, and nothing hangs).
   */
  #armSpill(): void {
    if (this.#spillTimer !== undefined || this.#journal === undefined || this.#closed) return;
    const oldest = this.#held[0];
    if (oldest === undefined) return;
    const delay = Math.max(1, oldest.t + this.#host.options.maxHoldMs - Date.now());
    this.#spillTimer = setTimeout(() => {
      this.#spillTimer = undefined;
      this.#spill(true);
    }, delay);
  }

  #clearSpill(): void {
    if (this.#spillTimer !== undefined) clearTimeout(this.#spillTimer);
    this.#spillTimer = undefined;
  }

  #armRetry(): void {
    if (this.#retryTimer !== undefined || this.#closed) return;
    if (this.#held.length === 0 && this.#journaledOwn + this.#journaledForeign === 0) return;
    const delay = Math.max(1, this.selector.probeDelay(Date.now()));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#retryHeld(false);
    }, delay);
    this.#retryTimer.unref();
  }

  /**
   * The memory strategy's retry: the journal first (oldest lines), then the held lines, with a
   * probe of the strategy above `memory`. What fails goes back into the hold.
   */
  #retryHeld(sync: boolean): void {
    if (this.#retrying) return;
    this.#retrying = true;
    try {
      this.#retry(sync);
    } finally {
      this.#retrying = false;
    }
  }

  #retry(sync: boolean): void {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    if (this.#journaledOwn + this.#journaledForeign > 0) {
      if (!this.#replayJournal()) {
        this.selector.probeFailed(Date.now());
        this.#armRetry();
        return;
      }
      // The journal went out with synchronous writes: proof enough to leave `memory`.
      const above = this.selector.chain[this.selector.index - 1];
      if (this.selector.current === 'memory' && above !== undefined)
        this.selector.probeSucceeded(above, 0, Date.now());
    }
    const held = this.#held;
    if (held.length > 0) {
      this.#clearSpill();
      this.#held = [];
      this.#host.adjust(held.length, chars(held, 0, held.length), -held.length, 0);
      this.#unshift(held);
    }
    this.selector.probeNow();
    this.#pump(sync);
    this.#armRetry();
  }

  /** Writes the journal's lines (synchronously, in order); true when the journal is empty afterwards. */
  #replayJournal(): boolean {
    const journal = this.#journal;
    if (journal === undefined) return true;
    const content = journal.read();
    const lines = content.lines;
    let done = 0;
    let error: NodeJS.ErrnoException | undefined;
    const max = this.#host.options.maxBatchBytes;
    while (done < lines.length) {
      let end = done;
      let size = 0;
      while (end < lines.length && (end === done || size + (lines[end] as string).length <= max))
        size += (lines[end++] as string).length;
      const chunk = lines.slice(done, end);
      const o = this.sink.writeSync(chunk.join(''), chunk.length);
      if (o.error !== undefined) {
        done += landedCount(chunk, o.landed);
        error = o.error;
        break;
      }
      done = end;
    }
    if (this.#fsync && done > 0) this.sink.fsyncSync();
    // The first lines of the file are a previous run's, then this run's spills.
    const foreign = Math.min(done, this.#journaledForeign);
    const own = Math.min(done - foreign, this.#journaledOwn);
    this.#journaledForeign -= foreign;
    this.#journaledOwn -= own;
    this.#host.replayed(foreign);
    this.#host.delivered(own);
    this.#host.adjust(0, 0, 0, -own);
    const rewriteErr = journal.rewrite(lines.slice(done));
    if (rewriteErr !== undefined) this.#spec.report(rewriteErr);
    if (error === undefined) {
      this.#journaledForeign = 0;
      this.#journaledOwn = 0;
      return true;
    }
    return false;
  }

  async #close(): Promise<void> {
    await this.flush();
    this.flushSync();
    if (this.#held.length > 0 || this.#journaledOwn > 0) this.#retryHeld(true);
    this.flushSync();
    this.#spill(true);
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#clearSpill();
    this.sink.close();
    this.#journal?.close();
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined && !worker.dead) await worker.close();
    this.#host.removeLane(this);
  }
}

function join(entries: Entry[]): string {
  let s = '';
  for (const e of entries) s += e.line;
  return s;
}

function chars(entries: Entry[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += (entries[i] as Entry).line.length;
  return n;
}

/** Whole lines among `entries` covered by the first `bytes` bytes of their concatenation. */
function landedLines(entries: Entry[], bytes: number): number {
  return landedCount(
    entries.map((e) => e.line),
    bytes,
  );
}

function landedCount(lines: string[], bytes: number): number {
  let used = 0;
  let n = 0;
  for (const l of lines) {
    used += Buffer.byteLength(l);
    if (used > bytes) break;
    n++;
  }
  return n;
}
