import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fields, LevelName } from '../index.js';
import { HTTP_LIMITS } from '../internal/limits.js';
import { type HeaderSelection, headerSelection, pickHeaders } from './headers.js';
import type { HttpLoggerOptions, HttpLoggerTarget, RequestLogger } from './options.js';
import { isValidRequestId, randomRequestId } from './request-id.js';
import { parseTraceparent } from './traceparent.js';
import { loggedPath } from './url.js';

/**
 * The request lifecycle every framework adapter shares: `beginRequest` when the request arrives
 * (id, trace context, child logger, byte count, one 'close' listener), the adapter runs the
 * handler inside `runWithContext(state.context, …)`, and the response's 'close' event writes the
 * one completion record. Nothing here throws into the request path: a failure of ours costs the
 * record, never the response.
 */

/** The adapter's view of the route pattern (`/users/:id`), read at completion; `host` is the framework's request object. */
export type RouteOf = (host: unknown) => string | undefined;

const LEVEL_METHODS: Readonly<Record<LevelName, string>> = {
  NOTSET: 'info',
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
};

/** The options compiled once per middleware instance. */
export interface HttpSettings {
  readonly logger: HttpLoggerTarget;
  readonly layer: string;
  readonly idHeader: string;
  readonly trustRequestId: boolean;
  readonly generateId: (req: IncomingMessage) => string;
  readonly traceparent: boolean;
  readonly ignorePaths: ReadonlySet<string> | undefined;
  readonly ignore: ((req: IncomingMessage) => boolean) | undefined;
  readonly levels: Readonly<
    Record<'success' | 'redirect' | 'clientError' | 'serverError' | 'aborted', LevelName>
  >;
  readonly query: 'redact' | 'strip';
  readonly requestHeaders: HeaderSelection;
  readonly responseHeaders: HeaderSelection;
  readonly context: ((req: IncomingMessage) => Fields | undefined) | undefined;
  readonly fields: ((req: IncomingMessage, res: ServerResponse) => Fields | undefined) | undefined;
  readonly routeOf: RouteOf;
  /**
   * Whether the logger's sanitizer (read each time: `updateConfig` replaces it) calls a query
   * parameter or header name sensitive; it remembers its answers, and forgets them when its keys change.
   */
  readonly isSensitive: (key: string) => boolean;
  /** `loggedPath` with these settings. */
  readonly redactUrl: (url: string) => string;
}

export function compileSettings(
  logger: HttpLoggerTarget,
  options: HttpLoggerOptions,
  routeOf: RouteOf,
): HttpSettings {
  const ignore = options.ignore;
  const settings: HttpSettings = {
    logger,
    layer: options.layer ?? 'HTTP',
    idHeader: (options.requestIdHeader ?? 'x-request-id').toLowerCase(),
    trustRequestId: options.trustRequestId ?? true,
    generateId: options.generateRequestId ?? randomRequestId,
    traceparent: options.traceparent ?? true,
    ignorePaths: Array.isArray(ignore) ? new Set(ignore as readonly string[]) : undefined,
    ignore: typeof ignore === 'function' ? ignore : undefined,
    levels: {
      success: options.levels?.success ?? 'INFO',
      redirect: options.levels?.redirect ?? 'INFO',
      clientError: options.levels?.clientError ?? 'WARNING',
      serverError: options.levels?.serverError ?? 'ERROR',
      aborted: options.levels?.aborted ?? 'WARNING',
    },
    query: options.query ?? 'redact',
    requestHeaders: headerSelection(options.requestHeaders),
    responseHeaders: headerSelection(options.responseHeaders),
    context: options.context,
    fields: options.fields,
    routeOf,
    isSensitive: (key) => logger.sanitizer.isSensitiveKey(key),
    redactUrl: (url) => loggedPath(url, settings.query, settings.isSensitive),
  };
  return settings;
}

/** One request in flight. */
export class RequestState {
  /** Body bytes the application wrote. */
  bytes = 0;
  error: unknown = undefined;
  hasError = false;
  done = false;
  /** The response's own `write` and `end`, called by the counting ones. */
  write: Write | undefined = undefined;
  end: Write | undefined = undefined;
  #log: RequestLogger | undefined;

  constructor(
    readonly settings: HttpSettings,
    readonly req: IncomingMessage,
    readonly id: string,
    /** `{ requestId, traceId?, spanId?, traceFlags?, …options.context(req) }`: the context and `log`'s bindings. */
    readonly context: Fields,
    /** Whether `context` holds `requestId` only (no trace, no `options.context`). */
    readonly idOnly: boolean,
    /** The request target as received (routers rewrite `req.url` of mounted apps). */
    readonly url: string,
    readonly start: number,
    /** The framework's request object, for `routeOf`. */
    readonly host: unknown,
  ) {}

  get logger(): HttpLoggerTarget {
    return this.settings.logger;
  }

  /**
   * The request's child logger, made on first use: a child costs more than the rest of the
   * middleware together, and most handlers log through the context instead.
   */
  get log(): RequestLogger {
    this.#log ??= this.settings.logger.child(this.context) as RequestLogger;
    return this.#log;
  }
}

type Write = (this: ServerResponse, a?: unknown, b?: unknown, c?: unknown) => unknown;

/** Where adapters keep a request's state on the framework's request object. */
export const STATE: unique symbol = Symbol('hydra-logger.http.state');

type WithState = { [STATE]?: RequestState };

/** Where the response keeps its request's state (the counting `write`/`end` and 'close' read it). */
const RES_STATE: unique symbol = Symbol('hydra-logger.http.response');
type Response = ServerResponse & { [RES_STATE]?: RequestState };

/** One shared descriptor (no closure per request); assigning `req.log` replaces it with a plain value. */
const LOG_PROPERTY: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: WithState) {
    return this[STATE]?.log;
  },
  set(this: object, value: unknown) {
    Object.defineProperty(this, 'log', { value, writable: true, configurable: true, enumerable: true });
  },
};

/** Attaches the state to `target` and defines `target.log` as the state's lazily made child logger. */
export function attachState(target: object, st: RequestState): void {
  (target as WithState)[STATE] = st;
  Object.defineProperty(target, 'log', LOG_PROPERTY);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function requestId(s: HttpSettings, req: IncomingMessage): string {
  if (s.trustRequestId) {
    const incoming = header(req, s.idHeader);
    if (incoming !== undefined && isValidRequestId(incoming)) return incoming;
  }
  // Ours is a UUID: nothing to check.
  if (s.generateId === randomRequestId) return randomRequestId();
  const id = s.generateId(req);
  return typeof id === 'string' && isValidRequestId(id) ? id : randomRequestId();
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

/*
 * Counting the body bytes the application writes (what was written, also when the client left
 * early): the response's `write` and `end` are replaced by these two shared functions, which find
 * the request through the response (no closures per request).
 */
function countingWrite(this: Response, chunk?: unknown, encoding?: unknown, cb?: unknown): unknown {
  const st = this[RES_STATE] as RequestState;
  st.bytes += byteLength(chunk, encoding);
  return (st.write as Write).call(this, chunk, encoding, cb);
}

function countingEnd(this: Response, chunk?: unknown, encoding?: unknown, cb?: unknown): unknown {
  const st = this[RES_STATE] as RequestState;
  if (typeof chunk !== 'function') st.bytes += byteLength(chunk, encoding);
  return (st.end as Write).call(this, chunk, encoding, cb);
}

/**
 * The response's 'close' listener, shared by every request. Bound to the context of this module's
 * evaluation: the completion record is not written inside the request's `runWithContext` (it
 * carries the request's context fields itself), so the logger does not merge and scan them twice.
 */
const onClose = AsyncResource.bind(function onClose(this: unknown): void {
  const res = this as Response;
  const st = res[RES_STATE];
  if (st !== undefined) complete(st.settings, st.req, res, st);
});

/**
 * Sets up a request: its id (incoming if valid, else generated) echoed in the response header,
 * the trace context, the child logger, and the completion record on the response's 'close'.
 * May throw (a custom `generateRequestId` or `context` callback, a logger that is closed):
 * adapters then serve the request without logging it.
 */
export function beginRequest(
  s: HttpSettings,
  req: IncomingMessage,
  res: ServerResponse,
  host: unknown,
): RequestState {
  const start = performance.now();
  const id = requestId(s, req);
  if (!res.headersSent) res.setHeader(s.idHeader, id);
  const context: Fields = { requestId: id };
  let idOnly = true;
  if (s.traceparent) {
    const trace = parseTraceparent(header(req, 'traceparent'));
    if (trace !== undefined) {
      context.traceId = trace.traceId;
      context.spanId = trace.spanId;
      context.traceFlags = trace.traceFlags;
      idOnly = false;
    }
  }
  if (s.context !== undefined) {
    Object.assign(context, s.context(req));
    idOnly = false;
  }
  const st = new RequestState(s, req, id, context, idOnly, req.url ?? '/', start, host);
  const r = res as Response;
  st.write = res.write as unknown as Write;
  st.end = res.end as unknown as Write;
  if (r[RES_STATE] === undefined) {
    r[RES_STATE] = st;
    (res as unknown as { write: Write }).write = countingWrite;
    (res as unknown as { end: Write }).end = countingEnd;
    res.on('close', onClose);
  } else countAgain(r, st);
  return st;
}

/**
 * A second middleware of ours on the same response (two loggers): its own closures around the
 * first one's counting functions, and its own 'close' listener.
 */
function countAgain(res: Response, st: RequestState): void {
  const write = st.write as Write;
  const end = st.end as Write;
  (res as unknown as { write: Write }).write = function (this: Response, chunk, encoding, cb) {
    st.bytes += byteLength(chunk, encoding);
    return write.call(this, chunk, encoding, cb);
  };
  (res as unknown as { end: Write }).end = function (this: Response, chunk, encoding, cb) {
    if (typeof chunk !== 'function') st.bytes += byteLength(chunk, encoding);
    return end.call(this, chunk, encoding, cb);
  };
  res.once('close', () => complete(st.settings, st.req, res, st));
}

/** Marks the request as failed by `error` (a handler threw); its completion record is an ERROR with the stack. */
export function recordError(st: RequestState | undefined, error: unknown): void {
  if (st === undefined || st.hasError) return;
  st.hasError = true;
  st.error = error;
}

function levelOf(s: HttpSettings, st: RequestState, status: number, aborted: boolean): LevelName {
  if (aborted) return s.levels.aborted;
  if (status >= 500) return s.levels.serverError;
  if (status >= 400) return s.levels.clientError;
  if (st.hasError) return s.levels.serverError;
  return status >= 300 ? s.levels.redirect : s.levels.success;
}

function isIgnored(s: HttpSettings, req: IncomingMessage, st: RequestState): boolean {
  if (s.ignorePaths !== undefined) {
    const q = st.url.indexOf('?');
    if (s.ignorePaths.has(q === -1 ? st.url : st.url.slice(0, q))) return true;
  }
  return s.ignore !== undefined && s.ignore(req) === true;
}

const swallow = (): void => {};

/** The completion record, on the response's 'close' (after 'finish', or when the client left first). */
function complete(s: HttpSettings, req: IncomingMessage, res: ServerResponse, st: RequestState): void {
  if (st.done) return;
  st.done = true;
  try {
    if (isIgnored(s, req, st)) return;
    const aborted = !res.writableFinished;
    const status = res.statusCode;
    const level = levelOf(s, st, status, aborted);
    if (!s.logger.isLevelEnabled(level, s.layer)) return;
    const method = req.method ?? 'GET';
    const path = s.redactUrl(st.url);
    const route = s.routeOf(st.host);
    const durationMs = Math.round((performance.now() - st.start) * 1000) / 1000;
    const responseBytes = method === 'HEAD' || status === 204 || status === 304 ? 0 : st.bytes;
    const ua = header(req, 'user-agent');
    const remote = req.socket?.remoteAddress;
    const statusShown = !aborted || res.headersSent;
    // One object literal in the common case (the id as the only context field, a status): one
    // shape for every record, so the logger's checks of a flat record stay on their fast path.
    let fields: Fields;
    if (st.idOnly && statusShown && route === undefined)
      fields = { requestId: st.id, method, path, status, durationMs, responseBytes };
    else {
      fields = { ...st.context, method };
      if (route !== undefined) fields.route = route;
      fields.path = path;
      if (statusShown) fields.status = status;
      fields.durationMs = durationMs;
      fields.responseBytes = responseBytes;
    }
    if (ua !== undefined) fields.userAgent = ua.slice(0, HTTP_LIMITS.headerMaxLength);
    if (remote !== undefined) fields.remoteAddress = remote;
    if (aborted) fields.aborted = true;
    if (st.hasError) fields.err = st.error;
    if (s.requestHeaders !== false)
      fields.requestHeaders = pickHeaders(req.headers, s.requestHeaders, s.isSensitive, s.redactUrl);
    if (s.responseHeaders !== false)
      fields.responseHeaders = pickHeaders(res.getHeaders(), s.responseHeaders, s.isSensitive, s.redactUrl);
    if (s.fields !== undefined) {
      try {
        Object.assign(fields, s.fields(req, res));
      } catch {
        // A failing custom-fields callback costs its fields, not the record.
      }
    }
    const message = aborted ? `${method} ${path} aborted` : `${method} ${path} ${status}`;
    // Through the logger itself, not the request's child: a record with bindings costs more, and
    // the context's fields are simply the record's first fields.
    const logger = s.logger as unknown as Record<string, (...args: unknown[]) => unknown>;
    const result = logger[LEVEL_METHODS[level]]?.(s.layer, message, fields);
    // AsyncHydraLogger: the promise rejects when the record is dropped (counted by the logger).
    if (result instanceof Promise) result.then(undefined, swallow);
  } catch {
    // Never into the request path: this runs from the response's 'close' event.
  }
}
