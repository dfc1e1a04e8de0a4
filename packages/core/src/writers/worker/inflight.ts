import { CTL_ACKED, CTL_STATE, reached, STATE_CLOSED, STATE_DEAD } from './protocol.js';
import { type PendingBatch, workerError } from './sink-options.js';

/** The batches posted to the worker and not yet acknowledged, oldest first, with their totals. */
export class InflightBatches {
  #list: (PendingBatch | undefined)[] = [];
  #head = 0;
  /** Characters and records of the unacknowledged batches. */
  chars = 0;
  records = 0;
  /** Records acknowledged so far, in all. */
  acked = 0;

  get empty(): boolean {
    return this.#head >= this.#list.length;
  }

  /** The oldest unacknowledged batch. */
  get first(): PendingBatch | undefined {
    return this.#list[this.#head];
  }

  /** The newest unacknowledged batch. */
  get last(): PendingBatch | undefined {
    return this.empty ? undefined : this.#list[this.#list.length - 1];
  }

  push(batch: PendingBatch): void {
    this.#list.push(batch);
    this.chars += batch.data.length;
    this.records += batch.records;
  }

  /** Drops the batches up to `acked` (a seq, wrapping as the shared slot does). */
  trim(acked: number): void {
    const list = this.#list;
    while (this.#head < list.length) {
      const b = list[this.#head] as PendingBatch;
      if (!reached(acked, b.seq | 0)) break;
      list[this.#head++] = undefined;
      this.chars -= b.data.length;
      this.records -= b.records;
      this.acked += b.records;
    }
    if (this.#head === list.length) {
      this.#list = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > list.length) {
      this.#list = list.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Every unacknowledged batch, oldest first; the list is empty afterwards. */
  takeAll(): PendingBatch[] {
    const out = this.#list.slice(this.#head) as PendingBatch[];
    this.#list = [];
    this.#head = 0;
    this.chars = 0;
    this.records = 0;
    return out;
  }
}

/**
 * Blocks until the shared slot shows batch `seq` acknowledged; returns why it could not be (the
 * worker died, or made no progress for `timeoutMs`), if so.
 */
export function waitAcked(
  ctl: Int32Array,
  seq: number,
  timeoutMs: number,
): NodeJS.ErrnoException | undefined {
  let seen = Atomics.load(ctl, CTL_ACKED);
  let deadline = Date.now() + timeoutMs;
  for (;;) {
    if (reached(seen, seq | 0)) return undefined;
    if (Atomics.load(ctl, CTL_STATE) === STATE_DEAD) return workerError('died');
    const left = deadline - Date.now();
    if (left <= 0) return workerError(`made no progress for ${timeoutMs} ms`);
    Atomics.wait(ctl, CTL_ACKED, seen, Math.min(left, 50));
    const now = Atomics.load(ctl, CTL_ACKED);
    if (now !== seen) {
      seen = now;
      deadline = Date.now() + timeoutMs;
    }
  }
}

/** Blocks until the worker closed its descriptor (or died, or `exited()`); false after `timeoutMs` without that. */
export function waitClosed(ctl: Int32Array, timeoutMs: number, exited: () => boolean): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = Atomics.load(ctl, CTL_STATE);
    if (st === STATE_CLOSED || st === STATE_DEAD || exited()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(ctl, CTL_ACKED, Atomics.load(ctl, CTL_ACKED), Math.min(left, 50));
  }
}

/** Promises waiting for the batch their lines travel in to be acknowledged. */
export class AckWaiters {
  #list: { seq: number; resolve: () => void }[] = [];

  add(seq: number, resolve: () => void): void {
    this.#list.push({ seq, resolve });
  }

  /** Resolves those whose lines are in batch `acked` or before it (all with `'all'`); true when none is left. */
  settle(acked: number | 'all'): boolean {
    if (this.#list.length === 0) return false;
    const keep: { seq: number; resolve: () => void }[] = [];
    for (const w of this.#list) {
      if (acked === 'all' || reached(acked, w.seq | 0)) w.resolve();
      else keep.push(w);
    }
    this.#list = keep;
    return keep.length === 0;
  }
}
