import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AsyncHydraLogger, Fields, HydraLogger, LevelName } from '../index.js';

/**
 * What `req.log` is typed as. `HydraLogger` unless an application registers its logger type:
 *
 * @example
 * declare module 'hydra-logger/http' {
 *   interface HttpLoggerRegistry { logger: AsyncHydraLogger }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in applications
export interface HttpLoggerRegistry {}

/** The type of `req.log` (Express), `request.log` (Fastify), `ctx.log` (Koa), `c.get('log')` (Hono). */
export type RequestLogger = HttpLoggerRegistry extends { logger: infer L } ? L : HydraLogger;

/** A logger the middleware accepts. */
export type HttpLoggerTarget = HydraLogger | AsyncHydraLogger;

/** Levels of the completion record, by outcome. */
export interface HttpLevels {
  /** 1xx and 2xx. Default `INFO`. */
  success?: LevelName;
  /** 3xx. Default `INFO`. */
  redirect?: LevelName;
  /** 4xx. Default `WARNING`. */
  clientError?: LevelName;
  /** 5xx, and a request whose handler threw. Default `ERROR`. */
  serverError?: LevelName;
  /** The client closed the connection before the response was complete. Default `WARNING`. */
  aborted?: LevelName;
}

/** Options of `httpLogger`, `fastifyHydra`, `koaHydra` and `honoHydra`; all optional. */
export interface HttpLoggerOptions {
  /** Layer of the completion record. Default `'HTTP'`. (`req.log` logs to the layer each call names.) */
  layer?: string;
  /**
   * Requests that get no completion record (health checks): exact paths (query ignored), or a
   * predicate. They still get a request id, the context and `req.log`.
   */
  ignore?: readonly string[] | ((req: IncomingMessage) => boolean);
  /**
   * Header read for an incoming request id and set on the response. Default `'x-request-id'`.
   * An incoming id longer than 128 characters or with other characters than
   * `A-Z a-z 0-9 - _ . : / + = @` is replaced by a generated one.
   */
  requestIdHeader?: string;
  /** Whether an incoming request id is used at all (else every request gets a new one). Default `true`. */
  trustRequestId?: boolean;
  /** Makes a request id. Default `crypto.randomUUID()`. */
  generateRequestId?: (req: IncomingMessage) => string;
  /** Whether `traceparent` (W3C Trace Context) is parsed into `traceId`, `spanId`, `traceFlags`. Default `true`. */
  traceparent?: boolean;
  /** Levels of the completion record (see {@link HttpLevels}). */
  levels?: HttpLevels;
  /**
   * Query strings in the logged path: `'redact'` (default) replaces the value of every parameter
   * whose name the logger's redaction rules call sensitive (`token`, `password`, `apiKey`, …) by
   * `[REDACTED]`; `'strip'` drops the whole query string.
   */
  query?: 'redact' | 'strip';
  /**
   * Request headers written in the completion record as `requestHeaders`: `true` for all, or a
   * list of names. Default `false` (the user agent is written as `userAgent` either way).
   * `authorization`, `cookie`, `set-cookie`, `proxy-authorization` and every name the logger's
   * redaction rules call sensitive are written as `[REDACTED]`.
   */
  requestHeaders?: boolean | readonly string[];
  /** Response headers written as `responseHeaders`, as `requestHeaders`. Default `false`. */
  responseHeaders?: boolean | readonly string[];
  /** Fields added to the request's context (so to every record logged while serving it, and to `req.log`). */
  context?: (req: IncomingMessage) => Fields | undefined;
  /** Fields added to the completion record only. */
  fields?: (req: IncomingMessage, res: ServerResponse) => Fields | undefined;
}
