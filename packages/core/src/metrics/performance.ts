import type { DestinationStats } from '../destinations/destination.js';
import type { TruncationCounts } from '../record/normalize.js';
import type { RedactionStats } from '../security/data-sanitizer.js';
import type { LatencySummary } from './latency.js';

/** Figures returned by `getPerformanceMetrics()`. */
export interface PerformanceMetrics {
  totalLogs: number;
  /** Records per second since the logger was created, and the seconds that covers. */
  throughput: { perSecond: number; seconds: number };
  /**
   * Time spent in log calls that passed the level gate, in µs (avg, p50, p99, max; p50/p99 within
   * 9 %). Measured only with `enablePerformanceMonitoring: true`; otherwise `undefined`.
   */
  latency: LatencySummary | undefined;
  byLevel: Record<string, number>;
  byLayer: Record<string, number>;
  /** Records that did not reach a destination, by reason (summed over destinations). */
  dropped: Record<string, number>;
  bytesWritten: number;
  writes: number;
  flushes: number;
  errors: number;
  /**
   * Values cut by the limits (depth, breadth, string length, cycles) or unreadable (a revoked
   * Proxy: docs/records.md); `scan`: strings withheld unscanned by redaction's per-record scan
   * budget (`maxScanPerRecord`, docs/security.md).
   */
  truncations: TruncationCounts & { scan: number };
  /** Processor calls that threw; the record went on without that step. */
  processorErrors: number;
  /** Values and substrings redacted, in all; `redactionsByKind` by sensitive `key` or pattern name. */
  redactions: number;
  redactionsByKind: Record<string, number>;
  /** Records flagged by threat detection, and of those, blocked (dropped). */
  securityEvents: number;
  threatsBlocked: number;
  /** Plugin hook calls and, of those, failures (thrown or unusable results), by plugin name (docs/plugins.md). */
  pluginEvents: Record<string, number>;
  pluginErrors: Record<string, number>;
  destinations: Record<string, DestinationStats>;
}

/** The destinations' part of the figures: their stats by id, their totals, their drops added to `dropped`. */
export function destinationFigures(
  list: readonly { id: string; stats(): DestinationStats }[],
  dropped: Record<string, number>,
): Pick<PerformanceMetrics, 'destinations' | 'bytesWritten' | 'writes' | 'flushes' | 'errors'> {
  const destinations: Record<string, DestinationStats> = {};
  let bytesWritten = 0;
  let writes = 0;
  let flushes = 0;
  let errors = 0;
  for (const d of list) {
    const s = d.stats();
    destinations[d.id] = s;
    bytesWritten += s.bytesWritten;
    writes += s.writes;
    flushes += s.flushes;
    errors += s.errors;
    for (const [reason, n] of Object.entries(s.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
  }
  return { destinations, bytesWritten, writes, flushes, errors };
}

export function throughputOf(total: number, elapsedMs: number): { perSecond: number; seconds: number } {
  const seconds = elapsedMs / 1000;
  return {
    perSecond: seconds > 0 ? Math.round(total / seconds) : 0,
    seconds: Math.round(seconds * 1000) / 1000,
  };
}

export function emptyRedactionStats(): RedactionStats {
  return {
    redactions: 0,
    byKind: {},
    truncations: { string: 0, depth: 0, breadth: 0, circular: 0, scan: 0 },
    unscannedChars: 0,
  };
}

/** Adds one sanitizer's counters into a running total. */
export function addRedactionStats(total: RedactionStats, s: RedactionStats): void {
  total.redactions += s.redactions;
  for (const [k, n] of Object.entries(s.byKind)) total.byKind[k] = (total.byKind[k] ?? 0) + n;
  for (const k of Object.keys(total.truncations) as (keyof RedactionStats['truncations'])[])
    total.truncations[k] += s.truncations[k];
  total.unscannedChars += s.unscannedChars;
}

export function sumTruncations(
  a: TruncationCounts,
  b: RedactionStats['truncations'],
): TruncationCounts & { scan: number } {
  return {
    depth: a.depth + b.depth,
    breadth: a.breadth + b.breadth,
    string: a.string + b.string,
    circular: a.circular + b.circular,
    unreadable: a.unreadable,
    scan: b.scan,
  };
}
