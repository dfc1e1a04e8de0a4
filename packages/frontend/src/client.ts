import { DataSanitizer } from 'hydra-logger/redact';
import { Delivery } from './delivery.js';
import { IndexedDbOutbox } from './outbox/indexeddb.js';
import { MemoryOutbox } from './outbox/outbox.js';
import {
  type ClientOptions,
  type ClientStats,
  type Entry,
  LEVELS,
  type LevelName,
  type WireRecord,
} from './types.js';

type Fields = Record<string, unknown>;
type Console4 = 'debug' | 'info' | 'log' | 'warn' | 'error';

const hex = (bytes: number): string => {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  let s = '';
  for (const b of a) s += (b + 256).toString(16).slice(1);
  return s;
};

/** `v` is a number in (0, max). */
const within = (v: unknown, max: number): boolean => typeof v === 'number' && v > 0 && v < max;

const levelOf = (l: string | undefined): LevelName => {
  const u = (l ?? 'DEBUG').toUpperCase();
  return u === 'WARN' ? 'WARNING' : u === 'FATAL' ? 'CRITICAL' : u in LEVELS ? (u as LevelName) : 'DEBUG';
};

const serializeError = (e: unknown): Fields =>
  e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { message: String(e) };

/** The shared state of a client and its children. */
interface Core {
  log(
    level: LevelName,
    layer: string | undefined,
    message: string,
    fields: Fields | undefined,
    bindings: Fields,
  ): void;
}

/**
 * The logging surface: `info(msg, fields)` or `info(layer, msg, fields)` and the other levels,
 * `layer(name)` and `child(bindings)`. A {@link HydraLoggerClient} is one; its children share its
 * outbox and connection.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the level methods are set on the prototype below
export class BrowserLogger {
  /** @internal */
  constructor(
    readonly core: Core,
    readonly bindings: Fields,
    readonly defaultLayer: string | undefined,
  ) {}

  log(level: LevelName, a: string, b?: string | Fields | Error, c?: Fields | Error): void {
    try {
      let layer = this.defaultLayer;
      let msg = a;
      let f: unknown = b;
      if (typeof b === 'string') {
        layer = a;
        msg = b;
        f = c;
      }
      const fields = f instanceof Error ? { error: serializeError(f) } : (f as Fields | undefined);
      this.core.log(level, layer, String(msg), fields, this.bindings);
    } catch {
      // Logging never throws into the page.
    }
  }
  /** A logger whose records go to `name` by default. */
  layer(name: string): BrowserLogger {
    return new BrowserLogger(this.core, this.bindings, name);
  }
  /** A logger that adds `bindings` to every record's fields. */
  child(bindings: Fields): BrowserLogger {
    return new BrowserLogger(this.core, { ...this.bindings, ...bindings }, this.defaultLayer);
  }
}

type LogMethod = (a: string, b?: string | Fields | Error, c?: Fields | Error) => void;
export interface BrowserLogger {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  warning: LogMethod;
  error: LogMethod;
  critical: LogMethod;
  fatal: LogMethod;
}
// One method per level (and the `warn` / `fatal` aliases), defined once on the prototype.
for (const name of ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'fatal']) {
  const level = levelOf(name);
  (BrowserLogger.prototype as unknown as Record<string, LogMethod>)[name] = function (
    this: BrowserLogger,
    a,
    b,
    c,
  ) {
    this.log(level, a, b, c);
  };
}

/** What `onLog` callbacks receive: a server record as the bridge streams it (the core's JSON format, plus `offset`). */
export type ServerRecord = Record<string, unknown> & { offset: number };

/**
 * What an `onLog` gap callback receives: records `from` … `to` (offsets) of the subscription that
 * will never come, `count` of them, and why (`evicted`: the bridge no longer held them after a long
 * disconnection; `slow_consumer`; `filtered_by_role`; `epoch_changed`: the bridge restarted
 * without its history).
 */
export interface ServerGap {
  from: number;
  to: number;
  count: number;
  reason: string;
}

/**
 * The browser SDK: logs from the page reach the server logger through the bridge exactly once.
 * Each record gets `(clientId, seq)` and stays in the outbox (IndexedDB by default) until the
 * bridge acknowledges it; it is resent after a reconnect or a reload, and the bridge logs each
 * `(clientId, seq)` once. Secrets are redacted in the page with the core's rules
 * (`hydra-logger/redact`) before a record is stored or sent.
 *
 * `new HydraLoggerClient('ws://localhost:8080/logs')` is `new HydraLoggerClient({ url })`.
 */
export class HydraLoggerClient extends BrowserLogger {
  /** This page's client id (records of earlier pages keep theirs). */
  readonly clientId: string;
  /** This page's W3C trace id (every record carries it as `traceId`). */
  readonly traceId: string;
  readonly spanId: string;
  readonly #d: Delivery;
  readonly #sanitizer: DataSanitizer | undefined;
  readonly #min: number;
  readonly #app: string | undefined;
  readonly #rate: number;
  readonly #before: ClientOptions['beforeSend'];
  #seq = 0;
  #index = 0;
  #undo: (() => void)[] = [];
  #subs = new Map<
    string,
    {
      cb: (r: ServerRecord) => void;
      filter: Fields;
      gap: ((g: ServerGap) => void) | undefined;
      epoch?: string | undefined;
      offset?: number;
    }
  >();
  #subId = 0;

  constructor(options: ClientOptions | string = {}) {
    const o: ClientOptions = typeof options === 'string' ? { url: options } : options;
    const core: Core = { log: (l, layer, m, f, b) => this.#log(l, layer, m, f, b) };
    super(core, {}, o.layer);
    this.clientId = hex(12);
    this.traceId = hex(16);
    this.spanId = hex(8);
    this.#sanitizer = o.redact === false ? undefined : new DataSanitizer();
    this.#min = LEVELS[levelOf(o.level)];
    this.#app = o.app;
    this.#rate = o.sampleRate ?? 1;
    this.#before = o.beforeSend;
    const here = typeof location === 'undefined' ? undefined : location.href;
    const u = new URL(o.url ?? '/hydra', here);
    let p = u.pathname.replace(/\/+$/, '');
    if (p.endsWith('/ws')) p = p.slice(0, -3);
    else if (p === '/logs') p = '/hydra';
    const secure = u.protocol === 'wss:' || u.protocol === 'https:';
    const wsUrl = u.protocol.startsWith('ws') ? u.href : `${secure ? 'wss' : 'ws'}://${u.host}${p}/ws`;
    const off = o.offline ?? {};
    const outbox =
      off.storage === 'memory' || typeof indexedDB === 'undefined'
        ? new MemoryOutbox()
        : new IndexedDbOutbox(off.name ?? 'hydra-outbox');
    this.#d = new Delivery(
      {
        wsUrl,
        httpBase: `${secure ? 'https' : 'http'}://${u.host}${p}`,
        token: o.token,
        transport: o.transport ?? 'auto',
        maxRecords: o.batch?.maxRecords ?? 50,
        maxBytes: o.batch?.maxBytes ?? 16384,
        maxDelayMs: o.batch?.maxDelayMs ?? 1000,
        outboxRecords: off.maxRecords ?? 10_000,
        outboxBytes: off.maxBytes ?? 5 * 1024 * 1024,
        baseMs: o.retry?.baseMs ?? 500,
        maxMs: o.retry?.maxMs ?? 30_000,
        // Anything but a usable delay (a negative, NaN, or past setTimeout's range) would give up
        // every connection at once: the default then.
        timeoutMs: within(o.retry?.timeoutMs, 2 ** 31) ? (o.retry?.timeoutMs as number) : 10_000,
      },
      outbox,
      () => this.#index++,
    );
    this.#d.onFrame = (f) => this.#frame(f);
    this.#d.onReady = () => this.#resubscribe();
    if (typeof addEventListener === 'function') {
      this.#on('online', () => this.flushSoon());
      this.#on('offline', () => this.#d.ws?.close());
      if (o.beacon !== false) {
        this.#on('pagehide', () => this.#d.beacon());
        this.#on('visibilitychange', () => {
          if (document.visibilityState === 'hidden') this.#d.beacon();
        });
      }
      if (o.captureErrors) {
        this.#on('error', (e) => {
          const ev = e as ErrorEvent;
          this.error(`Uncaught ${ev.message}`, {
            error: serializeError(ev.error ?? ev.message),
            source: ev.filename,
            line: ev.lineno,
            column: ev.colno,
          });
        });
        this.#on('unhandledrejection', (e) =>
          this.error('Unhandled rejection', { error: serializeError((e as PromiseRejectionEvent).reason) }),
        );
      }
    }
    if (o.captureConsole)
      this.#captureConsole(o.captureConsole === true ? ['warn', 'error'] : o.captureConsole);
    if (o.traceparent === 'fetch' && typeof fetch === 'function') this.#traceFetch();
  }

  #on(type: string, fn: (e: Event) => void): void {
    addEventListener(type, fn);
    this.#undo.push(() => removeEventListener(type, fn));
  }

  #log(level: LevelName, layer: string | undefined, message: string, f: Fields | undefined, b: Fields): void {
    if (LEVELS[level] < this.#min || this.#d.closed) return;
    if (this.#rate < 1 && Math.random() >= this.#rate) {
      this.#d.drop('sampled');
      return;
    }
    let fields: Fields = { ...b, ...f, traceId: this.traceId, spanId: this.spanId };
    if (this.#app !== undefined) fields.app = this.#app;
    const s = this.#sanitizer;
    if (s !== undefined) {
      message = s.sanitizeString(message);
      fields = s.sanitize(fields) as Fields;
      if (layer !== undefined) layer = s.sanitizeString(layer);
    }
    let r: WireRecord | null | undefined = { level, message, fields, time: Date.now(), seq: 0 };
    if (layer !== undefined) r.layer = layer;
    if (this.#before !== undefined) {
      r = this.#before(r);
      if (r == null) {
        this.#d.drop('before_send');
        return;
      }
    }
    r.seq = this.#seq++;
    const e: Entry = { c: this.clientId, s: r.seq, r, n: JSON.stringify(r).length, st: 0, i: this.#index++ };
    this.#d.push(e);
  }

  #captureConsole(methods: Console4[]): void {
    const level: Record<Console4, LevelName> = {
      debug: 'DEBUG',
      info: 'INFO',
      log: 'INFO',
      warn: 'WARNING',
      error: 'ERROR',
    };
    let inside = false;
    for (const m of methods) {
      const orig = console[m];
      console[m] = (...args: unknown[]) => {
        orig.apply(console, args);
        if (inside) return;
        inside = true;
        try {
          this.log(
            level[m],
            args
              .map((a) =>
                typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a),
              )
              .join(' '),
          );
        } catch {
        } finally {
          inside = false;
        }
      };
      this.#undo.push(() => {
        console[m] = orig;
      });
    }
  }

  /** A `traceparent` header value: this page's trace id and a new span id. */
  traceparent(): string {
    return `00-${this.traceId}-${hex(8)}-01`;
  }

  #traceFetch(): void {
    const orig = globalThis.fetch;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (url.origin !== location.origin) return orig(input, init);
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      if (!headers.has('traceparent')) headers.set('traceparent', this.traceparent());
      return orig(input, { ...init, headers });
    };
    this.#undo.push(() => {
      globalThis.fetch = orig;
    });
  }

  /** Sends now what is waiting. */
  flushSoon(): void {
    this.#d.pump();
  }

  /** Resolves when every record logged so far is acknowledged by the bridge. */
  flush(): Promise<void> {
    return this.#d.whenAcked(this.#index);
  }

  /**
   * Waits (up to `timeoutMs`) for the records to be acknowledged, then closes the connection.
   * Records still unacknowledged stay in an IndexedDB outbox for the next page; with the memory
   * outbox they are counted as dropped (`closed`).
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#d.closed) return;
    let t: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.flush(), new Promise<void>((ok) => (t = setTimeout(ok, timeoutMs)))]);
    clearTimeout(t);
    for (const u of this.#undo.splice(0)) u();
    if (this.#d.outbox instanceof MemoryOutbox && this.#d.size > 0) this.#d.drop('closed', this.#d.size);
    this.#d.close();
  }

  getStats(): ClientStats {
    const d = this.#d;
    return {
      queued: d.size,
      sent: d.sent,
      acked: d.acked,
      duplicates: d.duplicates,
      stored: d.outbox.stored,
      beaconed: d.beaconed,
      dropped: { ...d.dropped },
      transport: !d.online ? 'offline' : d.mode,
    };
  }

  /**
   * Receives the server's records live (the bridge's subscription, resumed after a reconnect
   * where it stood: after the last offset it was told about, or where it started if no record came
   * yet, so none is skipped or repeated). Records the bridge no longer holds (a long disconnection)
   * are reported to `onGap` in their place. Returns the unsubscribe function.
   */
  onLog(
    cb: (record: ServerRecord) => void,
    filter: { layers?: string[]; minLevel?: string } = {},
    onGap?: (gap: ServerGap) => void,
  ): () => void {
    const id = `log${++this.#subId}`;
    this.#subs.set(id, { cb, filter, gap: onGap });
    if (this.#d.ready) this.#subscribe(id);
    else this.#d.pump();
    return () => {
      this.#subs.delete(id);
      if (this.#d.ready) this.#d.ws?.send(JSON.stringify({ type: 'unsubscribe', sub: id }));
    };
  }

  #subscribe(id: string): void {
    const s = this.#subs.get(id);
    if (s === undefined) return;
    const since = s.offset !== undefined ? { epoch: s.epoch, offset: s.offset } : 'latest';
    this.#d.ws?.send(JSON.stringify({ type: 'subscribe', sub: id, filter: s.filter, since }));
  }

  #resubscribe(): void {
    for (const id of this.#subs.keys()) this.#subscribe(id);
  }

  #frame(f: Record<string, unknown>): void {
    const s = this.#subs.get(f.sub as string);
    if (s === undefined) return;
    // The cursor to resume from: where the subscription started (`subscribed`), then the end of
    // each records or gap frame (a records frame also covers the offsets its filter left out).
    if (f.type === 'subscribed') {
      s.epoch = f.epoch as string;
      s.offset = (f.from as number) - 1;
    } else if (f.type === 'records' || f.type === 'gap') {
      if (f.type === 'gap')
        try {
          s.gap?.(f as unknown as ServerGap);
        } catch {}
      else
        for (const r of f.records as ServerRecord[])
          try {
            s.cb(r);
          } catch {}
      s.offset = f.to as number;
    }
  }
}
