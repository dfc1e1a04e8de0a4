import type { WriterStats } from '../../writers/fd-engine.js';
import { type Flight, join, landedLines } from '../entry.js';
import { WorkerChannel, type WorkerOutcome } from '../worker-channel.js';
import type { StrategyLane, WriteStrategy } from './strategy.js';

/**
 * `worker`: the lane's batches written on a worker thread (async/worker-channel.ts over the
 * machinery of `mode: 'worker'`), one batch in flight; a dead thread is replaced by the next batch.
 */
export class WorkerStrategy implements WriteStrategy {
  readonly name = 'worker';
  #worker: WorkerChannel | undefined;
  constructor(readonly lane: StrategyLane) {}

  /** The worker thread, if one runs (tests terminate it). */
  get thread(): WorkerChannel['thread'] | undefined {
    return this.#worker?.thread;
  }

  send(probe: boolean, sync: boolean): boolean {
    const lane = this.lane;
    let worker = this.#worker;
    const boot = worker === undefined || worker.dead;
    if (worker === undefined || worker.dead) {
      worker = WorkerChannel.open(lane.spec, () => lane.schedule());
      this.#worker = worker;
      if (worker === undefined) {
        const err = Object.assign(new Error('the fs port cannot be used in a worker thread'), {
          code: 'ENOTSUP',
        });
        const batch = lane.takeBatch(false);
        lane.result({
          strategy: 'worker',
          probe,
          batch,
          written: 0,
          error: err,
          ms: 0,
          reason: 'unavailable:ENOTSUP',
        });
        return false;
      }
    }
    const entries = lane.takeBatch(false);
    const flight: Flight = {
      entries,
      strategy: 'worker',
      probe,
      started: performance.now(),
      boot,
      write: undefined,
      settled: false,
    };
    lane.inFlight = flight;
    worker.send(join(entries), (o) => this.#done(flight, o));
    if (sync) worker.flushSync();
    return false;
  }

  settle(): void {
    this.#worker?.flushSync();
  }

  reopen(): void {
    this.#worker?.reopen();
  }

  stats(): WriterStats | undefined {
    return this.#worker?.stats();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined && !worker.dead) await worker.close();
  }

  #done(flight: Flight, o: WorkerOutcome): void {
    if (flight.settled) return;
    const lane = this.lane;
    flight.settled = true;
    if (lane.inFlight === flight) lane.inFlight = undefined;
    let written: number;
    if (o.crashed) {
      written = o.landedBytes === undefined ? 0 : landedLines(flight.entries, o.landedBytes);
      this.#worker = undefined;
    } else written = flight.entries.length - o.dropped;
    // The worker's writer may have left a cut line: the next main-thread write ends it first.
    if (o.error !== undefined) lane.sink.checkTail();
    if (lane.fsync && written > 0) lane.sink.fsyncSync();
    const reason = o.crashed ? `worker_crash:${o.error?.code ?? 'EXIT'}` : undefined;
    lane.result({
      strategy: 'worker',
      probe: flight.probe,
      batch: flight.entries,
      written,
      error: o.error,
      ms: performance.now() - flight.started,
      reason,
      boot: flight.boot,
    });
    // Never re-entered from inside a pump: the rest goes on in the next tick (or in the flush that waits).
    lane.schedule();
  }
}
