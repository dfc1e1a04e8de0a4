import type { FdTargetSpec, LineWriter } from '../destinations/fd-destination.js';
import type { WriterStats } from '../writers/fd-engine.js';
import type { StrategyName } from './defaults.js';
import { chars, Entry, type Flight } from './entry.js';
import { FdSink } from './fd-sink.js';
import type { LaneHost } from './lane-host.js';
import { type BatchResult, type DropFrom, laneStrategies, type StrategyLane } from './strategies/index.js';
import { StrategySelector } from './strategy-selector.js';
import { RESOLVED, RecordDroppedError } from './ticket.js';
import type { WorkerChannel } from './worker-channel.js';

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

/**
 * The queue's lane for one console or file destination (the destination's writer). It batches the
 * lines of each tick and hands them to its current strategy (async/strategies/, one object per
 * strategy), falling back along the chain when a write fails: the lines that did not land go to
 * the next strategy at once, in order. See docs/async.md for every strategy and what settles each promise.
 */
export class Lane implements LineWriter, StrategyLane {
  readonly id: string;
  readonly sink: FdSink;
  readonly selector: StrategySelector;
  readonly host: LaneHost;
  readonly spec: FdTargetSpec;
  readonly fsync: boolean;
  inFlight: Flight | undefined;
  readonly #s: ReturnType<typeof laneStrategies>;
  #pending: Entry[] = [];
  #head = 0;
  #tickTime = 0;
  #scheduled = false;
  #pumping = false;
  #idle: (() => void)[] = [];
  #dropped: Record<string, number> = {};
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(host: LaneHost, spec: FdTargetSpec, chain: readonly StrategyName[]) {
    this.host = host;
    this.spec = spec;
    this.id = spec.id;
    this.sink = new FdSink(spec);
    this.fsync = (spec.config as { fsync?: boolean }).fsync === true;
    this.selector = new StrategySelector(chain, host.options, (from, to, reason) =>
      host.switched(this.id, from, to, reason),
    );
    this.#s = laneStrategies(this);
  }

  // ——— LineWriter (what the destination and the logger core call) ———

  get stats(): WriterStats {
    const s = this.sink.stats;
    const w = this.#s.worker.stats();
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
    const m = this.#s.memory;
    return this.#queuedCount() + m.held + m.journaledOwn;
  }

  write(line: string, urgent: boolean): void {
    const host = this.host;
    if (this.#closed) {
      host.produced();
      this.drop([new Entry(line, urgent, undefined, Date.now())], 'closed', undefined, 'queued-none');
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
      this.drop([e], verdict, undefined, 'queued-none');
      return;
    }
    this.#push(e);
    this.schedule();
  }

  /**
   * Writes everything accepted so far before returning: waits for a write in flight (bounded by
   * `inFlightWaitMs`), then writes with the synchronous form of the current strategy. Never throws.
   */
  flushSync(): void {
    const f = this.inFlight;
    if (f !== undefined) this.#s[f.strategy].settle(f);
    this.pump(true);
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
    this.#s.worker.reopen();
    this.sink.reopen();
  }

  // ——— for the queue ———

  /**
   * At process exit (and on the signals of `handleSignals`): writes what can be written, and puts
   * what cannot in the journal, where the next start finds it.
   */
  exitFlush(): void {
    this.flushSync();
    this.#s.memory.exitFlush();
  }

  /** Replays a previous run's journal (at construction, before any new line). */
  replayJournal(): void {
    this.#s.memory.replayJournal();
  }

  /** Evicts the oldest waiting line that is not urgent (the `dropOldest` policy); false when there is none. */
  evictOldest(reason: string): boolean {
    for (let i = this.#head; i < this.#pending.length; i++) {
      const e = this.#pending[i] as Entry;
      if (e.urgent) continue;
      this.#pending.splice(i, 1);
      this.host.adjust(-1, -e.line.length, 0, 0);
      this.drop([e], reason, undefined, 'queued-none');
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
    const m = this.#s.memory;
    const queued = this.#queuedCount();
    let oldest = Number.POSITIVE_INFINITY;
    const first = this.inFlight?.entries[0] ?? this.#pending[this.#head];
    if (first !== undefined) oldest = first.t;
    if (m.oldestHeld < oldest) oldest = m.oldestHeld;
    if (m.journaled > 0 && m.journalSince < oldest) oldest = m.journalSince;
    return {
      strategy,
      health: strategy === 'memory' ? 'DOWN' : this.selector.degraded || m.held > 0 ? 'DEGRADED' : 'UP',
      queued: queued + m.held + m.journaledOwn,
      inFlight: this.inFlight?.entries.length ?? 0,
      held: m.held,
      journaled: m.journaled,
      oldestPendingMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - oldest),
    };
  }

  /** The worker thread of the `worker` strategy, if one runs (tests terminate it). */
  get workerThread(): WorkerChannel['thread'] | undefined {
    return this.#s.worker.thread;
  }

  // ——— for the strategies (StrategyLane) ———

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#onTick);
  }

  /**
   * Hands waiting lines to the strategy until none is left or a write is in flight. `sync`: every
   * write completes before this returns (`async` writes with writeSync, `worker` waits for the worker).
   */
  pump(sync: boolean): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const s = this.#s;
    try {
      while (this.inFlight === undefined && this.#head < this.#pending.length) {
        const probe = this.selector.probeDue(Date.now());
        // While older lines are held or journaled, newer ones join the hold: only the memory
        // strategy's retry writes them, journal first, then the hold, then what waits, so order is kept.
        const strategy = s.memory.backlogged ? s.memory : s[probe ?? this.selector.current];
        if (strategy.send(probe !== undefined, sync)) break;
      }
    } finally {
      this.#pumping = false;
    }
    s.memory.afterPump();
    if (this.#queuedCount() === 0 && this.#idle.length > 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
    }
  }

  /** The next batch: waiting lines up to `maxBatchBytes` characters and, with `maxSize`, what fits the file. */
  takeBatch(one: boolean): Entry[] {
    const pending = this.#pending;
    let end = this.#head + 1;
    if (!one) {
      const max = this.host.options.maxBatchBytes;
      let n = (pending[this.#head] as Entry).line.length;
      while (end < pending.length && n + (pending[end] as Entry).line.length <= max)
        n += (pending[end++] as Entry).line.length;
    }
    this.sink.beforeBatch();
    if (this.sink.rotatesBySize) end = this.#head + this.#fitting(end - this.#head);
    const batch = pending.slice(this.#head, end);
    // Taken lines are let go of in bulk: all at once, or once they are most of a long array.
    const left = pending.length - end;
    if (left === 0) this.#pending = [];
    else if (end > 4096 && left < end) this.#pending = pending.slice(end);
    this.#head = left === 0 || this.#pending !== pending ? 0 : end;
    return batch;
  }

  takeWaiting(): Entry[] {
    const moved = this.#pending.slice(this.#head);
    this.#pending = [];
    this.#head = 0;
    return moved;
  }

  result(r: BatchResult): void {
    const { strategy, probe, batch, written, error, ms, reason, boot } = r;
    const now = Date.now();
    const stats = this.host.strategy(strategy);
    if (written > 0) this.#deliver(batch, written);
    if (error === undefined) {
      stats.ok(ms, written);
      // `boot`: the batch waited for a worker thread to start, so its time says nothing of the write latency.
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
      // No strategy left: the rest is dropped and its promises reject.
      this.drop(rest, `write_error:${code}`, error, 'queued');
      return;
    }
    this.unshift(rest);
  }

  unshift(entries: Entry[]): void {
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
  drop(entries: Entry[], reason: string, cause: unknown, from: DropFrom): void {
    if (entries.length === 0) return;
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + entries.length;
    this.host.dropped(reason, entries.length);
    const c = chars(entries, 0, entries.length);
    if (from === 'queued') this.host.adjust(-entries.length, -c, 0, 0);
    else if (from === 'held') this.host.adjust(0, 0, -entries.length, 0);
    let err: RecordDroppedError | undefined;
    for (const e of entries) {
      if (e.ticket === undefined) continue;
      err ??= new RecordDroppedError(this.id, reason, cause);
      e.ticket.settle(err);
    }
  }

  // ——— the machinery ———

  #queuedCount(): number {
    return this.#pending.length - this.#head + (this.inFlight?.entries.length ?? 0);
  }

  #push(e: Entry): void {
    this.#pending.push(e);
    this.host.adjust(1, e.line.length, 0, 0);
  }

  readonly #onTick = (): void => {
    this.#scheduled = false;
    this.pump(false);
  };

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

  #deliver(batch: Entry[], n: number): void {
    for (let i = 0; i < n; i++) (batch[i] as Entry).ticket?.settle();
    this.host.delivered(n);
    this.host.adjust(-n, -chars(batch, 0, n), 0, 0);
  }

  async #close(): Promise<void> {
    await this.flush();
    this.flushSync();
    this.#s.memory.closing();
    this.flushSync();
    await this.#s.memory.close();
    this.#closed = true;
    this.sink.close();
    await this.#s.worker.close();
    this.host.removeLane(this);
  }
}
