import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  attachState,
  beginRequest,
  compileSettings,
  type RequestState,
  recordError,
  STATE,
} from './lifecycle.js';
import type { HttpLoggerOptions, HttpLoggerTarget, RequestLogger } from './options.js';

type NodeRequest = IncomingMessage & {
  log?: RequestLogger;
  requestId?: string;
  route?: { path?: unknown };
  baseUrl?: string;
  [STATE]?: RequestState;
};

/** Express's matched route (`/users/:id`, with the mount path of a sub-router), once known. */
function expressRoute(host: unknown): string | undefined {
  const req = host as NodeRequest;
  const path = req.route?.path;
  if (path === undefined) return undefined;
  return `${req.baseUrl ?? ''}${String(path)}`;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/** A connect-style middleware, also usable around a plain `node:http` handler. */
export interface HttpMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => unknown): void;
  /**
   * Express/connect error middleware (`app.use(log.errorHandler)` after the routes): gives the
   * completion record the error a handler threw (ERROR, with its stack), then passes it on.
   * Without it a thrown error is still logged, from its 500 status, without the stack.
   */
  readonly errorHandler: (
    err: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => unknown,
  ) => void;
}

/** Answers 500 for a handler that threw, if nothing was sent yet; never throws. */
function failRequest(st: RequestState, res: ServerResponse, err: unknown): void {
  recordError(st, err);
  try {
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    } else if (!res.writableEnded) res.end();
  } catch {
    res.destroy();
  }
}

/**
 * Request logging for `node:http`, express and connect: a request id (from `x-request-id` if
 * valid, else generated; echoed in the response), the W3C `traceparent` in the context,
 * `req.log` (a child logger) and `req.requestId`, the rest of the request served inside
 * `logger.runWithContext` (every record logged meanwhile carries the request id), and one
 * completion record per request in the `HTTP` layer. See docs/http.md.
 *
 * With express or connect, `app.use(httpLogger(logger))` before the routes. Around a plain
 * handler, `(req, res) => log(req, res, () => handler(req, res))`: a handler that throws or
 * rejects is logged as ERROR with its stack and answered 500 (if nothing was sent yet).
 *
 * @example
 * const log = httpLogger(logger, { ignore: ['/health'] });
 * app.use(log);
 * app.get('/users/:id', (req, res) => { req.log.info('loading user'); res.json({}); });
 * app.use(log.errorHandler);
 */
export function httpLogger(logger: HttpLoggerTarget, options: HttpLoggerOptions = {}): HttpMiddleware {
  const settings = compileSettings(logger, options, expressRoute);
  const middleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => unknown): void => {
    let st: RequestState;
    try {
      st = beginRequest(settings, req, res, req);
      attachState(req, st);
      (req as NodeRequest).requestId = st.id;
    } catch {
      next?.();
      return;
    }
    if (next === undefined) return;
    settings.logger.runWithContext(st.context, () => {
      try {
        const result = next();
        if (isThenable(result)) result.then(undefined, (err: unknown) => failRequest(st, res, err));
      } catch (err) {
        failRequest(st, res, err);
      }
    });
  };
  const errorHandler = (
    err: unknown,
    req: IncomingMessage,
    _res: ServerResponse,
    next: (err?: unknown) => unknown,
  ): void => {
    recordError((req as NodeRequest)[STATE], err);
    next(err);
  };
  return Object.assign(middleware, { errorHandler });
}
