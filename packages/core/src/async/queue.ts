import type { FdTargetSpec, LineWriter } from '../destinations/fd-destination.js';
import { LatencyHistogram } from '../metrics/latency.js';
import { registerExitFlush, unregisterExitFlush } from '../writers/exit-flush.js';
import type { QueuePolicy, StrategyName } from './defaults.js';
import { Lane, type LaneFigures } from './lane.js';
import type { HostedLane, LaneHost, ResolvedQueueOptions } from './lane-host.js';
import { replayOrphans } from './orphans.js';
import { type QueueOptions, resolveOptions } from './queue-options.js';
import type { StrategySwitch } from './strategy-selector.js';
import { type StrategyFigures, StrategyStats } from './strategy-stats.js';
import { RESOLVED, Ticket } from './ticket.js';

export type { QueueOptions } from './queue-options.js';

/** What `getQueuePerformanceMetrics()` returns. */
export interface QueuePerformanceMetrics {
  /** The strategy of the most degraded destination (the primary when all are well). */
  currentStrategy: StrategyName;
  /** Successful write attempts / attempts, over every strategy that writes (1 before the first). */
  successRate: number;
  /** Time one write attempt took (ms), over every strategy that writes. */
  avgLatencyMs: number;
  p99LatencyMs: number;
  /** Lines accepted and not yet written: waiting, in flight, held in memory, in the journal. */
  queueDepth: number;
  capacity: number;
  policy: QueuePolicy;
  /** Age of the oldest line not yet written (ms; 0 when none). */
  oldestPendingMs: number;
  /** Lines dropped by reason (`queue_full:dropNewest`, `write_error:ENOSPC`, `memory_full`, `closed` …). */
  dropped: Record<string, number>;
  /** `UP`: every destination on its primary strategy; `DEGRADED`: some on a fallback, or lines held or journaled; `DOWN`: some destination can only hold lines. */
  health: 'UP' | 'DEGRADED' | 'DOWN';
  strategies: Partial<Record<StrategyName, StrategyFigures>>;
  /** The last switches (at most 100), oldest first; `switchCount` counts them all. */
  switches: StrategySwitch[];
  switchCount: number;
  /** `produced = delivered + dropped + pending` holds at every moment. */
  ledger: QueueLedger;
  /** Per destination. */
  lanes: Record<string, LaneFigures>;
}

export interface QueueLedger {
  produced: number;
  delivered: number;
  dropped: number;
  /** waiting + held + journaled. */
  pending: number;
  /** Waiting or in flight. */
  waiting: number;
  held: number;
  journaled: number;
  /** Lines of a previous run's journal written by this one (not part of `produced`). */
  replayed: number;
  /** Spills to the journal (lines), in all. */
  spilled: number;
  /** Synchronous flushes that wrote on without seeing an in-flight async write land. */
  overtaken: number;
  /** Times `block` made a log call write the backlog itself. */
  blocked: number;
}

/** What AsyncHydraLogger needs of a queue (`queueClass` may name a subclass of {@link MultiFallbackAsyncQueue}). */
export interface AsyncLogQueue {
  /** The writer of one console or file destination (called while the pipeline is compiled). */
  lane(spec: FdTargetSpec): LineWriter;
  /** Before a log call hands its record to the pipeline. */
  begin(): void;
  /** After: the call's promise. */
  end(): Promise<void>;
  /** Once the logger is built: replays the journals a previous run left. */
  start(): void;
  /** Resolves once every line accepted so far is written (or held). */
  drain(): Promise<void>;
  flushSync(): void;
  close(): Promise<void>;
  metrics(): QueuePerformanceMetrics;
}

export type AsyncQueueClass = new (options: QueueOptions) => AsyncLogQueue;

const WRITING: readonly StrategyName[] = ['async', 'worker', 'sync', 'direct'];

/**
 * The multi-fallback queue: one lane per console or file destination, each with its own
 * strategy chain and selector, sharing capacity, policy, the memory hold, figures and the ledger.
 */
export class MultiFallbackAsyncQueue implements AsyncLogQueue, LaneHost {
  readonly options: ResolvedQueueOptions;
  readonly #lanes = new Set<Lane>();
  readonly #stats = new Map<StrategyName, StrategyStats>();
  readonly #overall = new LatencyHistogram();
  #ticket: Ticket | undefined;
  #produced = 0;
  #delivered = 0;
  #droppedTotal = 0;
  readonly #dropped: Record<string, number> = {};
  #queued = 0;
  #chars = 0;
  #held = 0;
  #journaled = 0;
  #replayed = 0;
  #spilled = 0;
  #overtaken = 0;
  #blocked = 0;
  readonly #switches: StrategySwitch[] = [];
  #switchCount = 0;
  #exitHook: { flushSync(): void } | undefined;
  /** The lanes' last figures, kept when the last lane closed (metrics after close show how it ended). */
  #final: Map<Lane, LaneFigures> | undefined;
  #closed = false;

  /** @throws ConfigValidationError (`HYDRA_E_CONFIG_INVALID`) for an unknown strategy or policy, or a bad bound. */
  constructor(options: QueueOptions = {}) {
    this.options = resolveOptions(options);
    for (const s of this.#chain()) this.#stat(s);
  }

  lane(spec: FdTargetSpec): LineWriter {
    this.#final = undefined;
    let chain = this.#chain();
    if (spec.config.mode === 'worker') chain = ['worker', ...chain.filter((s) => s !== 'worker')];
    const lane = new Lane(this, spec, chain);
    this.#lanes.add(lane);
    if (this.#exitHook === undefined && !this.#closed) {
      this.#exitHook = { flushSync: () => this.#exitFlush() };
      registerExitFlush(this.#exitHook);
    }
    return lane;
  }

  begin(): void {
    this.#ticket = undefined;
  }

  end(): Promise<void> {
    const t = this.#ticket;
    this.#ticket = undefined;
    return t === undefined ? RESOLVED : t.promise();
  }

  start(): void {
    for (const lane of this.#lanes) lane.replayJournal();
    const dir = this.options.journalDir;
    if (dir !== false) this.#replayed += replayOrphans(dir, new Set([...this.#lanes].map((l) => l.sink.key)));
  }

  async drain(): Promise<void> {
    await Promise.all([...this.#lanes].map((l) => l.flush()));
  }

  flushSync(): void {
    for (const lane of this.#lanes) lane.flushSync();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#lanes].map((l) => l.close()));
    if (this.#exitHook !== undefined) unregisterExitFlush(this.#exitHook);
    this.#exitHook = undefined;
  }

  metrics(): QueuePerformanceMetrics {
    const now = Date.now();
    const lanes: Record<string, LaneFigures> = {};
    let oldest = 0;
    let worst: { rank: number; strategy: StrategyName } = {
      rank: -1,
      strategy: this.options.primaryStrategy,
    };
    let health: QueuePerformanceMetrics['health'] = 'UP';
    const live = this.#lanes.size > 0 || this.#final === undefined;
    const all = live
      ? [...this.#lanes].map((l) => [l, l.figures(now)] as const)
      : [...(this.#final as Map<Lane, LaneFigures>)];
    for (const [lane, f] of all) {
      lanes[lane.id] = f;
      oldest = Math.max(oldest, f.oldestPendingMs);
      const rank = lane.selector.index;
      if (rank > worst.rank) worst = { rank, strategy: f.strategy };
      if (f.health === 'DOWN') health = 'DOWN';
      else if (f.health === 'DEGRADED' || f.journaled > 0) health = health === 'DOWN' ? 'DOWN' : 'DEGRADED';
    }
    let attempts = 0;
    let successes = 0;
    const strategies: Partial<Record<StrategyName, StrategyFigures>> = {};
    for (const [name, s] of this.#stats) {
      strategies[name] = s.figures();
      if (WRITING.includes(name)) {
        attempts += s.attempts;
        successes += s.successes;
      }
    }
    const l = this.#overall.summary();
    const pending = this.#queued + this.#held + this.#journaled;
    return {
      currentStrategy: worst.strategy,
      successRate: attempts === 0 ? 1 : Math.round((successes / attempts) * 1000) / 1000,
      avgLatencyMs: Math.round(l.avgUs) / 1000,
      p99LatencyMs: Math.round(l.p99Us) / 1000,
      queueDepth: pending,
      capacity: this.options.capacity,
      policy: this.options.policy,
      oldestPendingMs: oldest,
      dropped: { ...this.#dropped },
      health,
      strategies,
      switches: [...this.#switches],
      switchCount: this.#switchCount,
      ledger: {
        produced: this.#produced,
        delivered: this.#delivered,
        dropped: this.#droppedTotal,
        pending,
        waiting: this.#queued,
        held: this.#held,
        journaled: this.#journaled,
        replayed: this.#replayed,
        spilled: this.#spilled,
        overtaken: this.#overtaken,
        blocked: this.#blocked,
      },
      lanes,
    };
  }

  /** The worker thread of a destination's `worker` strategy, if one runs (a seam for crash tests). */
  workerThread(destination: string): import('node:worker_threads').Worker | undefined {
    for (const lane of this.#lanes) if (lane.id === destination) return lane.workerThread;
    return undefined;
  }

  // ——— LaneHost ———

  ticket(): Ticket {
    this.#ticket ??= new Ticket();
    return this.#ticket;
  }

  produced(): void {
    this.#produced++;
  }

  admit(lane: HostedLane, chars: number): string | undefined {
    const o = this.options;
    if (this.#queued < o.capacity && this.#chars + chars <= o.maxQueueBytes) return undefined;
    switch (o.policy) {
      case 'block':
        // The caller pays: everything waiting is written now, synchronously. Nothing is dropped.
        this.#blocked++;
        this.flushSync();
        return undefined;
      case 'dropNewest':
        return 'queue_full:dropNewest';
      case 'dropOldest': {
        if (lane.evictOldest('queue_full:dropOldest')) return undefined;
        for (const other of this.#lanes)
          if (other !== lane && other.evictOldest('queue_full:dropOldest')) return undefined;
        // Nothing waiting can go (all in flight or urgent): the new line is the one dropped.
        return 'queue_full:dropOldest';
      }
    }
  }

  adjust(queued: number, chars: number, held: number, journaled: number): void {
    this.#queued += queued;
    this.#chars += chars;
    this.#held += held;
    this.#journaled += journaled;
  }

  delivered(n: number): void {
    this.#delivered += n;
  }

  dropped(reason: string, n: number): void {
    this.#droppedTotal += n;
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + n;
  }

  journaled(n: number): void {
    this.#spilled += n;
  }

  replayed(n: number): void {
    this.#replayed += n;
  }

  overtaken(): void {
    this.#overtaken++;
  }

  heldTotal(): number {
    return this.#held;
  }

  strategy(name: StrategyName): StrategyStats {
    return this.#stat(name);
  }

  switched(destination: string, from: StrategyName, to: StrategyName, reason: string): void {
    this.#switchCount++;
    this.#switches.push({ at: new Date().toISOString(), destination, from, to, reason });
    if (this.#switches.length > this.options.switchHistory) this.#switches.shift();
  }

  removeLane(hosted: HostedLane): void {
    const lane = hosted as Lane;
    if (this.#lanes.size === 1 && this.#lanes.has(lane)) {
      const now = Date.now();
      this.#final = new Map([...this.#lanes].map((l) => [l, l.figures(now)]));
    }
    this.#lanes.delete(lane);
  }

  // ——— internals ———

  #chain(): StrategyName[] {
    return [...new Set([this.options.primaryStrategy, ...this.options.fallbackStrategies])];
  }

  #stat(name: StrategyName): StrategyStats {
    let s = this.#stats.get(name);
    if (s === undefined) {
      s = new StrategyStats(name, name === 'memory' ? undefined : this.#overall);
      this.#stats.set(name, s);
    }
    return s;
  }

  #exitFlush(): void {
    for (const lane of this.#lanes) {
      try {
        lane.exitFlush();
      } catch {
        // Never throws; one broken lane must not stop the others.
      }
    }
  }
}
