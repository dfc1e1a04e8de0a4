import { type ConfigIssue, ConfigValidationError } from '../errors.js';
import { path } from '../internal/builtins.js';
import { POLICIES, QUEUE_DEFAULTS, type QueuePolicy, STRATEGIES, type StrategyName } from './defaults.js';
import { defaultJournalDir } from './journal.js';
import type { ResolvedQueueOptions } from './lane-host.js';

/** Options of the multi-fallback queue (also accepted by `new AsyncHydraLogger(options)`); defaults in docs/async.md. */
export interface QueueOptions {
  /** The strategy every lane starts with (default `async`). */
  primaryStrategy?: StrategyName;
  /** Where a lane goes, in order, when its strategy fails (default `['sync', 'direct', 'memory']`). `memory` can only be last. */
  fallbackStrategies?: readonly StrategyName[];
  /** Lines accepted and not yet written, all destinations, before `policy` applies (default 10,000). */
  capacity?: number;
  /** Characters of those lines before `policy` applies (default 16 MiB). */
  maxQueueBytes?: number;
  /** When full: `block` (write the backlog synchronously first; never drops; default), `dropNewest`, `dropOldest`. */
  policy?: QueuePolicy;
  /** Characters per write(2) at most (default 1 MiB). */
  maxBatchBytes?: number;
  /** `async`/`worker` latency (moving average, ms) above which a lane degrades (default 200). */
  latencyThresholdMs?: number;
  /** First probe of the better strategy after a degrade (ms, default 1,000; doubles after a failed probe). */
  probeIntervalMs?: number;
  /** Longest wait between probes (ms, default 30,000). */
  maxProbeIntervalMs?: number;
  /** Consecutive good probes to climb back one strategy (default 3; out of `memory`: 1). */
  recoverAfter?: number;
  /** Lines the `memory` strategy holds in memory, all destinations, before spilling to the journal (default 10,000). */
  memoryCapacity?: number;
  /** With a journal: the longest a line waits in the memory hold before it is journaled (ms, default 2,000). */
  maxHoldMs?: number;
  /**
   * Directory of the spill journal, replayed when a logger is created (default: one per working
   * directory and main script under the OS temp directory). `false`: no journal; a full hold drops.
   */
  journalDir?: string | false;
  /** Bytes of one destination's journal (default 64 MiB); spills beyond are dropped (`journal_error:JOURNAL_FULL`). */
  journalMaxBytes?: number;
  /** How long a synchronous flush waits for an in-flight `async` write to land (ms, default 100). */
  inFlightWaitMs?: number;
}

/** Every default applied and every option checked. @throws ConfigValidationError naming each bad option. */
export function resolveOptions(o: QueueOptions): ResolvedQueueOptions {
  const issues: ConfigIssue[] = [];
  const strategy = (v: unknown, at: string): v is StrategyName => {
    if (typeof v === 'string' && (STRATEGIES as readonly string[]).includes(v)) return true;
    issues.push({
      path: at,
      message: `expected one of ${STRATEGIES.map((s) => `"${s}"`).join(', ')}, got ${show(v)}`,
    });
    return false;
  };
  const primary = o.primaryStrategy ?? QUEUE_DEFAULTS.primaryStrategy;
  strategy(primary, 'primaryStrategy');
  const fallbacks = o.fallbackStrategies ?? QUEUE_DEFAULTS.fallbackStrategies;
  if (!Array.isArray(fallbacks))
    issues.push({ path: 'fallbackStrategies', message: `expected an array, got ${show(fallbacks)}` });
  else for (const [i, s] of fallbacks.entries()) strategy(s, `fallbackStrategies[${i}]`);
  const chain = [primary, ...(Array.isArray(fallbacks) ? fallbacks : [])];
  const mem = chain.indexOf('memory');
  if (mem !== -1 && chain.slice(mem + 1).some((s) => s !== 'memory'))
    issues.push({
      path: 'fallbackStrategies',
      message: '"memory" can only come last (it never fails, so nothing after it would run)',
    });
  if (o.policy !== undefined && !(POLICIES as readonly string[]).includes(o.policy))
    issues.push({
      path: 'policy',
      message: `expected one of ${POLICIES.map((p) => `"${p}"`).join(', ')}, got ${show(o.policy)}`,
    });
  const num = (key: keyof QueueOptions & keyof typeof QUEUE_DEFAULTS, min: number): number => {
    const v = o[key];
    if (v === undefined) return QUEUE_DEFAULTS[key] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      issues.push({ path: key, message: `expected a number ≥ ${min}, got ${show(v)}` });
      return QUEUE_DEFAULTS[key] as number;
    }
    return v;
  };
  const resolved: ResolvedQueueOptions = {
    primaryStrategy: primary,
    fallbackStrategies: Array.isArray(fallbacks) ? fallbacks : [],
    capacity: num('capacity', 1),
    maxQueueBytes: num('maxQueueBytes', 1),
    policy: o.policy ?? QUEUE_DEFAULTS.policy,
    maxBatchBytes: num('maxBatchBytes', 1),
    latencyThresholdMs: num('latencyThresholdMs', 0),
    probeIntervalMs: num('probeIntervalMs', 1),
    maxProbeIntervalMs: num('maxProbeIntervalMs', 1),
    recoverAfter: num('recoverAfter', 1),
    memoryCapacity: num('memoryCapacity', 1),
    maxHoldMs: num('maxHoldMs', 0),
    journalDir:
      o.journalDir === false
        ? false
        : typeof o.journalDir === 'string'
          ? path.resolve(o.journalDir)
          : defaultJournalDir(),
    journalMaxBytes: num('journalMaxBytes', 1),
    inFlightWaitMs: num('inFlightWaitMs', 0),
    switchHistory: QUEUE_DEFAULTS.switchHistory,
  };
  if (o.journalDir !== undefined && o.journalDir !== false && typeof o.journalDir !== 'string')
    issues.push({
      path: 'journalDir',
      message: `expected a directory path or false, got ${show(o.journalDir)}`,
    });
  if (issues.length > 0) throw new ConfigValidationError(issues, 'queue options');
  return resolved;
}

function show(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : String(v);
}
