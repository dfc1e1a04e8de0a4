import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createJsonFormatter, DataSanitizer, type Fields, type LogRecord, levelName } from 'hydra-logger';
import { WebSocketServer } from 'ws';
import { Authenticator, type Principal } from './auth/authenticator.js';
import { normalizeOrigins, originAllowed } from './auth/origins.js';
import { type ResolvedRole, resolveRoles } from './auth/roles.js';
import { checkSecret } from './auth/tokens.js';
import { type BackplaneStats, checkBackplaneOptions, RedisStore } from './backplane/redis-store.js';
import { EventHub } from './events/hub.js';
import { Fanout, type FanoutStats } from './fanout/fanout.js';
import { DedupeTable } from './ingest/dedupe.js';
import { Ingestor, type IngestSink, type IngestStats } from './ingest/ingestor.js';
import { INGEST_LAYER_PATTERN } from './ingest/validate.js';
import { PUBLISH_LINE, SET_INGEST_SINK } from './internal.js';
import { type BridgeLimits, resolveLimits } from './limits.js';
import type { BridgeOptions } from './options.js';
import { CLOSE_CODES, SUBPROTOCOL } from './protocol/frames.js';
import { MemoryRing } from './ring/memory-ring.js';
import { PersistedRing } from './ring/persisted-ring.js';
import type { RecordStore } from './ring/store.js';
import type { BridgeContext } from './transport/context.js';
import { refuseUpgrade, replyError, replyJson } from './transport/http-reply.js';
import { HttpRates, serveIngest } from './transport/ingest-http.js';
import { SseStream } from './transport/sse.js';
import { serveStatic } from './transport/static-files.js';
import { type ConnectionInfo, WsConnection } from './transport/ws-connection.js';

/** The older client URL path, accepted as an alias of `<path>/ws`. */
export const LEGACY_WS_PATH = '/logs';

/** What `bridge.stats()` reports. */
export interface BridgeStats {
  serverId: string;
  epoch: string;
  ring: { first: number; next: number; records: number; bytes: number };
  connections: { websocket: number; sse: number };
  subscriptions: number;
  fanout: FanoutStats;
  ingest: IngestStats & { dedupeClients: number; dedupeMerged: number; dedupeForgotten: number };
  /** Refusals and limits that tripped, by reason. */
  limited: Record<string, number>;
  /** With `backplane`: the Redis stream's state and counters. */
  backplane?: BackplaneStats;
}

interface Attachment {
  server: Server;
  own: boolean;
  onRequest: (req: IncomingMessage, res: ServerResponse) => void;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  previous: Function[];
}

const DEFAULT_DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dashboard');

/**
 * The bridge: a stream of records (a ring of JSON records with offsets), served to WebSocket and
 * SSE subscribers, and browser logs taken in. Feed it with `publish(record)` (the
 * {@link WebSocketBridgePlugin} does, for every record of its logger), serve it with `listen()`
 * or `attach(server)`, stop it with `close()`.
 *
 * Events: `error` (a listen failure of the plugin's automatic start, a persistence failure), `watch`
 * (a client started watching an event topic; the listener gets the topic).
 */
export class Bridge extends EventEmitter {
  readonly serverId: string;
  /** Base path (default `/hydra`). */
  readonly path: string;
  readonly limits: Readonly<BridgeLimits>;
  readonly #store: RecordStore;
  readonly #fanout: Fanout;
  readonly #events = new EventHub((topic) => this.emit('watch', topic));
  readonly #auth: Authenticator;
  readonly #ingestor: Ingestor;
  readonly #dedupe: DedupeTable;
  readonly #roles: Map<string, ResolvedRole>;
  readonly #origins: string[] | undefined;
  readonly #ctx: BridgeContext;
  readonly #wss: WebSocketServer;
  readonly #conns = new Set<WsConnection>();
  readonly #sse = new Set<SseStream>();
  readonly #perIp = new Map<string, number>();
  readonly #limited: Record<string, number> = {};
  readonly #json = createJsonFormatter();
  readonly #rates: HttpRates;
  readonly #attached: Attachment[] = [];
  readonly #dashboardDir: string | undefined;
  #open = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #sink: IngestSink | undefined;
  #sanitizer: DataSanitizer | undefined;
  #backplane: RedisStore | undefined;

  constructor(options: BridgeOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new TypeError('bridge options must be an object');
    if (options.backplane !== undefined && options.persist !== undefined)
      throw new TypeError(
        'backplane and persist cannot be used together: with a backplane the stream is kept in Redis',
      );
    this.limits = Object.freeze(resolveLimits(options.limits));
    this.path = normalizePath(options.path ?? '/hydra');
    this.serverId = options.serverId ?? randomBytes(6).toString('base64url');
    this.#roles = resolveRoles(options.roles);
    this.#origins = normalizeOrigins(options.origins);
    const anonymousRole = options.anonymousRole ?? 'admin';
    if (!this.#roles.has(anonymousRole))
      throw new TypeError(`anonymousRole: no role named ${JSON.stringify(anonymousRole)}`);
    this.#auth = new Authenticator({
      authenticate: options.authenticate,
      tokenSecret: options.tokenSecret,
      anonymousRole,
      allowRemoteAnonymous: options.allowRemoteAnonymous === true,
    });
    if (options.tokenSecret !== undefined) checkSecret(options.tokenSecret);
    const defaultLayer = options.ingest?.defaultLayer ?? 'BROWSER';
    if (!INGEST_LAYER_PATTERN.test(defaultLayer))
      throw new TypeError(`ingest.defaultLayer: ${JSON.stringify(defaultLayer)} is not a layer name`);
    const l = this.limits;
    if (options.backplane !== undefined)
      this.#backplane = new RedisStore(checkBackplaneOptions(options.backplane), l, {
        onSwitch: () => this.#epochChanging(),
        onRecords: () => this.#fanout?.schedule(),
        onError: (err) => this.#report(err),
      });
    this.#store =
      this.#backplane ??
      (options.persist === undefined
        ? new MemoryRing({ maxRecords: l.ringMaxRecords, maxBytes: l.ringMaxBytes })
        : new PersistedRing({
            dir: resolve(options.persist.dir),
            maxRecords: l.ringMaxRecords,
            maxBytes: l.ringMaxBytes,
            onError: (err) => this.#report(err),
          }));
    this.#fanout = new Fanout(this.#store, l);
    this.#dedupe = new DedupeTable(
      l.dedupeClients,
      l.dedupeRangesPerClient,
      options.persist === undefined ? undefined : resolve(options.persist.dir, 'dedupe.log'),
    );
    this.#ingestor = new Ingestor(
      l,
      this.#dedupe,
      {
        defaultLayer,
        layers: options.ingest?.layers === undefined ? undefined : new Set(options.ingest.layers),
      },
      () => this.#sink ?? this.#standaloneSink,
    );
    this.#dashboardDir =
      options.dashboard === false ? undefined : resolve(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: l.maxPayload,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.#ctx = {
      serverId: this.serverId,
      limits: l,
      helloLimits: {
        maxPayload: l.maxPayload,
        maxSubscriptions: l.maxSubscriptionsPerConnection,
        maxBatchRecords: l.maxBatchRecords,
        maxIngestBatchRecords: l.maxIngestBatchRecords,
        ingestRecordsPerSecond: l.ingestRecordsPerSecond,
        ingestBytesPerSecond: l.ingestBytesPerSecond,
        heartbeatMs: l.heartbeatMs,
      },
      store: this.#store,
      fanout: this.#fanout,
      auth: this.#auth,
      ingestor: this.#ingestor,
      events: this.#events,
      origins: this.#origins,
      role: (p: Principal) => this.#roles.get(p.role),
      limited: (reason: string) => {
        this.#limited[reason] = (this.#limited[reason] ?? 0) + 1;
      },
      openSlot: (ip: string) => this.#openSlot(ip),
      closeSlot: (ip: string) => this.#closeSlot(ip),
    };
    this.#rates = new HttpRates(this.#ctx);
  }

  /** The stream's epoch: changes when history is lost (a restart without `persist`). */
  get epoch(): string {
    return this.#store.epoch;
  }

  /** The address of the server `listen()` started, if any. */
  get address(): AddressInfo | undefined {
    const a = this.#attached.find((x) => x.own)?.server.address();
    return typeof a === 'object' && a !== null ? a : undefined;
  }

  /**
   * Appends a record (as a logger's plugin sees it: after redaction) to the stream, written as the
   * json format writes it, and wakes the subscribers.
   */
  publish(record: LogRecord): void {
    if (this.#closing !== undefined) return;
    this.#publish(record, this.#json.format(record));
  }

  /** @internal a logger's tap: the record with the line its json format already wrote. */
  [PUBLISH_LINE](record: LogRecord, line: string): void {
    if (this.#closing !== undefined) return;
    this.#publish(record, line);
  }

  #publish(record: LogRecord, line: string): void {
    if (line.length > this.limits.maxRecordBytes / 3 && Buffer.byteLength(line) > this.limits.maxRecordBytes)
      line = this.#json.format({
        ...record,
        message: record.message.slice(0, 1024),
        fields: { truncated: true, recordBytes: Buffer.byteLength(line) },
        caller: undefined,
      });
    // The json format writes the record's fields as its top-level keys after the core's own, none
    // of which is `offset`: without an `offset` field, the line has no such key.
    const f = record.fields;
    this.#store.append(record.layer, record.level, line, f === undefined || !Object.hasOwn(f, 'offset'));
    this.#fanout.schedule();
  }

  /**
   * Sends `data` (anything JSON can write) as an `event {topic, seq, data}` frame, serialized once,
   * to every WebSocket client watching `topic` (`watch {topics}`); live only, nothing is kept. A new
   * watcher is announced by the bridge's `watch` event (topic), so a publisher can send it the
   * current state. Returns the number of clients it went to.
   */
  publishEvent(topic: string, data: unknown): number {
    if (this.#closing !== undefined) return 0;
    return this.#events.publish(topic, data);
  }

  /** WebSocket clients watching `topic`. */
  watchers(topic: string): number {
    return this.#events.watchers(topic);
  }

  /**
   * Starts an HTTP server for the bridge (default `127.0.0.1`, port 0: any free port).
   * @returns its address (`port` is the one chosen).
   */
  async listen(options: { port?: number; host?: string } = {}): Promise<AddressInfo> {
    if (this.#closing !== undefined) throw new Error('the bridge is closed');
    await this.#backplane?.ready;
    const server = createServer();
    this.#attach(server, true);
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    }).catch((err: unknown) => {
      this.#detach(this.#attached.find((a) => a.server === server) as Attachment);
      throw err;
    });
    return server.address() as AddressInfo;
  }

  /**
   * Serves the bridge on an existing HTTP server (plain `http.Server`, or the one under express,
   * fastify, koa …): its routes under `path` and the WebSocket upgrade; every other request and
   * upgrade is left to the server's own handlers.
   */
  attach(server: Server): this {
    if (this.#closing !== undefined) throw new Error('the bridge is closed');
    if (this.#attached.some((a) => a.server === server)) return this;
    this.#attach(server, false);
    return this;
  }

  /** Connected WebSocket clients, with their heartbeat round-trip time. */
  clients(): ConnectionInfo[] {
    return [...this.#conns].map((c) => c.info);
  }

  stats(): BridgeStats {
    const s = this.#store;
    return {
      serverId: this.serverId,
      epoch: s.epoch,
      ring: { first: s.first, next: s.next, records: s.size, bytes: s.bytes },
      connections: { websocket: this.#conns.size, sse: this.#sse.size },
      subscriptions: this.#fanout.size,
      fanout: structuredClone(this.#fanout.stats),
      ingest: {
        ...this.#ingestor.stats,
        dedupeClients: this.#dedupe.clients,
        dedupeMerged: this.#dedupe.merged,
        dedupeForgotten: this.#dedupe.forgotten,
      },
      limited: { ...this.#limited },
      ...(this.#backplane !== undefined && { backplane: this.#backplane.snapshot() }),
    };
  }

  /**
   * Stops serving: WebSocket clients get a 1001 close, SSE streams end, the bridge's own servers
   * close and attached ones get their handlers back, the ring is written out (`persist`).
   * Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** @internal the plugin points ingest at its logger. */
  [SET_INGEST_SINK](sink: IngestSink | undefined): void {
    this.#sink = sink;
  }

  async #close(): Promise<void> {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#fanout.pump();
    for (const c of [...this.#conns]) c.close(1001, 'bridge closing');
    for (const s of [...this.#sse]) s.end();
    const own: Promise<void>[] = [];
    for (const a of [...this.#attached]) {
      this.#detach(a);
      if (a.own)
        own.push(
          new Promise<void>((ok) => {
            a.server.close(() => ok());
            a.server.closeAllConnections();
          }),
        );
    }
    await Promise.all(own);
    this.#fanout.close();
    await this.#store.close();
  }

  /** The stream's epoch is about to change (backplane): every client resumes with its cursor. */
  #epochChanging(): void {
    for (const c of [...this.#conns]) c.close(CLOSE_CODES.serviceRestart, 'the stream changed epoch; resume');
    for (const s of [...this.#sse]) s.end();
  }

  /** Ingest without a logger: redacted with the core's default rules, then published. */
  readonly #standaloneSink: IngestSink = (level, layer, message, fields) => {
    this.#sanitizer ??= new DataSanitizer();
    const clean = this.#sanitizer.sanitize(fields);
    this.publish({
      time: Date.now(),
      level,
      levelName: levelName(level),
      layer,
      message: this.#sanitizer.sanitizeString(message),
      fields: typeof clean === 'object' && clean !== null ? (clean as Fields) : { value: clean },
      bindings: undefined,
      context: undefined,
      error: undefined,
      caller: undefined,
    });
  };

  #report(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else process.emitWarning(`@hydra-logger/bridge: ${err.message}`);
  }

  #attach(server: Server, own: boolean): void {
    const previous = server.listeners('request').slice();
    server.removeAllListeners('request');
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      if (this.#route(req, res)) return;
      if (previous.length === 0) return replyError(res, 404, 'bad_request', 'not found');
      for (const l of previous) l.call(server, req, res);
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.#upgrade(req, socket, head, own || server.listenerCount('upgrade') === 1);
    };
    server.on('request', onRequest);
    server.on('upgrade', onUpgrade);
    this.#attached.push({ server, own, onRequest, onUpgrade, previous });
    this.#heartbeat ??= setInterval(() => this.#beat(), this.limits.heartbeatMs).unref();
  }

  #detach(a: Attachment): void {
    const i = this.#attached.indexOf(a);
    if (i < 0) return;
    this.#attached.splice(i, 1);
    a.server.off('request', a.onRequest);
    a.server.off('upgrade', a.onUpgrade);
    if (!a.own) for (const l of a.previous) a.server.on('request', l as (...args: unknown[]) => void);
  }

  #beat(): void {
    const now = Date.now();
    for (const c of [...this.#conns]) c.heartbeat(now);
    for (const s of this.#sse) s.heartbeat(now);
    this.#fanout.schedule();
  }

  /** Handles the bridge's HTTP routes; false for any other request. */
  #route(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    const base = this.path;
    if (p !== base && !p.startsWith(`${base}/`)) return false;
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (this.#closing !== undefined) {
      replyError(res, 503, 'rate_limited', 'the bridge is closing');
      return true;
    }
    const fail = (err: unknown) => {
      if (!res.headersSent) replyError(res, 400, 'bad_request', (err as Error)?.message ?? 'bad request');
      else res.destroy();
    };
    if (p === `${base}/stream` && req.method === 'GET') {
      SseStream.serve(this.#ctx, req, res, ip, (s) => {
        this.#sse.add(s);
        return () => this.#sse.delete(s);
      }).catch(fail);
      return true;
    }
    if (p === `${base}/ingest`) {
      serveIngest(this.#ctx, this.#rates, req, res, ip).catch(fail);
      return true;
    }
    if (p === `${base}/health` && req.method === 'GET') {
      const s = this.#store;
      replyJson(res, 200, {
        ok: true,
        serverId: this.serverId,
        epoch: s.epoch,
        first: s.first,
        next: s.next,
      });
      return true;
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || this.#dashboardDir === undefined) {
      replyError(res, 404, 'bad_request', 'not found');
      return true;
    }
    if (p === base) {
      res.writeHead(301, { location: `${base}/` }).end();
      return true;
    }
    serveStatic(this.#dashboardDir, p.slice(base.length + 1), res);
    return true;
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, answerOthers: boolean): Promise<void> {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p !== `${this.path}/ws` && p !== LEGACY_WS_PATH) {
      if (answerOthers) refuseUpgrade(socket, 404, 'not found');
      return;
    }
    socket.on('error', () => socket.destroy());
    if (this.#closing !== undefined) return refuseUpgrade(socket, 503, 'the bridge is closing');
    if (!originAllowed(req.headers.origin, req.headers.host, this.#origins)) {
      this.#ctx.limited('origin');
      return refuseUpgrade(socket, 403, 'origin not allowed');
    }
    const outcome = await this.#auth.request(req, this.#auth.acceptsAuthFrame, false);
    if (outcome.kind === 'refused') {
      this.#ctx.limited('unauthorized');
      return refuseUpgrade(socket, 401, outcome.reason);
    }
    const principal = outcome.kind === 'ok' ? outcome.principal : undefined;
    if (principal !== undefined && !this.#roles.has(principal.role)) {
      this.#ctx.limited('unknown_role');
      return refuseUpgrade(socket, 403, `role ${JSON.stringify(principal.role)} does not exist`);
    }
    if (this.#closing !== undefined || socket.destroyed) return void socket.destroy();
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const ip = req.socket.remoteAddress ?? 'unknown';
      if (this.#closing !== undefined || !this.#openSlot(ip)) {
        this.#ctx.limited('connections');
        ws.close(1013, 'too many connections');
        setTimeout(() => ws.terminate(), 2_000).unref();
        return;
      }
      const conn = new WsConnection(this.#ctx, ws, socket, ip, principal, (c) => {
        if (this.#conns.delete(c)) this.#closeSlot(ip);
      });
      this.#conns.add(conn);
    });
  }

  #openSlot(ip: string): boolean {
    const n = this.#perIp.get(ip) ?? 0;
    if (this.#open >= this.limits.maxConnections || n >= this.limits.maxConnectionsPerIp) return false;
    this.#perIp.set(ip, n + 1);
    this.#open++;
    return true;
  }

  #closeSlot(ip: string): void {
    const n = this.#perIp.get(ip) ?? 0;
    if (n <= 1) this.#perIp.delete(ip);
    else this.#perIp.set(ip, n - 1);
    this.#open--;
  }
}

function normalizePath(p: string): string {
  if (typeof p !== 'string' || !/^\/[A-Za-z0-9._~/-]*$/.test(p))
    throw new TypeError(`path must start with "/" and hold URL path characters, got ${JSON.stringify(p)}`);
  const out = p.replace(/\/+$/, '');
  if (out === '')
    throw new TypeError('path cannot be "/": the bridge needs a prefix of its own (default /hydra)');
  return out;
}

/** A bridge without a logger: feed it with `publish(record)`. */
export function createBridge(options: BridgeOptions = {}): Bridge {
  return new Bridge(options);
}
