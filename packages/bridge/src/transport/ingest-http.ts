import type { IncomingMessage, ServerResponse } from 'node:http';
import { originAllowed } from '../auth/origins.js';
import { TokenBucket } from '../auth/rate-limit.js';
import type { BridgeContext } from './context.js';
import { replyError, replyJson } from './http-reply.js';

/** Per-IP ingest rate buckets for HTTP ingest, least recently used forgotten first. */
export class HttpRates {
  readonly #map = new Map<string, { records: TokenBucket; bytes: TokenBucket }>();

  constructor(readonly ctx: BridgeContext) {}

  for(ip: string): { records: TokenBucket; bytes: TokenBucket } {
    let b = this.#map.get(ip);
    if (b !== undefined) this.#map.delete(ip);
    else {
      const l = this.ctx.limits;
      b = {
        records: new TokenBucket(l.ingestRecordsPerSecond),
        bytes: new TokenBucket(l.ingestBytesPerSecond),
      };
      if (this.#map.size >= l.httpRateClients) this.#map.delete(this.#map.keys().next().value as string);
    }
    this.#map.set(ip, b);
    return b;
  }
}

/** CORS headers for an allowed cross-origin page (none for same-origin or non-browser requests). */
function cors(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

/**
 * `POST <path>/ingest`: a batch of browser records over HTTP, `{ clientId, seq, records, token? }`
 * as JSON (`application/json`, or `text/plain` as `navigator.sendBeacon` sends a string). The same
 * validation, de-duplication and acknowledgement as a `logs` frame; the body is bounded by
 * `maxPayload`, the rate per IP address.
 */
export async function serveIngest(
  ctx: BridgeContext,
  rates: HttpRates,
  req: IncomingMessage,
  res: ServerResponse,
  ip: string,
): Promise<void> {
  if (!originAllowed(req.headers.origin, req.headers.host, ctx.origins)) {
    ctx.limited('origin');
    return replyError(res, 403, 'forbidden', 'origin not allowed');
  }
  if (req.method === 'OPTIONS')
    return void res
      .writeHead(204, {
        ...cors(req),
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, authorization',
        'access-control-max-age': '600',
      })
      .end();
  const headers = cors(req);
  if (req.method !== 'POST')
    return replyError(res, 405, 'bad_request', 'use POST', { ...headers, allow: 'POST, OPTIONS' });
  const type = (req.headers['content-type'] ?? 'text/plain').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/plain') {
    ctx.limited('ingest_content_type');
    return replyError(res, 415, 'bad_request', 'send JSON as application/json or text/plain', headers);
  }
  const max = ctx.limits.maxPayload;
  if (Number(req.headers['content-length'] ?? 0) > max) {
    ctx.limited('max_payload');
    res.setHeader('connection', 'close');
    return replyError(res, 413, 'too_large', `the body is larger than ${max} bytes`, headers);
  }
  const body = await readBody(req, max);
  if (body === undefined) {
    ctx.limited('max_payload');
    res.setHeader('connection', 'close');
    return replyError(res, 413, 'too_large', `the body is larger than ${max} bytes`, headers);
  }
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error();
  } catch {
    ctx.limited('frame_bad_json');
    return replyError(
      res,
      400,
      'bad_json',
      'the body must be a JSON object { clientId, seq, records }',
      headers,
    );
  }
  const { clientId, seq, records, token } = v;
  if (typeof clientId !== 'string' || clientId === '' || clientId.length > ctx.limits.maxIdChars)
    return replyError(
      res,
      400,
      'bad_request',
      `clientId must be a non-empty string of at most ${ctx.limits.maxIdChars} characters`,
      headers,
    );
  if (!Number.isSafeInteger(seq) || (seq as number) < 0)
    return replyError(res, 400, 'bad_request', 'seq must be an integer ≥ 0', headers);
  if (!Array.isArray(records))
    return replyError(res, 400, 'bad_request', 'records must be an array', headers);
  if (records.length > ctx.limits.maxIngestBatchRecords)
    return replyError(
      res,
      413,
      'too_large',
      `at most ${ctx.limits.maxIngestBatchRecords} records per request`,
      headers,
    );
  const outcome = await ctx.auth.request(req, false, true, typeof token === 'string' ? token : undefined);
  if (outcome.kind !== 'ok') {
    ctx.limited('unauthorized');
    return replyError(
      res,
      401,
      'not_authenticated',
      outcome.kind === 'refused' ? outcome.reason : 'unauthorized',
      headers,
    );
  }
  const role = ctx.role(outcome.principal);
  if (role === undefined || !role.ingest) {
    ctx.limited('forbidden_ingest');
    return replyError(res, 403, 'forbidden', 'this role may not send logs', headers);
  }
  const bucket = rates.for(ip);
  if (!bucket.records.take(records.length) || !bucket.bytes.take(body.length)) {
    ctx.limited('ingest_rate');
    const wait = Math.max(bucket.records.waitMs(records.length), bucket.bytes.waitMs(body.length));
    return replyError(res, 429, 'rate_limited', 'over the ingest rate; not logged, send again later', {
      ...headers,
      'retry-after': Math.max(1, Math.ceil(wait / 1000)),
    });
  }
  const r = ctx.ingestor.accept(clientId, seq as number, records, outcome.principal);
  replyJson(res, 200, { type: 'ack', ...r }, headers);
}

/** The body, or undefined once it passes `max` bytes (reading stops there). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        done = true;
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
      done = true;
    });
    req.on('error', () => {
      if (!done) resolve(undefined);
      done = true;
    });
  });
}
