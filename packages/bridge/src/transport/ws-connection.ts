import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/authenticator.js';
import { TokenBucket } from '../auth/rate-limit.js';
import type { ResolvedRole } from '../auth/roles.js';
import { resolveSince, startOf } from '../fanout/since.js';
import { type Gap, type SubscriberTarget, Subscription } from '../fanout/subscription.js';
import { compileView } from '../fanout/view.js';
import {
  CLOSE_CODES,
  type ClientFrame,
  type ErrorCode,
  encodeFrame,
  PROTOCOL_VERSION,
  type ServerFrame,
} from '../protocol/frames.js';
import { parseClientFrame } from '../protocol/parse.js';
import type { BridgeContext } from './context.js';

/** Round-trip figures of one connection's heartbeats. */
export interface ConnectionInfo {
  ip: string;
  principal: { sub: string; role: string } | undefined;
  subscriptions: number;
  rttMs: number | undefined;
  bufferedAmount: number;
}

/**
 * One WebSocket client: authentication state, its subscriptions (cursors in the fan-out),
 * ingest with rate limits, heartbeats. Every frame it sends is validated; a bad frame gets an
 * `error` frame, too many of them (or any frame over the rates) close the connection.
 */
export class WsConnection implements SubscriberTarget {
  readonly #ctx: BridgeContext;
  readonly #ws: WebSocket;
  readonly #subs = new Map<string, Subscription>();
  readonly #frames: TokenBucket;
  readonly #ingestRecords: TokenBucket;
  readonly #ingestBytes: TokenBucket;
  readonly #onClose: (c: WsConnection) => void;
  readonly #socket: Duplex;
  #principal: Principal | undefined;
  #role: ResolvedRole | undefined;
  #authTimer: NodeJS.Timeout | undefined;
  #badFrames = 0;
  #rateViolations = 0;
  #alive = true;
  #pingSentAt = 0;
  #closed = false;
  rttMs: number | undefined;

  constructor(
    ctx: BridgeContext,
    ws: WebSocket,
    socket: Duplex,
    readonly ip: string,
    principal: Principal | undefined,
    onClose: (c: WsConnection) => void,
  ) {
    this.#ctx = ctx;
    this.#ws = ws;
    this.#onClose = onClose;
    this.#socket = socket;
    const l = ctx.limits;
    this.#frames = new TokenBucket(l.maxFramesPerSecond);
    this.#ingestRecords = new TokenBucket(l.ingestRecordsPerSecond);
    this.#ingestBytes = new TokenBucket(l.ingestBytesPerSecond);
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on('pong', () => this.#pong());
    ws.on('close', () => this.#cleanup());
    // Protocol errors (an oversized frame: 1009, invalid UTF-8: 1007) close the socket; nothing to add.
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') ctx.limited('max_payload');
    });
    // The fan-out resumes this client as soon as its socket has room again.
    socket.on('drain', () => ctx.fanout.schedule());
    if (principal !== undefined) this.#authenticated(principal);
    else
      this.#authTimer = setTimeout(() => {
        ctx.limited('auth_timeout');
        this.close(CLOSE_CODES.unauthorized, 'no auth frame in time');
      }, l.authTimeoutMs).unref();
  }

  get info(): ConnectionInfo {
    return {
      ip: this.ip,
      principal:
        this.#principal === undefined ? undefined : { sub: this.#principal.sub, role: this.#principal.role },
      subscriptions: this.#subs.size,
      rttMs: this.rttMs,
      bufferedAmount: this.#ws.bufferedAmount,
    };
  }

  writable(): boolean {
    return (
      !this.#closed && this.#ws.readyState === 1 && this.#ws.bufferedAmount < this.#ctx.limits.highWaterMark
    );
  }

  sendRecords(sub: Subscription, body: Buffer): void {
    if (this.#closed || this.#ws.readyState !== 1) return;
    // One text frame whose payload is this subscription's prefix, then the batch's shared bytes
    // (never copied per subscriber), in one write to the socket. Written past `ws`'s sender, as it
    // would write it: a server frame is not masked, and without compression the sender writes
    // every message at once, so the order of frames is kept.
    const socket = this.#socket;
    socket.cork();
    socket.write(textFrameHeader(sub.prefix.length + body.length));
    socket.write(sub.prefix);
    socket.write(body);
    socket.uncork();
  }

  sendGap(sub: Subscription, gap: Gap): void {
    this.send({ type: 'gap', sub: sub.id, ...gap });
  }

  /** An event frame serialized once by the event hub. */
  sendText(text: string): void {
    if (!this.#closed && this.#ws.readyState === 1) this.#ws.send(text);
  }

  send(frame: ServerFrame): void {
    if (!this.#closed && this.#ws.readyState === 1) this.#ws.send(encodeFrame(frame));
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#ws.close(code, reason);
    this.#cleanup();
    // A peer that does not answer the close handshake is cut off.
    setTimeout(() => this.#ws.terminate(), 2_000).unref();
  }

  /** Called once per heartbeat period by the bridge. */
  heartbeat(now: number): void {
    if (this.#closed) return;
    if (!this.#alive) {
      this.#ctx.limited('heartbeat_missed');
      this.#ws.terminate();
      this.#cleanup();
      return;
    }
    const exp = this.#principal?.exp;
    if (typeof exp === 'number' && exp * 1000 <= now) {
      this.close(CLOSE_CODES.unauthorized, 'token expired');
      return;
    }
    this.#alive = false;
    this.#pingSentAt = performance.now();
    // A protocol ping (every WebSocket stack answers it) and a ping frame (clients measure it too).
    this.#ws.ping();
    if (this.#principal !== undefined) this.send({ type: 'ping', t: now });
  }

  #pong(): void {
    this.#alive = true;
    if (this.#pingSentAt !== 0) this.rttMs = performance.now() - this.#pingSentAt;
  }

  #authenticated(principal: Principal): void {
    const role = this.#ctx.role(principal);
    if (role === undefined) {
      this.#ctx.limited('unknown_role');
      this.close(CLOSE_CODES.forbidden, `role ${JSON.stringify(principal.role)} does not exist`);
      return;
    }
    if (this.#authTimer !== undefined) clearTimeout(this.#authTimer);
    this.#authTimer = undefined;
    this.#principal = principal;
    this.#role = role;
    // A token's expiry closes the session on time (the heartbeat checks it too, for the longest ones).
    const left =
      typeof principal.exp === 'number' ? principal.exp * 1000 - Date.now() : Number.POSITIVE_INFINITY;
    if (left < 2 ** 31 - 1)
      this.#authTimer = setTimeout(
        () => this.close(CLOSE_CODES.unauthorized, 'token expired'),
        Math.max(0, left),
      ).unref();
    const { serverId, store, helloLimits } = this.#ctx;
    this.send({
      type: 'hello',
      v: PROTOCOL_VERSION,
      serverId,
      epoch: store.epoch,
      limits: helloLimits,
      principal: { sub: principal.sub, role: principal.role },
    });
  }

  #error(code: ErrorCode, message: string, extra: { sub?: string; seq?: number } = {}): void {
    this.send({ type: 'error', code, message, ...extra });
  }

  #bad(code: ErrorCode, message: string, sub?: string): void {
    this.#ctx.limited(`frame_${code}`);
    this.#error(code, message, sub === undefined ? {} : { sub });
    if (++this.#badFrames > this.#ctx.limits.maxBadFrames)
      this.close(CLOSE_CODES.policy, 'too many bad frames');
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#closed) return;
    this.#alive = true;
    if (!this.#frames.take()) {
      this.#ctx.limited('frame_rate');
      this.close(CLOSE_CODES.policy, 'too many frames per second');
      return;
    }
    if (isBinary) {
      this.#bad('binary_not_supported', 'frames are JSON text');
      return;
    }
    const text = data.toString('utf8');
    const parsed = parseClientFrame(text, this.#ctx.limits);
    if (!parsed.ok) {
      this.#bad(parsed.code, parsed.message, parsed.sub);
      return;
    }
    const frame = parsed.frame;
    if (this.#principal === undefined) {
      if (frame.type !== 'auth') {
        this.#ctx.limited('not_authenticated');
        this.close(CLOSE_CODES.unauthorized, 'send an auth frame first');
        return;
      }
      const outcome = this.#ctx.auth.token(frame.token);
      if (outcome.kind !== 'ok') {
        this.#ctx.limited('bad_token');
        this.close(CLOSE_CODES.unauthorized, outcome.kind === 'refused' ? outcome.reason : 'unauthorized');
        return;
      }
      this.#authenticated(outcome.principal);
      return;
    }
    this.#handle(frame, text.length);
  }

  #handle(frame: ClientFrame, size: number): void {
    const role = this.#role as ResolvedRole;
    switch (frame.type) {
      case 'auth':
        this.#bad('already_authenticated', 'this connection is already authenticated');
        return;
      case 'pong':
        this.#pong();
        return;
      case 'watch':
      case 'unwatch':
        if (!role.subscribe) {
          this.#ctx.limited('forbidden_subscribe');
          this.close(CLOSE_CODES.forbidden, `role ${role.name} may not watch events`);
          return;
        }
        for (const t of frame.topics)
          if (frame.type === 'watch') this.#ctx.events.watch(this, t);
          else this.#ctx.events.unwatch(this, t);
        return;
      case 'unsubscribe': {
        const sub = this.#subs.get(frame.sub);
        if (sub === undefined) {
          this.#bad('unknown_subscription', `no subscription ${JSON.stringify(frame.sub)}`, frame.sub);
          return;
        }
        this.#subs.delete(frame.sub);
        this.#ctx.fanout.remove(sub);
        return;
      }
      case 'subscribe': {
        if (!role.subscribe) {
          this.#ctx.limited('forbidden_subscribe');
          this.close(CLOSE_CODES.forbidden, `role ${role.name} may not subscribe`);
          return;
        }
        const old = this.#subs.get(frame.sub);
        if (old === undefined && this.#subs.size >= this.#ctx.limits.maxSubscriptionsPerConnection) {
          this.#ctx.limited('subscriptions');
          this.#error(
            'too_many_subscriptions',
            `at most ${this.#ctx.limits.maxSubscriptionsPerConnection} subscriptions per connection`,
            { sub: frame.sub },
          );
          return;
        }
        if (old !== undefined) this.#ctx.fanout.remove(old);
        const view = compileView(frame.filter, role);
        const resolved = resolveSince(frame.since, this.#ctx.store, view);
        const { cursor, gap } = resolved;
        const sub = new Subscription(frame.sub, this, view, cursor);
        this.#subs.set(frame.sub, sub);
        // Where the subscription stands, before any gap or record: a client that loses the
        // connection before its first record resumes from here (nothing logged meanwhile is lost).
        this.send({
          type: 'subscribed',
          sub: frame.sub,
          epoch: this.#ctx.store.epoch,
          from: startOf(resolved),
        });
        this.#ctx.fanout.add(sub, gap);
        return;
      }
      case 'logs': {
        if (!role.ingest) {
          this.#ctx.limited('forbidden_ingest');
          this.close(CLOSE_CODES.forbidden, `role ${role.name} may not send logs`);
          return;
        }
        const n = frame.records.length;
        if (!this.#ingestRecords.take(n) || !this.#ingestBytes.take(size)) {
          this.#ctx.limited('ingest_rate');
          this.#error(
            'rate_limited',
            `over ${this.#ctx.limits.ingestRecordsPerSecond} records or ${this.#ctx.limits.ingestBytesPerSecond} bytes per second; not logged, send again later`,
            { seq: frame.seq },
          );
          if (++this.#rateViolations > this.#ctx.limits.maxRateViolations)
            this.close(CLOSE_CODES.policy, 'ingest over the rate limit');
          return;
        }
        const r = this.#ctx.ingestor.accept(
          frame.clientId,
          frame.seq,
          frame.records,
          this.#principal as Principal,
        );
        this.send({ type: 'ack', ...r });
        return;
      }
    }
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#authTimer !== undefined) clearTimeout(this.#authTimer);
    for (const sub of this.#subs.values()) this.#ctx.fanout.remove(sub);
    this.#subs.clear();
    this.#ctx.events.unwatch(this);
    this.#onClose(this);
  }
}

/** The header of an unmasked, final WebSocket text frame (RFC 6455 §5.2) of `length` bytes. */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) return Buffer.from([0x81, 126, length >> 8, length & 255]);
  const h = Buffer.alloc(10);
  h[0] = 0x81;
  h[1] = 127;
  h.writeUIntBE(length, 4, 6);
  return h;
}
