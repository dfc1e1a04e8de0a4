import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachState, beginRequest, compileSettings, type RequestState, recordError } from './lifecycle.js';
import type { HttpLoggerOptions, HttpLoggerTarget } from './options.js';

/** The part of a Koa context the middleware uses (no type dependency on koa). */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
}

type KoaContext = KoaContextLike & {
  log?: unknown;
  requestId?: string;
  /** Set by @koa/router: the matched route's pattern. */
  _matchedRoute?: string | RegExp;
};

const koaRoute = (host: unknown): string | undefined => {
  const route = (host as KoaContext)._matchedRoute;
  return route === undefined ? undefined : String(route);
};

/**
 * The Koa middleware: `app.use(koaHydra(logger))` first. Per request: the request id (echoed in
 * the response, also when Koa answers an error), the trace context, `ctx.log` (a child logger) and
 * `ctx.requestId`, the rest of the chain run inside the request's context, and one completion
 * record (with @koa/router's route pattern). An error thrown downstream is recorded (ERROR with its
 * stack for a 5xx) and rethrown to Koa. See docs/http.md.
 */
export function koaHydra(
  logger: HttpLoggerTarget,
  options: HttpLoggerOptions = {},
): (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<unknown> {
  const settings = compileSettings(logger, options, koaRoute);
  return (context, next) => {
    const ctx = context as KoaContext;
    let st: RequestState;
    try {
      st = beginRequest(settings, ctx.req, ctx.res, ctx);
      attachState(ctx, st);
      ctx.requestId = st.id;
    } catch {
      return next();
    }
    return settings.logger.runWithContext(st.context, () =>
      next().then(undefined, (err: unknown) => {
        recordError(st, err);
        keepIdHeader(err, settings.idHeader, st.id);
        throw err;
      }),
    );
  };
}

/** Koa's error response removes every header set so far, then sets `err.headers`: the id goes there. */
function keepIdHeader(err: unknown, name: string, id: string): void {
  try {
    if (typeof err !== 'object' || err === null || !Object.isExtensible(err)) return;
    const e = err as { headers?: unknown };
    if (e.headers === undefined) e.headers = { [name]: id };
    else if (typeof e.headers === 'object' && e.headers !== null && Object.isExtensible(e.headers))
      (e.headers as Record<string, string>)[name] = id;
  } catch {
    // A frozen or exotic error keeps its headers; the response then lacks the id.
  }
}
