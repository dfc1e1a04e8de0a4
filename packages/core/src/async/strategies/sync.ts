import type { StrategyName } from '../defaults.js';
import { type Entry, join, landedLines } from '../entry.js';
import type { StrategyLane, WriteStrategy } from './strategy.js';

/**
 * One batch written with writeSync before returning: what `sync` does every tick, `direct` one
 * line at a time, and `async` on a pipe, terminal or device, or inside a synchronous flush.
 */
export function writeBatchSync(
  lane: StrategyLane,
  strategy: StrategyName,
  probe: boolean,
  one: boolean,
): void {
  const batch = lane.takeBatch(one);
  const sink = lane.sink;
  sink.stats.flushes++;
  const t0 = performance.now();
  const o = sink.writeSync(batch.length === 1 ? (batch[0] as Entry).line : join(batch), batch.length);
  const written = o.error === undefined ? batch.length : landedLines(batch, o.landed);
  if (lane.fsync && written > 0) sink.fsyncSync();
  lane.result({ strategy, probe, batch, written, error: o.error, ms: performance.now() - t0 });
}

/** `sync`: the lines of each tick in one write(2). `direct`: one write(2) per line. */
export class SyncStrategy implements WriteStrategy {
  constructor(
    readonly name: 'sync' | 'direct',
    readonly lane: StrategyLane,
  ) {}

  send(probe: boolean): boolean {
    writeBatchSync(this.lane, this.name, probe, this.name === 'direct');
    return false;
  }
}
