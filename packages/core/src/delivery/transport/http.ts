import type { Agent, IncomingMessage } from 'node:http';
import type { NetworkTls } from '../../config/types.js';
import { nodeRequire } from '../../internal/builtins.js';
import { SendError, type SendResult, type Transport } from '../types.js';

/** What the `http` transport needs (from an `http` destination's config, defaults applied). */
export interface HttpTransportOptions {
  url: string;
  method: 'POST' | 'PUT';
  headers: Readonly<Record<string, string>>;
  /** `ndjson`: one message per line; `json-array`: `[m1,m2,…]` (each message must be JSON). */
  body: 'ndjson' | 'json-array';
  compress: 'gzip' | 'none';
  tls?: NetworkTls | undefined;
  /**
   * Reads a 2xx answer's body (its first {@link MAX_ANSWER_BYTES}) for what the receiver says it
   * did not keep (OTLP's `partialSuccess`). Without it the body is discarded unread.
   */
  answer?: ((body: Buffer) => SendResult | undefined) | undefined;
}

/** The most of a 2xx answer's body that `answer` gets; the rest is read and discarded. */
export const MAX_ANSWER_BYTES = 64 * 1024;

const NL = Buffer.from('\n');
const COMMA = Buffer.from(',');

/** The request body of a batch. */
export function httpBody(batch: readonly Buffer[], kind: HttpTransportOptions['body']): Buffer {
  const parts: Buffer[] = [];
  if (kind === 'ndjson')
    for (const m of batch) {
      parts.push(m, NL);
    }
  else {
    parts.push(Buffer.from('['));
    batch.forEach((m, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(m);
    });
    parts.push(Buffer.from(']'));
  }
  return Buffer.concat(parts);
}

/** `Retry-After`: delay-seconds or an HTTP-date, in ms from now (`undefined` when absent or unreadable). */
export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * Reads the answer to its end (so the connection goes back to the agent), keeping its first
 * {@link MAX_ANSWER_BYTES}. The batch was accepted either way: an unreadable answer, or a parser
 * that throws, delivers it whole.
 */
function readAnswer(
  res: IncomingMessage,
  parse: (body: Buffer) => SendResult | undefined,
): Promise<SendResult | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let kept = 0;
    res.on('data', (chunk: Buffer) => {
      if (kept >= MAX_ANSWER_BYTES) return;
      const part = chunk.subarray(0, MAX_ANSWER_BYTES - kept);
      parts.push(part);
      kept += part.length;
    });
    const done = () => {
      try {
        resolve(parse(Buffer.concat(parts)));
      } catch {
        resolve(undefined);
      }
    };
    res.on('end', done);
    res.on('aborted', () => resolve(undefined));
    res.on('error', () => resolve(undefined));
  });
}

/** A status that is worth retrying: 408, 429 and 5xx. */
const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * Batches to an HTTP intake over node:http or node:https, with a keep-alive agent (one connection
 * reused across batches). 2xx is delivered; 408, 429 and 5xx, network errors and timeouts are
 * retryable failures (`Retry-After` passed on); 413 is `oversize`; any other status is `rejected`.
 */
export function createHttpTransport(o: HttpTransportOptions): Transport {
  const url = new URL(o.url);
  const https = url.protocol === 'https:';
  const mod = nodeRequire(https ? 'node:https' : 'node:http') as typeof import('node:http');
  const zlib = o.compress === 'gzip' ? (nodeRequire('node:zlib') as typeof import('node:zlib')) : undefined;
  const tls = o.tls ?? {};
  const agent: Agent = new mod.Agent({
    keepAlive: true,
    maxSockets: 1,
    ...(https && {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized !== false,
      servername: tls.servername,
    }),
  } as ConstructorParameters<typeof mod.Agent>[0]);
  const contentType = o.body === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  const path = `${url.pathname}${url.search}`;

  const gzip = (b: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      (zlib as typeof import('node:zlib')).gzip(b, (err, out) => (err ? reject(err) : resolve(out)));
    });

  return {
    async send(batch, signal) {
      let body = httpBody(batch, o.body);
      if (zlib !== undefined) body = await gzip(body);
      if (signal.aborted) throw signal.reason;
      return new Promise<SendResult | undefined>((resolve, reject) => {
        const req = mod.request({
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port === '' ? undefined : Number(url.port),
          path,
          method: o.method,
          agent,
          auth:
            url.username === ''
              ? undefined
              : `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
          headers: {
            'content-type': contentType,
            ...(zlib !== undefined && { 'content-encoding': 'gzip' }),
            ...o.headers,
            'content-length': String(body.length),
          },
        });
        const onAbort = () => {
          req.destroy();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        req.on('response', (res: IncomingMessage) => {
          signal.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300 && o.answer !== undefined) {
            readAnswer(res, o.answer).then(resolve, reject);
            return;
          }
          // Read the answer to its end, so the connection goes back to the agent for the next batch.
          res.resume();
          if (status >= 200 && status < 300) {
            resolve(undefined);
            return;
          }
          const code = `HTTP_${status}`;
          const msg =
            `${o.method} ${url.origin}${url.pathname} answered ${status} ${res.statusMessage ?? ''}`.trim();
          if (retryable(status))
            reject(
              new SendError(msg, {
                retryable: true,
                reason: 'network',
                code,
                retryAfterMs:
                  status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined,
              }),
            );
          else
            reject(
              new SendError(msg, {
                retryable: false,
                reason: status === 413 ? 'oversize' : 'rejected',
                code,
              }),
            );
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) reject(signal.reason);
          else
            reject(
              new SendError(`${o.method} ${url.origin}${url.pathname}: ${err.message}`, {
                retryable: true,
                reason: 'network',
                code: err.code ?? 'network',
                cause: err,
              }),
            );
        });
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
