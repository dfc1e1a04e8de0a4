import type { StrategyName } from '../defaults.js';
import { AsyncStrategy } from './async.js';
import { MemoryStrategy } from './memory.js';
import type { StrategyLane, WriteStrategy } from './strategy.js';
import { SyncStrategy } from './sync.js';
import { WorkerStrategy } from './worker.js';

export type { BatchResult, DropFrom, StrategyLane, WriteStrategy } from './strategy.js';
export { AsyncStrategy, MemoryStrategy, SyncStrategy, WorkerStrategy };

/** The strategies of one lane, one object each (a strategy file plus a line here; its name in defaults.ts). */
export interface LaneStrategies {
  readonly async: AsyncStrategy;
  readonly worker: WorkerStrategy;
  readonly sync: SyncStrategy;
  readonly direct: SyncStrategy;
  readonly memory: MemoryStrategy;
}

export function laneStrategies(lane: StrategyLane): LaneStrategies & Record<StrategyName, WriteStrategy> {
  return {
    async: new AsyncStrategy(lane),
    worker: new WorkerStrategy(lane),
    sync: new SyncStrategy('sync', lane),
    direct: new SyncStrategy('direct', lane),
    memory: new MemoryStrategy(lane),
  };
}
