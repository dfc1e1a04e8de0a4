import type { DeliverySettings } from '../config/types.js';
import type { DestinationContext } from '../destinations/context.js';
import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';

/**
 * Sends one batch of encoded messages and settles. The delivery engine (delivery/engine.ts) calls
 * it with one batch at a time per destination, in order, and never twice at once.
 */
export interface Transport {
  /**
   * Resolves when the batch is delivered (HTTP: a 2xx answer; TCP/TLS: written to the socket; UDP:
   * handed to the socket). Rejects with a {@link SendError} (any other rejection counts as a
   * retryable `network` failure). `signal` aborts the attempt (the engine's `timeoutMs`, or
   * `close()`): the transport must then settle promptly.
   *
   * It may resolve with a {@link SendResult} naming messages of the batch it dropped itself (a UDP
   * datagram too large to send): those are counted as dropped under that reason, the rest as delivered.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a transport that only settles returns Promise<void>
  send(batch: readonly Buffer[], signal: AbortSignal): Promise<void | SendResult>;
  /** Tears connections down; no more sends follow. */
  close(): void;
}

/**
 * What a transport may resolve with: messages of the batch it (or the receiver, in its answer)
 * dropped, by reason, and what to report about them (one `error` event and stderr line per code).
 */
export interface SendResult {
  dropped?: Readonly<Record<string, number>>;
  problem?: { code: string; message: string } | undefined;
}

/** Why a send failed; `reason` is the drop reason when the batch is dropped for it. */
export type SendFailure = 'rejected' | 'oversize' | 'network' | 'timeout' | (string & {});

/**
 * A failed send. `retryable: false` drops the batch at once, counted under `reason` (`rejected`:
 * the server refused it, e.g. HTTP 400; `oversize`); `retryable: true` retries it with full-jitter
 * backoff, waiting at least `retryAfterMs` when set (HTTP `Retry-After`). `code` is what the
 * logger's error report names (`ECONNREFUSED`, `HTTP_503`, …).
 */
export class SendError extends Error {
  readonly retryable: boolean;
  readonly reason: SendFailure;
  readonly retryAfterMs: number | undefined;
  readonly code: string;
  constructor(
    message: string,
    o: {
      retryable: boolean;
      reason: SendFailure;
      retryAfterMs?: number | undefined;
      code?: string | undefined;
      cause?: unknown;
    },
  ) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'SendError';
    this.retryable = o.retryable;
    this.reason = o.reason;
    this.retryAfterMs = o.retryAfterMs;
    this.code = o.code ?? o.reason;
  }
}

/** A destination's health: `UP` (last send delivered), `DEGRADED` (failing, retrying), `DOWN` (one probe at a time). */
export type Health = 'UP' | 'DEGRADED' | 'DOWN';

/**
 * What a network destination file (destinations/http.ts, syslog.ts, …) hands the engine: how to
 * turn a record into one message, and a transport. Batching, the queue, retries, health, the
 * spool and counting come from the engine.
 */
export interface NetworkDestinationSpec {
  /** The destination type (`http`, `syslog`, …) as in config. */
  type: string;
  id: string;
  minLevel: number;
  /** The formatter the pipeline formats this destination's line with (`undefined`: `line` is `''`). */
  formatter: Formatter | undefined;
  /**
   * One message from one record (`line` is the formatter's output, with its `\n`). Runs inside the
   * log call: keep it cheap. A throw drops the record (counted as `encode_error`, reported once),
   * never reaches the caller.
   */
  encode(record: LogRecord, line: string): Buffer | string;
  transport: Transport;
  /**
   * The destination's delivery keys as validated (`DELIVERY_OPTIONS`); the engine fills in what
   * is absent from `DELIVERY_LIMITS` (internal/limits.ts). Pass the destination config itself.
   */
  delivery: DeliverySettings;
  context: DestinationContext;
}

/** {@link DeliverySettings} with every default filled in. */
export interface ResolvedDelivery {
  maxQueueBytes: number;
  batch: { maxRecords: number; maxBytes: number; maxDelayMs: number };
  retry: { maxAttempts: number; baseMs: number; maxMs: number };
  timeoutMs: number;
  spool: { dir: string; maxBytes: number } | undefined;
}
