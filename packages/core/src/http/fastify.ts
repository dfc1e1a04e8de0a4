import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  attachState,
  beginRequest,
  compileSettings,
  type RequestState,
  recordError,
  STATE,
} from './lifecycle.js';
import type { HttpLoggerOptions, HttpLoggerTarget } from './options.js';

/** Options of `app.register(fastifyHydra, options)`: the logger, and the common options. */
export interface FastifyHydraOptions extends HttpLoggerOptions {
  logger: HttpLoggerTarget;
}

/** The part of a Fastify instance the plugin uses (no type dependency on fastify). */
export interface FastifyInstanceLike {
  addHook(name: never, hook: never): unknown;
}

interface FastifyRequestLike {
  raw: IncomingMessage;
  routeOptions?: { url?: string };
  log: unknown;
  requestId?: string;
  [STATE]?: RequestState;
  [RESOURCE]?: AsyncResource;
}

interface FastifyReplyLike {
  raw: ServerResponse;
}

type Done = (err?: Error) => void;

const RESOURCE = Symbol('hydra-logger.http.resource');

const fastifyRoute = (host: unknown): string | undefined => (host as FastifyRequestLike).routeOptions?.url;

function plugin(instance: FastifyInstanceLike, opts: FastifyHydraOptions, done: Done): void {
  const { logger, ...options } = opts;
  const settings = compileSettings(logger, options, fastifyRoute);
  const addHook = instance.addHook.bind(instance) as unknown as (name: string, hook: unknown) => unknown;

  addHook('onRequest', (request: FastifyRequestLike, reply: FastifyReplyLike, next: Done) => {
    let st: RequestState;
    try {
      st = beginRequest(settings, request.raw, reply.raw, request);
      attachState(request, st);
      request.requestId = st.id;
    } catch {
      next();
      return;
    }
    settings.logger.runWithContext(st.context, () => {
      // Body parsing continues from the socket's events, outside this context; preValidation
      // re-enters it through this resource, as @fastify/request-context does.
      request[RESOURCE] = new AsyncResource('hydra-logger:http');
      next();
    });
  });

  addHook('preValidation', (request: FastifyRequestLike, _reply: FastifyReplyLike, next: Done) => {
    const resource = request[RESOURCE];
    if (resource === undefined) next();
    else resource.runInAsyncScope(next);
  });

  addHook('onError', (request: FastifyRequestLike, _reply: FastifyReplyLike, error: Error, next: Done) => {
    recordError(request[STATE], error);
    next();
  });

  done();
}

/**
 * The Fastify plugin: `await app.register(fastifyHydra, { logger })`. Per request: the request
 * id (echoed in the response), the trace context, `request.log` replaced by a child of `logger`
 * (fastify's own logger keeps `reply.log`), `request.requestId`, the handler run inside the
 * request's context, and one completion record with the route pattern (`/users/:id`). Registered
 * without encapsulation (like a `fastify-plugin` plugin), so it covers every route. Set fastify's
 * `disableRequestLogging: true` if fastify's own logger is enabled, or both will log each request.
 * See docs/http.md.
 */
export const fastifyHydra: ((
  instance: FastifyInstanceLike,
  opts: FastifyHydraOptions,
  done: Done,
) => void) & {
  readonly [key: symbol]: unknown;
} = Object.assign(plugin, {
  // What fastify-plugin sets: hooks apply to the parent instance, and the plugin's name.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'hydra-logger',
});
