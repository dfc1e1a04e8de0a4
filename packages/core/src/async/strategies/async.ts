import { type Flight, join, landedLines } from '../entry.js';
import type { WriteOutcome } from '../fd-sink.js';
import type { StrategyLane, WriteStrategy } from './strategy.js';
import { writeBatchSync } from './sync.js';

/**
 * `async`: a batch per tick handed to libuv's thread pool (a regular file through a port that can
 * write asynchronously); one batch in flight at a time. On a pipe, terminal or device, and inside a
 * synchronous flush, the batch is written with writeSync.
 */
export class AsyncStrategy implements WriteStrategy {
  readonly name = 'async';
  constructor(readonly lane: StrategyLane) {}

  send(probe: boolean, sync: boolean): boolean {
    if (sync || !this.#ready()) {
      writeBatchSync(this.lane, 'async', probe, false);
      return false;
    }
    const lane = this.lane;
    const entries = lane.takeBatch(false);
    lane.sink.stats.flushes++;
    const flight: Flight = {
      entries,
      strategy: 'async',
      probe,
      started: performance.now(),
      boot: false,
      write: undefined,
      settled: false,
    };
    lane.inFlight = flight;
    flight.write = lane.sink.writeAsync(join(entries), entries.length, (o) => this.#done(flight, o));
    return true;
  }

  /** Waits (up to `inFlightWaitMs`) until the file shows the batch landed; else writes on without it. */
  settle(f: Flight): void {
    if (f.write === undefined || f.settled) return;
    const lane = this.lane;
    if (lane.sink.waitLanded(f.write, lane.host.options.inFlightWaitMs)) {
      f.settled = true;
      lane.inFlight = undefined;
      if (lane.fsync) lane.sink.fsyncSync();
      const ms = performance.now() - f.started;
      lane.result({
        strategy: 'async',
        probe: f.probe,
        batch: f.entries,
        written: f.entries.length,
        error: undefined,
        ms,
      });
    } else {
      // Still not on disk: write on without it (its callback settles it later, out of order).
      lane.inFlight = undefined;
      lane.host.overtaken();
    }
  }

  #ready(): boolean {
    const sink = this.lane.sink;
    if (!sink.isOpen && sink.ensureOpen() !== undefined) return false;
    return sink.canWriteAsync;
  }

  #done(flight: Flight, o: WriteOutcome): void {
    if (flight.settled) return;
    const lane = this.lane;
    const written = o.error === undefined ? flight.entries.length : landedLines(flight.entries, o.landed);
    const finish = (): void => {
      if (flight.settled) return;
      flight.settled = true;
      if (lane.inFlight === flight) lane.inFlight = undefined;
      const ms = performance.now() - flight.started;
      lane.result({
        strategy: 'async',
        probe: flight.probe,
        batch: flight.entries,
        written,
        error: o.error,
        ms,
      });
      lane.pump(false);
    };
    if (lane.fsync && written > 0) lane.sink.fsyncAsync(finish);
    else finish();
  }
}
