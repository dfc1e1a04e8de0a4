import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginRequest, compileSettings, type RequestState, recordError } from './lifecycle.js';
import type { HttpLoggerOptions, HttpLoggerTarget } from './options.js';

/** The part of a Hono context the middleware uses (no type dependency on hono). */
export interface HonoContextLike {
  env: unknown;
  error?: unknown;
  req: unknown;
  set: unknown;
}

interface HonoRequest {
  routeIndex?: number;
  routePath?: string;
}

/** The route seen once the handlers have run (the host object of the request's state). */
interface HonoRoute {
  route: string | undefined;
}

const honoRoute = (host: unknown): string | undefined => (host as HonoRoute).route;

function nodeObjects(env: unknown): { incoming: IncomingMessage; outgoing: ServerResponse } | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const { incoming, outgoing } = env as { incoming?: IncomingMessage; outgoing?: ServerResponse };
  return incoming !== undefined && outgoing !== undefined && typeof outgoing.once === 'function'
    ? { incoming, outgoing }
    : undefined;
}

/**
 * The Hono middleware (Node.js, with @hono/node-server): `app.use(honoHydra(logger))` first.
 * Per request: the request id (echoed in the response), the trace context, `c.get('log')` (a
 * child logger) and `c.get('requestId')`, the handlers run inside the request's context, and one
 * completion record with the route pattern. An error a handler threw (`c.error`) makes the record
 * an ERROR with its stack. On other runtimes (no `c.env.incoming`) it only calls `next()`.
 * See docs/http.md.
 */
export function honoHydra(
  logger: HttpLoggerTarget,
  options: HttpLoggerOptions = {},
): (c: HonoContextLike, next: () => Promise<void>) => Promise<void> {
  const settings = compileSettings(logger, options, honoRoute);
  return async (c, next) => {
    const node = nodeObjects(c.env);
    if (node === undefined) return next();
    const host: HonoRoute = { route: undefined };
    const req = c.req as HonoRequest;
    const own = req.routeIndex;
    let st: RequestState;
    try {
      st = beginRequest(settings, node.incoming, node.outgoing, host);
      const set = c.set as (key: string, value: unknown) => void;
      set.call(c, 'log', st.log);
      set.call(c, 'requestId', st.id);
    } catch {
      return next();
    }
    await settings.logger.runWithContext(st.context, next);
    try {
      if (req.routeIndex !== own) host.route = req.routePath;
      if (c.error !== undefined) recordError(st, c.error);
    } catch {
      // The route is optional.
    }
  };
}
