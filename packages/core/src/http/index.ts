/**
 * hydra-logger/http: request logging middleware for node:http, express, connect, fastify, koa
 * and hono, over one request lifecycle (lifecycle.ts). A separate entry point: importing
 * `hydra-logger` loads none of it. See docs/http.md.
 */
import type { RequestLogger } from './options.js';

/** Bounds of the middleware (request id length, logged path and headers): docs/limits.md. */
export { HTTP_LIMITS } from '../internal/limits.js';
export type { FastifyHydraOptions, FastifyInstanceLike } from './fastify.js';
export { fastifyHydra } from './fastify.js';
export type { HonoContextLike } from './hono.js';
export { honoHydra } from './hono.js';
export type { KoaContextLike } from './koa.js';
export { koaHydra } from './koa.js';
export type { HttpMiddleware } from './node.js';
export { httpLogger } from './node.js';
export type {
  HttpLevels,
  HttpLoggerOptions,
  HttpLoggerRegistry,
  HttpLoggerTarget,
  RequestLogger,
} from './options.js';
export type { TraceFields } from './traceparent.js';
export { parseTraceparent } from './traceparent.js';

// Typed `req.log` and `req.requestId` for the frameworks' request objects. Each block applies
// only when that framework's types are installed (an augmentation of a module that cannot be
// found declares nothing a program can reach).
declare global {
  namespace Express {
    interface Request {
      /** A child logger of the request (hydra-logger/http): its records carry the request id. */
      log: RequestLogger;
      /** The request id (incoming `x-request-id` if valid, else generated), echoed in the response. */
      requestId: string;
    }
  }
}

// biome-ignore lint/suspicious/noTsIgnore: an error only when the framework's types are absent
// @ts-ignore TS2664 when 'fastify' is not part of the program: the block then declares nothing
declare module 'fastify' {
  interface FastifyRequest {
    /** The request id of hydra-logger/http (incoming `x-request-id` if valid, else generated). */
    requestId: string;
  }
}

// biome-ignore lint/suspicious/noTsIgnore: an error only when the framework's types are absent
// @ts-ignore TS2664 when 'koa' is not part of the program: the block then declares nothing
declare module 'koa' {
  interface DefaultContext {
    /** A child logger of the request (hydra-logger/http): its records carry the request id. */
    log: RequestLogger;
    /** The request id (incoming `x-request-id` if valid, else generated), echoed in the response. */
    requestId: string;
  }
}

// biome-ignore lint/suspicious/noTsIgnore: an error only when the framework's types are absent
// @ts-ignore TS2664 when 'hono' is not part of the program: the block then declares nothing
declare module 'hono' {
  interface ContextVariableMap {
    /** A child logger of the request (hydra-logger/http): its records carry the request id. */
    log: RequestLogger;
    /** The request id (incoming `x-request-id` if valid, else generated), echoed in the response. */
    requestId: string;
  }
}
