import { chars, type Entry, landedCount } from '../entry.js';
import { Journal } from '../journal.js';
import type { StrategyLane, WriteStrategy } from './strategy.js';

/**
 * `memory`: the last resort of a lane whose other strategies failed. Waiting lines go into a hold
 * in memory (over `memoryCapacity`, all lanes, or after `maxHoldMs`, the hold spills to the
 * journal, whose lines a later start of the program replays); a retry timer probes the strategy
 * above and writes the journal, then the hold, in order. While anything is held or journaled,
 * newer lines join the hold, so order is kept.
 */
export class MemoryStrategy implements WriteStrategy {
  readonly name = 'memory';
  #held: Entry[] = [];
  readonly #journal: Journal | undefined;
  /** Lines this process spilled to the journal and that are still there. */
  #journaledOwn = 0;
  /** Lines a previous run left in the journal, not yet replayed. */
  #journaledForeign = 0;
  #journalSince = 0;
  #retrying = false;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Spills the hold to the journal once its oldest line waited `maxHoldMs` (keeps the process alive until then). */
  #spillTimer: NodeJS.Timeout | undefined;
  /** An urgent line went into the hold inside a synchronous flush: one recovery attempt before the call returns. */
  #urgentHeld = false;
  #closed = false;

  constructor(readonly lane: StrategyLane) {
    const dir = lane.host.options.journalDir;
    if (dir !== false) {
      this.#journal = new Journal(dir, lane.sink.key, lane.host.options.journalMaxBytes);
      if (this.#journal.exists()) {
        this.#journaledForeign = this.#journal.read().lines.length;
        this.#journalSince = Date.now();
      }
    }
  }

  /** Lines held in memory or in the journal: older than anything waiting, so they go first. */
  get backlogged(): boolean {
    return this.#held.length > 0 || this.#journaledOwn + this.#journaledForeign > 0;
  }

  get held(): number {
    return this.#held.length;
  }

  /** When the oldest held line was accepted (`Infinity`: none). */
  get oldestHeld(): number {
    return this.#held[0]?.t ?? Number.POSITIVE_INFINITY;
  }

  get journaledOwn(): number {
    return this.#journaledOwn;
  }

  get journaled(): number {
    return this.#journaledOwn + this.#journaledForeign;
  }

  get journalSince(): number {
    return this.#journalSince;
  }

  /** Every waiting line goes into the hold; the pump stops. */
  send(_probe: boolean, sync: boolean): boolean {
    if (this.#hold() && sync) this.#urgentHeld = true;
    return true;
  }

  /** After a pump: an urgent line that went into the hold is tried before the call returns. */
  afterPump(): void {
    if (!this.#urgentHeld) return;
    this.#urgentHeld = false;
    if (!this.#retrying) this.retryHeld(true);
  }

  /** At process exit: what is held goes to the journal, where the next start finds it. */
  exitFlush(): void {
    if (this.#held.length > 0) this.#spill(true);
  }

  /** Replays a previous run's journal (at construction, before any new line). */
  replayJournal(): void {
    if (this.#journaledForeign > 0 && !this.#replayJournal()) this.#armRetry();
  }

  /** The last retry before the lane closes: what is held or journaled by this process. */
  closing(): void {
    if (this.#held.length > 0 || this.#journaledOwn > 0) this.retryHeld(true);
  }

  async close(): Promise<void> {
    this.#spill(true);
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#clearSpill();
    this.#journal?.close();
  }

  /**
   * Every waiting line goes into the memory hold; over `memoryCapacity` (all lanes) the hold spills
   * to the journal. Returns whether an urgent line was among them.
   */
  #hold(): boolean {
    const host = this.lane.host;
    const moved = this.lane.takeWaiting();
    const n = moved.length;
    for (const e of moved) this.#held.push(e);
    host.adjust(-n, -chars(moved, 0, n), n, 0);
    host.strategy('memory').ok(0, n);
    if (host.heldTotal() > host.options.memoryCapacity) this.#spill(false);
    this.#armRetry();
    this.#armSpill();
    return moved.some((e) => e.urgent);
  }

  /** Puts the held lines in the journal (their promises resolve: they are on disk); what cannot go there is dropped. */
  #spill(all: boolean): void {
    const held = this.#held;
    if (held.length === 0) return;
    const host = this.lane.host;
    const journal = this.#journal;
    const err = journal === undefined ? undefined : journal.append(held.map((e) => e.line));
    if (journal !== undefined && err === undefined) {
      this.#held = [];
      if (this.#journaledOwn + this.#journaledForeign === 0) this.#journalSince = (held[0] as Entry).t;
      this.#journaledOwn += held.length;
      host.adjust(0, 0, -held.length, held.length);
      host.journaled(held.length);
      for (const e of held) e.ticket?.settle();
      return;
    }
    const reason = journal === undefined ? 'memory_full' : `journal_error:${err?.code ?? 'UNKNOWN'}`;
    if (err !== undefined) this.lane.spec.report(err);
    if (all) {
      this.#held = [];
      this.lane.drop(held, reason, err, 'held');
      return;
    }
    // Keep the newest; drop the oldest lines that are not urgent until the hold fits, and urgent
    // ones only beyond twice the capacity (ERROR and CRITICAL are the last to go).
    const cap = host.options.memoryCapacity;
    const over = (): number => host.heldTotal() - cap;
    const keep: Entry[] = [];
    const out: Entry[] = [];
    for (const e of held) {
      if (over() - out.length > 0 && !e.urgent) out.push(e);
      else keep.push(e);
    }
    const urgentOut: Entry[] = [];
    while (keep.length > 0 && host.heldTotal() - out.length - urgentOut.length > 2 * cap)
      urgentOut.push(keep.shift() as Entry);
    this.#held = keep;
    this.lane.drop([...out, ...urgentOut], reason, err, 'held');
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
    const delay = Math.max(1, oldest.t + this.lane.host.options.maxHoldMs - Date.now());
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
    const delay = Math.max(1, this.lane.selector.probeDelay(Date.now()));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.retryHeld(false);
    }, delay);
    this.#retryTimer.unref();
  }

  /**
   * The retry: the journal first (oldest lines), then the held lines, with a probe of the
   * strategy above `memory`. What fails goes back into the hold.
   */
  retryHeld(sync: boolean): void {
    if (this.#retrying) return;
    this.#retrying = true;
    try {
      this.#retry(sync);
    } finally {
      this.#retrying = false;
    }
  }

  #retry(sync: boolean): void {
    const { selector, host } = this.lane;
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    if (this.#journaledOwn + this.#journaledForeign > 0) {
      if (!this.#replayJournal()) {
        selector.probeFailed(Date.now());
        this.#armRetry();
        return;
      }
      // The journal went out with synchronous writes: proof enough to leave `memory`.
      const above = selector.chain[selector.index - 1];
      if (selector.current === 'memory' && above !== undefined) selector.probeSucceeded(above, 0, Date.now());
    }
    const held = this.#held;
    if (held.length > 0) {
      this.#clearSpill();
      this.#held = [];
      host.adjust(held.length, chars(held, 0, held.length), -held.length, 0);
      this.lane.unshift(held);
    }
    selector.probeNow();
    this.lane.pump(sync);
    this.#armRetry();
  }

  /** Writes the journal's lines (synchronously, in order); true when the journal is empty afterwards. */
  #replayJournal(): boolean {
    const journal = this.#journal;
    if (journal === undefined) return true;
    const { sink, host } = this.lane;
    const lines = journal.read().lines;
    let done = 0;
    let error: NodeJS.ErrnoException | undefined;
    const max = host.options.maxBatchBytes;
    while (done < lines.length) {
      let end = done;
      let size = 0;
      while (end < lines.length && (end === done || size + (lines[end] as string).length <= max))
        size += (lines[end++] as string).length;
      const chunk = lines.slice(done, end);
      const o = sink.writeSync(chunk.join(''), chunk.length);
      if (o.error !== undefined) {
        done += landedCount(chunk, o.landed);
        error = o.error;
        break;
      }
      done = end;
    }
    if (this.lane.fsync && done > 0) sink.fsyncSync();
    // The first lines of the file are a previous run's, then this run's spills.
    const foreign = Math.min(done, this.#journaledForeign);
    const own = Math.min(done - foreign, this.#journaledOwn);
    this.#journaledForeign -= foreign;
    this.#journaledOwn -= own;
    host.replayed(foreign);
    host.delivered(own);
    host.adjust(0, 0, 0, -own);
    const rewriteErr = journal.rewrite(lines.slice(done));
    if (rewriteErr !== undefined) this.lane.spec.report(rewriteErr);
    if (error === undefined) {
      this.#journaledForeign = 0;
      this.#journaledOwn = 0;
      return true;
    }
    return false;
  }
}
