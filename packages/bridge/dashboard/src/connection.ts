import type { GapReason, ServerFrame, Since, SubscriptionFilter } from '../../src/protocol/frames.js';

/** The connection as the page shows it. */
export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live' }
  | { kind: 'paused'; connected: boolean }
  | { kind: 'reconnecting'; attempt: number; at: number; reason: string }
  | { kind: 'auth'; reason: string };

export type HelloFrame = Extract<ServerFrame, { type: 'hello' }>;
export type GapFrame = Extract<ServerFrame, { type: 'gap' }>;

export interface ClientEvents {
  state(s: ConnectionState): void;
  hello(h: HelloFrame): void;
  /** Records of the current subscription, with the epoch their offsets belong to. */
  records(records: Record<string, unknown>[], epoch: string): void;
  gap(g: GapFrame & { reason: GapReason }, epoch: string): void;
  /** An `error` frame, or a close the page should mention. */
  problem(message: string): void;
  /** An `event` frame of a watched topic. */
  event?(topic: string, data: unknown): void;
}

/** Records asked for when a subscription starts without a cursor (`since: { last: N }`). */
export const BACKFILL = 1000;
/** Reconnect delays: 0.5 s doubling to 10 s, ±20 % jitter. */
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** Without any hello this long after the socket opened, the bridge is waiting for a token. */
const AUTH_WAIT_MS = 1500;

/**
 * The page's WebSocket to the bridge: one subscription, its cursor (`epoch` and offset of the last
 * record or gap it was told about), reconnects with backoff that resume from the cursor
 * (`since: { epoch, offset }`), pause (unsubscribe; the cursor stays put), and tokens (sent in an
 * `auth` frame, which the bridge accepts when it is set up with `tokenSecret`).
 */
export class BridgeClient {
  readonly #url: string;
  readonly #on: ClientEvents;
  #ws: WebSocket | undefined;
  #token: string | undefined;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #authWait: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #lastMessage = 0;
  #heartbeatMs = 15_000;
  /** Epoch of the connected bridge (its hello). */
  #epoch: string | undefined;
  #cursor: { epoch: string; offset: number } | undefined;
  #sub: string | undefined;
  #subN = 0;
  #filter: SubscriptionFilter = {};
  #paused = false;
  #stopped = false;
  #topics: string[] = [];

  constructor(url: string, events: ClientEvents, token?: string) {
    this.#url = url;
    this.#on = events;
    this.#token = token;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get cursor(): { epoch: string; offset: number } | undefined {
    return this.#cursor;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimers();
    this.#ws?.close(1000, 'page closed');
    this.#ws = undefined;
  }

  /** A new token (from the prompt): reconnects with it. */
  setToken(token: string): void {
    this.#token = token;
    this.#attempt = 0;
    this.#reconnectNow();
  }

  /**
   * A new filter. `fresh`: start over (the cursor is forgotten; the new subscription backfills
   * the last records that match). Otherwise the next subscription continues from the cursor.
   */
  setFilter(filter: SubscriptionFilter, fresh: boolean): void {
    this.#filter = filter;
    if (fresh) this.#cursor = undefined;
    if (!this.#paused && this.#epoch !== undefined) this.#subscribe();
  }

  /** Event topics to watch (sent after every hello, so they survive reconnects). */
  watch(topics: string[]): void {
    this.#topics = topics;
    if (this.#epoch !== undefined) this.#send({ type: 'watch', topics });
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    if (this.#sub !== undefined) this.#send({ type: 'unsubscribe', sub: this.#sub });
    this.#sub = undefined;
    this.#emitState();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (this.#epoch !== undefined) this.#subscribe();
    this.#emitState();
  }

  #connect(): void {
    this.#clearTimers();
    this.#epoch = undefined;
    this.#sub = undefined;
    this.#on.state({ kind: 'connecting', attempt: this.#attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url, ['hydra.v1']);
    } catch (err) {
      this.#scheduleReconnect(`cannot connect: ${(err as Error).message}`);
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      if (ws !== this.#ws) return;
      this.#lastMessage = Date.now();
      // With a token, say who we are at once; a bridge without tokens has already said hello and
      // answers `already_authenticated`, which is ignored.
      if (this.#token !== undefined) this.#send({ type: 'auth', token: this.#token });
      this.#authWait = setTimeout(() => {
        if (ws === this.#ws && this.#epoch === undefined)
          this.#on.state({
            kind: 'auth',
            reason: this.#token === undefined ? 'This bridge needs a token.' : 'Waiting for the bridge…',
          });
      }, AUTH_WAIT_MS);
    };
    ws.onmessage = (ev) => {
      if (ws !== this.#ws) return;
      this.#lastMessage = Date.now();
      let frame: unknown;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      this.#onFrame(frame as ServerFrame | RecordsFrame);
    };
    ws.onclose = (ev) => {
      if (ws !== this.#ws) return;
      this.#ws = undefined;
      this.#epoch = undefined;
      this.#sub = undefined;
      this.#clearTimers();
      if (this.#stopped) return;
      if (ev.code === 4401) {
        this.#token = undefined;
        this.#on.state({ kind: 'auth', reason: ev.reason === '' ? 'A valid token is needed.' : ev.reason });
        return;
      }
      const why =
        ev.code === 4403
          ? `forbidden: ${ev.reason}`
          : ev.reason !== ''
            ? `${ev.reason} (${ev.code})`
            : ev.code === 1006
              ? 'connection lost'
              : `closed (${ev.code})`;
      this.#scheduleReconnect(why);
    };
  }

  #onFrame(f: ServerFrame | RecordsFrame): void {
    switch (f.type) {
      case 'hello': {
        if (this.#authWait !== undefined) clearTimeout(this.#authWait);
        this.#epoch = f.epoch;
        this.#attempt = 0;
        this.#heartbeatMs = f.limits?.heartbeatMs ?? this.#heartbeatMs;
        this.#startWatchdog();
        this.#on.hello(f);
        if (this.#topics.length > 0) this.#send({ type: 'watch', topics: this.#topics });
        if (!this.#paused) this.#subscribe();
        this.#emitState();
        return;
      }
      case 'subscribed': {
        // Where the subscription starts: a reconnect before its first frame resumes from here.
        if (f.sub === this.#sub) this.#cursor = { epoch: f.epoch, offset: f.from - 1 };
        return;
      }
      case 'records': {
        if (f.sub !== this.#sub || this.#epoch === undefined) return;
        this.#cursor = { epoch: this.#epoch, offset: f.to };
        this.#on.records(f.records, this.#epoch);
        return;
      }
      case 'gap': {
        if (f.sub !== this.#sub || this.#epoch === undefined) return;
        this.#cursor = { epoch: this.#epoch, offset: f.to };
        this.#on.gap(f, this.#epoch);
        return;
      }
      case 'ping':
        this.#send({ type: 'pong', t: f.t });
        return;
      case 'event':
        this.#on.event?.(f.topic, f.data);
        return;
      case 'error':
        if (f.code === 'already_authenticated') return;
        this.#on.problem(`${f.code}: ${f.message}`);
        return;
      default:
        return;
    }
  }

  #subscribe(): void {
    if (this.#sub !== undefined) this.#send({ type: 'unsubscribe', sub: this.#sub });
    const sub = `s${++this.#subN}`;
    this.#sub = sub;
    const since: Since =
      this.#cursor === undefined
        ? { last: BACKFILL }
        : { epoch: this.#cursor.epoch, offset: this.#cursor.offset };
    this.#send({ type: 'subscribe', sub, filter: this.#filter, since });
  }

  #send(frame: unknown): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(frame));
  }

  #emitState(): void {
    if (this.#paused) this.#on.state({ kind: 'paused', connected: this.#epoch !== undefined });
    else if (this.#epoch !== undefined) this.#on.state({ kind: 'live' });
  }

  #scheduleReconnect(reason: string): void {
    this.#clearTimers();
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.#attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#attempt++;
    this.#on.state({ kind: 'reconnecting', attempt: this.#attempt, at: Date.now() + delay, reason });
    this.#retry = setTimeout(() => this.#connect(), delay);
  }

  #reconnectNow(): void {
    const old = this.#ws;
    this.#ws = undefined;
    old?.close(1000, 'reconnecting');
    this.#connect();
  }

  /** A bridge that went silent for three heartbeats is gone (a half-open TCP connection). */
  #startWatchdog(): void {
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    this.#watchdog = setInterval(
      () => {
        if (Date.now() - this.#lastMessage > this.#heartbeatMs * 3) {
          const ws = this.#ws;
          this.#ws = undefined;
          ws?.close(4000, 'no heartbeat');
          this.#epoch = undefined;
          this.#sub = undefined;
          this.#scheduleReconnect('no heartbeat from the bridge');
        }
      },
      Math.max(1000, this.#heartbeatMs / 2),
    );
  }

  #clearTimers(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    if (this.#authWait !== undefined) clearTimeout(this.#authWait);
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    this.#retry = this.#authWait = this.#watchdog = undefined;
  }
}

/** The `records` frame (written by the bridge's fan-out, not part of `ServerFrame`). */
interface RecordsFrame {
  type: 'records';
  sub: string;
  from: number;
  to: number;
  records: Record<string, unknown>[];
}
