import type { StrategyName } from './defaults.js';

/** One change of a lane's strategy, kept in `getQueuePerformanceMetrics().switches`. */
export interface StrategySwitch {
  /** When (ISO 8601). */
  at: string;
  /** The destination whose lane switched. */
  destination: string;
  from: StrategyName;
  to: StrategyName;
  /** `write_error:ENOSPC`, `latency:312ms>200ms`, `worker_crash:…`, `unavailable:…` (down); `recovered` (up). */
  reason: string;
}

export interface SelectorOptions {
  latencyThresholdMs: number;
  probeIntervalMs: number;
  maxProbeIntervalMs: number;
  recoverAfter: number;
}

/** Strategies whose latency includes waiting outside our control (the thread pool, a worker's backlog). */
const QUEUED = new Set<StrategyName>(['async', 'worker']);

/**
 * Which strategy one lane uses, with hysteresis. Down: at once, one step along the chain, when the
 * current strategy fails a write or (for `async`/`worker`) its latency's moving average passes the
 * threshold. Up: after `recoverAfter` consecutive good probes of the strategy one step above (one
 * probe out of `memory`), a probe being one batch written with that strategy once `probeIntervalMs`
 * has passed; a failed probe doubles the interval (up to `maxProbeIntervalMs`). A good probe of an
 * `async`/`worker` strategy must also be under half the latency threshold.
 */
export class StrategySelector {
  #index = 0;
  #probeAt = 0;
  #interval: number;
  #goodProbes = 0;
  /** Moving average of the current strategy's batch latency (ms); -1: no sample yet. */
  #ewma = -1;

  constructor(
    readonly chain: readonly StrategyName[],
    readonly o: SelectorOptions,
    readonly onSwitch: (from: StrategyName, to: StrategyName, reason: string) => void,
  ) {
    this.#interval = o.probeIntervalMs;
  }

  get current(): StrategyName {
    return this.chain[this.#index] as StrategyName;
  }

  get index(): number {
    return this.#index;
  }

  /** Not on the primary strategy. */
  get degraded(): boolean {
    return this.#index > 0;
  }

  /** Whether a failure of the current strategy has somewhere to go. */
  get canDegrade(): boolean {
    return this.#index < this.chain.length - 1;
  }

  /** The strategy one step above the current one, if a probe of it is due now. */
  probeDue(now: number): StrategyName | undefined {
    if (this.#index === 0 || now < this.#probeAt) return undefined;
    return this.chain[this.#index - 1];
  }

  /** Ms until the next probe may run (for the `memory` strategy's retry timer). */
  probeDelay(now: number): number {
    return Math.max(0, this.#probeAt - now);
  }

  /** Makes the next {@link probeDue} answer now (the memory strategy's retry timer fired). */
  probeNow(): void {
    this.#probeAt = 0;
  }

  /** A batch written by the current strategy in `ms`. */
  succeeded(ms: number, now: number): void {
    if (!QUEUED.has(this.current)) return;
    this.#ewma = this.#ewma < 0 ? ms : this.#ewma * 0.8 + ms * 0.2;
    const next = this.chain[this.#index + 1];
    if (this.#ewma > this.o.latencyThresholdMs && next !== undefined && next !== 'memory')
      this.#move(this.#index + 1, `latency:${Math.round(this.#ewma)}ms>${this.o.latencyThresholdMs}ms`, now);
  }

  /** The current strategy failed a write: degrade one step (when there is one). */
  failed(reason: string, now: number): void {
    if (this.canDegrade) this.#move(this.#index + 1, reason, now);
  }

  /** A probe of the strategy above wrote its batch in `ms`. */
  probeSucceeded(strategy: StrategyName, ms: number, now: number): void {
    if (QUEUED.has(strategy) && ms > this.o.latencyThresholdMs / 2) {
      this.probeFailed(now);
      return;
    }
    this.#goodProbes++;
    const need = this.current === 'memory' ? 1 : this.o.recoverAfter;
    if (this.#goodProbes >= need) this.#move(this.#index - 1, 'recovered', now);
    // Consecutive probes: the next batch probes again (climbing stays quick once healthy).
    else this.#probeAt = now;
  }

  probeFailed(now: number): void {
    this.#goodProbes = 0;
    this.#interval = Math.min(this.#interval * 2, this.o.maxProbeIntervalMs);
    this.#probeAt = now + this.#interval;
  }

  #move(to: number, reason: string, now: number): void {
    const from = this.current;
    this.#index = to;
    this.#goodProbes = 0;
    this.#ewma = -1;
    if (reason !== 'recovered') this.#interval = this.o.probeIntervalMs;
    this.#probeAt = now + (reason === 'recovered' ? 0 : this.#interval);
    this.onSwitch(from, this.current, reason);
  }
}
