/**
 * Every bounded resource of the bridge, with its default, in one table (the package README lists
 * them). Override any of them with `limits: { … }` in the bridge options. When a limit trips, the
 * bridge counts it (`bridge.stats().limited`) and tells the client (an `error` frame, a `gap`
 * frame, a close code or an HTTP status), never silently.
 */
export const BRIDGE_LIMITS = Object.freeze({
  /** Records the ring keeps for backfill and slow clients (oldest evicted first). */
  ringMaxRecords: 10_000,
  /** Size of the JSON records the ring keeps, in UTF-16 units (what they take in memory; about bytes for ASCII). */
  ringMaxBytes: 16 * 1024 * 1024,
  /** One record's JSON larger than this (bytes) is replaced by a stub that says how large it was. */
  maxRecordBytes: 256 * 1024,
  /** Largest frame or HTTP body a client may send (bytes); a larger WebSocket frame closes with 1009. */
  maxPayload: 1024 * 1024,
  /** Records per `records` frame. */
  maxBatchRecords: 500,
  /** Size of the records in one `records` frame, in UTF-16 units (a single larger record still goes alone). */
  maxBatchBytes: 256 * 1024,
  /** Least time (ms) between two send rounds: records arriving faster go out together, one frame per subscriber per round. */
  sendIntervalMs: 1,
  /** Sends to a client pause while its socket holds more than this many unsent bytes. */
  highWaterMark: 1024 * 1024,
  /** Heartbeat period (ms); a client that answered no ping for one period is terminated. */
  heartbeatMs: 15_000,
  /** Time (ms) a connection without credentials at the upgrade has to send its `auth` frame. */
  authTimeoutMs: 5_000,
  /** Open WebSocket and SSE connections in all. */
  maxConnections: 10_000,
  /** Open WebSocket and SSE connections from one IP address. */
  maxConnectionsPerIp: 64,
  /** Subscriptions one connection may hold. */
  maxSubscriptionsPerConnection: 16,
  /** Frames per second one connection may send (any type; burst of the same size). */
  maxFramesPerSecond: 200,
  /** Malformed or refused frames a connection may send before it is closed with 1008. */
  maxBadFrames: 20,
  /** Ingested records per second per connection (WebSocket) or per IP address (HTTP). */
  ingestRecordsPerSecond: 1_000,
  /** Ingested bytes per second per connection (WebSocket) or per IP address (HTTP). */
  ingestBytesPerSecond: 1024 * 1024,
  /** Rate-limited ingest batches a connection may send before it is closed with 1008. */
  maxRateViolations: 20,
  /** Records in one `logs` frame or ingest request. */
  maxIngestBatchRecords: 500,
  /** Characters of an ingested record's message. */
  maxIngestMessageChars: 16 * 1024,
  /** Bytes of an ingested record's fields, as JSON. */
  maxIngestFieldsBytes: 32 * 1024,
  /** Browser clients whose `(clientId, seq)` history is kept for de-duplication (least recently seen go first). */
  dedupeClients: 10_000,
  /** Disjoint ranges of sequence numbers remembered per client (in-order traffic is one range); past it the two oldest merge. */
  dedupeRangesPerClient: 64,
  /** Characters of a `clientId`, a subscription id and a filter `text`. */
  maxIdChars: 128,
  /** Layers in one subscription filter and keys in its `fields`. */
  maxFilterTerms: 64,
  /** Largest `since: { last: N }`. */
  maxLast: 10_000,
  /** IP addresses whose HTTP ingest rate is tracked at once (least recently seen go first). */
  httpRateClients: 10_000,
  /** Backplane: entries the Redis stream keeps (`XADD … MAXLEN ~`); a node that reads slower than this skips what was trimmed, with a gap. */
  backplaneStreamMaxLen: 100_000,
  /** Backplane: records this node holds for Redis while it cannot reach it (oldest dropped past it, counted). */
  backplaneOutboxRecords: 10_000,
  /** Backplane: records per Redis call that appends them. */
  backplaneBatchRecords: 1_000,
  /** Backplane: how long `listen()` waits for the first connection to Redis (ms) before serving this node's records alone. */
  backplaneConnectMs: 3_000,
});

/** The bridge's limits; see {@link BRIDGE_LIMITS} for what each one bounds and its default. */
export type BridgeLimits = { -readonly [K in keyof typeof BRIDGE_LIMITS]: number };

/** `BRIDGE_LIMITS` with `overrides` applied; every value must be a positive number. */
export function resolveLimits(overrides: Partial<BridgeLimits> | undefined): BridgeLimits {
  const out: BridgeLimits = { ...BRIDGE_LIMITS };
  if (overrides === undefined) return out;
  for (const [k, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(BRIDGE_LIMITS, k))
      throw new TypeError(
        `limits.${k} is not a bridge limit (known: ${Object.keys(BRIDGE_LIMITS).join(', ')})`,
      );
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new TypeError(`limits.${k} must be a positive number, got ${String(v)}`);
    out[k as keyof BridgeLimits] = v;
  }
  return out;
}
