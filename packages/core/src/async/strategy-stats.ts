import { LatencyHistogram } from '../metrics/latency.js';
import type { StrategyName } from './defaults.js';

/** One strategy's figures in `getQueuePerformanceMetrics().strategies`. */
export interface StrategyFigures {
  /** Batches (one write, or one record for `direct`) this strategy was asked to write. */
  attempts: number;
  successes: number;
  failures: number;
  /** `successes / attempts` (1 before the first attempt). */
  successRate: number;
  /** Lines it wrote. */
  records: number;
  /** Time one batch took to write (write(2) and, with `fsync`, the sync), in ms. */
  avgLatencyMs: number;
  p99LatencyMs: number;
  /** Failed attempts by error code. */
  errors: Record<string, number>;
}

/** Counts one strategy's attempts and their latency (a log-linear histogram: constant memory). */
export class StrategyStats {
  attempts = 0;
  successes = 0;
  failures = 0;
  records = 0;
  readonly errors: Record<string, number> = {};
  readonly #latency = new LatencyHistogram();

  /** `overall`: the queue's histogram of every write attempt, fed too. */
  constructor(
    readonly name: StrategyName,
    readonly overall: LatencyHistogram | undefined,
  ) {}

  ok(ms: number, records: number): void {
    this.attempts++;
    this.successes++;
    this.records += records;
    this.#latency.record(ms * 1000);
    this.overall?.record(ms * 1000);
  }

  failed(ms: number, records: number, code: string): void {
    this.attempts++;
    this.failures++;
    this.records += records;
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.#latency.record(ms * 1000);
    this.overall?.record(ms * 1000);
  }

  figures(): StrategyFigures {
    const l = this.#latency.summary();
    return {
      attempts: this.attempts,
      successes: this.successes,
      failures: this.failures,
      successRate: this.attempts === 0 ? 1 : round(this.successes / this.attempts),
      records: this.records,
      avgLatencyMs: round(l.avgUs / 1000),
      p99LatencyMs: round(l.p99Us / 1000),
      errors: { ...this.errors },
    };
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
