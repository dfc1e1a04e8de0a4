import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { WriterStats } from '../writers/fd-writer.js';

/** Figures one destination reports in `getPerformanceMetrics().destinations`. */
export interface DestinationStats extends WriterStats {
  type: string;
  /** Records handed to this destination. */
  records: number;
  /** Records accepted but not yet written (buffered mode; network destinations: queued, in flight or spooled). */
  pending: number;
  /**
   * Network destinations (docs/destinations.md): `produced = delivered + Σ dropped + pending`.
   * `produced` is `records` plus the records found in the spool at start (`recovered`).
   */
  produced?: number;
  /** Network destinations: records the receiver acknowledged (HTTP 2xx; written to the socket for TCP). */
  delivered?: number;
  /** Network destinations: records found in the spool at start (left by an earlier process). */
  recovered?: number;
  /** Network destinations: bytes of encoded records held in memory (never above `maxQueueBytes`). */
  queueBytes?: number;
  /** Network destinations: records and bytes in the disk spool. */
  spooled?: number;
  spoolBytes?: number;
  /** Network destinations: `UP`, `DEGRADED` (failing, retrying) or `DOWN` (one probe at a time). */
  health?: 'UP' | 'DEGRADED' | 'DOWN';
}

/** `close()`'s options: how long a network destination keeps delivering before it counts the rest as `closed`. */
export interface CloseOptions {
  timeoutMs?: number;
}

/**
 * A formatter plus a writer. The pipeline formats a record once per distinct formatter and
 * hands the line to every destination that shares it.
 */
export interface Destination {
  /** `name` from config, else `<layer>[<index>]:<type>`. */
  readonly id: string;
  readonly type: string;
  readonly minLevel: number;
  /** `undefined` for destinations that need no text (`null`). */
  readonly formatter: Formatter | undefined;
  /** `urgent` (ERROR and above) is written before the call returns, with everything pending before it. */
  write(line: string, record: LogRecord, urgent: boolean): void;
  flushSync(): void;
  flush(): Promise<void>;
  /** Network destinations deliver for at most `timeoutMs` (default 5 s), then count the rest as `closed`, reported. */
  close(options?: CloseOptions): Promise<void>;
  /** Closes and reopens files (for logrotate's move-then-signal); a no-op elsewhere. */
  reopen(): void;
  stats(): DestinationStats;
}

/** How a destination reports a failed write: the logger turns this into one `error` event and one stderr line per code. */
export type ErrorReporter = (destinationId: string, err: NodeJS.ErrnoException) => void;
