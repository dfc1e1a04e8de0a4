/** Level numbers, the same as the core's. */
export const LEVELS = { TRACE: 5, DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LevelName = keyof typeof LEVELS;

/** A record as it goes to the bridge (`logs` frame / ingest body). */
export interface WireRecord {
  level: LevelName;
  message: string;
  layer?: string;
  fields?: Record<string, unknown>;
  time: number;
  seq: number;
}

/** One record of the outbox: who sent it (`c`, the client id), its sequence number `s`, the record `r`. */
export interface Entry {
  c: string;
  s: number;
  r: WireRecord;
  /** Size of `r` as JSON (UTF-16 units, a close upper bound of its bytes on the wire for ASCII). */
  n: number;
  /** Outbox key once stored; `undefined` before. */
  id?: number | undefined;
  /** Storage state: 0 not stored, 1 being written, 2 stored, 3 acked (delete once written). */
  st: number;
  /** Order of creation in this page (flush() waits by it). */
  i: number;
}

export interface ClientOptions {
  /** The bridge: `ws://host:port/hydra/ws` (or `/logs`), or `http(s)://host:port/hydra`. Default: this page's origin + `/hydra`. */
  url?: string;
  /** A bridge token (`createToken`), sent as a subprotocol on the WebSocket and in the body of HTTP requests. */
  token?: string;
  /** Added to every record as the field `app`. */
  app?: string;
  /** Records below this level are not sent (not counted as drops). Default `DEBUG`. */
  level?: LevelName | Lowercase<LevelName> | 'warn' | 'fatal';
  /** Default layer of records logged without one. Default: the bridge's (`BROWSER`). */
  layer?: string;
  /** `auto` (WebSocket, HTTP when the WebSocket cannot connect), `ws`, or `http`. Default `auto`. */
  transport?: 'auto' | 'ws' | 'http';
  batch?: { maxRecords?: number; maxBytes?: number; maxDelayMs?: number };
  /** The outbox: `indexeddb` (default; survives a reload) or `memory`; bounded, oldest dropped and counted. */
  offline?: { storage?: 'indexeddb' | 'memory'; maxRecords?: number; maxBytes?: number; name?: string };
  /**
   * Reconnect backoff (full jitter): a random wait in [0, min(maxMs, baseMs × 2^attempt)].
   * `timeoutMs` (default 10,000): a WebSocket not ready by then (still connecting, or no `hello`
   * from the bridge), or an HTTP request not answered by then, is given up and tried again. A
   * value that is not a positive number of milliseconds (below 2^31) counts as the default.
   */
  retry?: { baseMs?: number; maxMs?: number; timeoutMs?: number };
  /** Redact secrets and personal data in the page with the core's rules. Default `true`. */
  redact?: boolean;
  /** `error` and `unhandledrejection` become ERROR records with stacks. Default `false`. */
  captureErrors?: boolean;
  /** `console.warn` / `console.error` (or the listed methods) become records too. Default `false`. */
  captureConsole?: boolean | ('debug' | 'info' | 'log' | 'warn' | 'error')[];
  /** Fraction of records kept, 0…1 (the rest are counted in `dropped.sampled`). Default 1. */
  sampleRate?: number;
  /** Last look at a record before it is queued: return it (changed or not), or null to drop it (counted). */
  beforeSend?: (record: WireRecord) => WireRecord | null | undefined;
  /**
   * W3C trace context: every record carries `traceId` and `spanId` of this page; `true` also
   * adds a `traceparent` header to this page's same-origin `fetch` calls. Default `true` (fields only).
   */
  traceparent?: boolean | 'fetch';
  /** Send pending records by `navigator.sendBeacon` when the page is hidden or left. Default `true`. */
  beacon?: boolean;
}

export interface ClientStats {
  /** Records in the outbox, not yet acknowledged (includes those in flight). */
  queued: number;
  /** Records sent (each send counts, resends too). */
  sent: number;
  /** Records acknowledged by the bridge (logged, duplicates, or refused as invalid). */
  acked: number;
  /** Records the bridge reported as duplicates (already logged). */
  duplicates: number;
  /** Records written to the durable outbox and not yet deleted. */
  stored: number;
  /** Records sent by `sendBeacon` at page exit (they stay in the outbox until acknowledged). */
  beaconed: number;
  /** Records dropped, by reason (`outbox_full`, `sampled`, `before_send`, `rejected`, `closed`, `storage`). */
  dropped: Record<string, number>;
  /** `ws`, `http` or `offline`. */
  transport: string;
}
