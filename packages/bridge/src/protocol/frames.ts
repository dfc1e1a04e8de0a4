/** Protocol version carried by `hello.v`. */
export const PROTOCOL_VERSION = 1;
/** The WebSocket subprotocol the bridge speaks (`Sec-WebSocket-Protocol`). */
export const SUBPROTOCOL = 'hydra.v1';
/** A `Sec-WebSocket-Protocol` entry `hydra.token.<token>` carries a bridge token (browsers cannot set headers). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'hydra.token.';

/** WebSocket close codes the bridge uses. */
export const CLOSE_CODES = Object.freeze({
  /** A rule was broken: too many bad frames, frames or ingest over the rate. */
  policy: 1008,
  /** A frame over `maxPayload`. */
  tooBig: 1009,
  /** The stream changed epoch (a backplane node lost or regained Redis): reconnect and resume with your cursor. */
  serviceRestart: 1012,
  /** The bridge (or this IP address) has too many connections; try again later. */
  overloaded: 1013,
  /** No valid credentials (missing, bad or expired token; no `auth` frame in time). */
  unauthorized: 4401,
  /** Authenticated, but the role may not do this (subscribe, ingest). */
  forbidden: 4403,
});

/** Why a subscriber did not get some records (`gap.reason`). */
export type GapReason = 'evicted' | 'slow_consumer' | 'filtered_by_role' | 'epoch_changed';

/** Where a subscription starts. */
export type Since = 'latest' | { last: number } | { epoch: string; offset: number };

/** What a subscription receives. Every term given must match. */
export interface SubscriptionFilter {
  /** Only these layers (exact names). */
  layers?: string[];
  /** Only records at this level or above (name or number). */
  minLevel?: number;
  /** Only records whose JSON contains this text (case-insensitive). */
  text?: string;
  /** Only records whose value at each path (`key` or `a.b.c`) equals the given primitive. */
  fields?: Record<string, string | number | boolean | null>;
}

/** One browser record in a `logs` frame or an ingest request. */
export interface IngestRecord {
  level: string | number;
  message: string;
  layer?: string;
  fields?: Record<string, unknown>;
  /** The browser's clock (ms since the epoch); kept as `client.time`. */
  time?: number;
  /** This record's sequence number; default: the batch's `seq` + its index. */
  seq?: number;
}

/** Frames a client sends. */
export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; sub: string; filter: SubscriptionFilter; since: Since }
  | { type: 'unsubscribe'; sub: string }
  | { type: 'logs'; clientId: string; seq: number; records: unknown[] }
  | { type: 'pong'; t: number }
  | { type: 'watch'; topics: string[] }
  | { type: 'unwatch'; topics: string[] };

/** The `limits` a `hello` frame announces. */
export interface HelloLimits {
  maxPayload: number;
  maxSubscriptions: number;
  maxBatchRecords: number;
  maxIngestBatchRecords: number;
  ingestRecordsPerSecond: number;
  ingestBytesPerSecond: number;
  heartbeatMs: number;
}

/** Frames the bridge sends (the `records` frame is written by the fan-out, byte for byte). */
export type ServerFrame =
  | {
      type: 'hello';
      v: number;
      serverId: string;
      epoch: string;
      limits: HelloLimits;
      principal: { sub: string; role: string };
    }
  | { type: 'subscribed'; sub: string; epoch: string; from: number }
  | { type: 'gap'; sub: string; from: number; to: number; count: number; reason: GapReason }
  | { type: 'ack'; seq: number; accepted: number; duplicates: number; rejected: RejectedRecord[] }
  | { type: 'ping'; t: number }
  | { type: 'event'; topic: string; seq: number; data: unknown }
  | { type: 'error'; code: ErrorCode; message: string; sub?: string; seq?: number };

/** An ingested record that was refused (it is acknowledged, so the client does not resend it). */
export interface RejectedRecord {
  index: number;
  reason: string;
}

/** Stable codes of `error` frames (and of HTTP ingest error bodies). */
export const ERROR_CODES = [
  'bad_json',
  'bad_frame',
  'binary_not_supported',
  'unknown_type',
  'not_authenticated',
  'already_authenticated',
  'forbidden',
  'too_many_subscriptions',
  'unknown_subscription',
  'rate_limited',
  'too_large',
  'bad_request',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** JSON text of a server frame. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
