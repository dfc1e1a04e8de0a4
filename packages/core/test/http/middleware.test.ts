import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../helpers.js';
import { abortMidResponse, FRAMEWORKS, type RunningServer, startServer } from './servers.js';

/**
 * Each framework's real server on 127.0.0.1, real requests (fetch), and the logger's output: the
 * JSON lines its memory destination holds. The completion record is written on the response's
 * 'close' event, which may come after the client has the response: `completion()` waits for it.
 */
type Rec = Record<string, unknown>;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

for (const framework of FRAMEWORKS) {
  describe(`hydra-logger/http with ${framework}`, () => {
    // The logger's own redaction off: what these tests prove is the middleware's (the pipeline
    // would also catch most of it, as a second line).
    const { logger, lines, records } = memoryLogger({ enableSanitization: false });
    let server: RunningServer;

    beforeAll(async () => {
      server = await startServer(framework, logger, {
        ignore: ['/health'],
        requestHeaders: true,
        responseHeaders: true,
      });
    });
    afterAll(async () => {
      await server.close();
      await logger.close();
    });

    const ofRequest = (id: string) => records().filter((r) => r.requestId === id);
    /** The completion record of request `id`, once written (bounded wait, not a timing assertion). */
    async function completion(id: string): Promise<Rec> {
      for (let i = 0; i < 500; i++) {
        const rec = ofRequest(id).find((r) => r.layer === 'HTTP');
        if (rec !== undefined) return rec;
        await sleep(10);
      }
      throw new Error(`no completion record for ${id}: ${lines().join('\n')}`);
    }
    async function get(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(`${server.url}${path}`, { headers });
      const body = await res.text();
      const id = res.headers.get('x-request-id');
      if (id === null) throw new Error(`no x-request-id on ${path}`);
      return { res, body, id };
    }

    it('generates a request id, echoes it in x-request-id, and every record of the request carries it', async () => {
      const { res, id } = await get('/users/42');
      expect(res.status).toBe(200);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const done = await completion(id);
      const messages = ofRequest(id).map((r) => r.message);
      // req.log (bindings) and the root logger after an await (context) both carry the id.
      expect(messages).toEqual(['loading user', 'after await', 'GET /users/42 200']);
      expect(done.level).toBe('INFO');
    });

    it('honours a valid incoming x-request-id and replaces one that is too long or has other characters', async () => {
      const mine = 'req-7f3a:b/c+d=e@f_g.h';
      expect((await get('/users/1', { 'x-request-id': mine })).id).toBe(mine);
      expect(ofRequest(mine).map((r) => r.message)).toContain('loading user');
      for (const bad of ['a'.repeat(129), 'has space', 'quote"<script>', `${'x'.repeat(64)}%0a`]) {
        const { id } = await get('/users/1', { 'x-request-id': bad });
        expect(id).not.toBe(bad);
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        await completion(id);
      }
      expect(
        records().filter((r) => typeof r.requestId === 'string' && !/^[\w.:/+=@-]+$/.test(r.requestId)),
      ).toEqual([]);
      expect((await get('/users/1', { 'x-request-id': 'a'.repeat(128) })).id).toBe('a'.repeat(128));
    });

    it('parses traceparent into traceId, spanId and traceFlags on every record of the request', async () => {
      const { id } = await get('/users/7', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
      await completion(id);
      const recs = ofRequest(id);
      expect(recs).toHaveLength(3);
      for (const r of recs) expect(r).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: '01' });
      const invalid = await get('/users/7', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` });
      expect(await completion(invalid.id)).not.toHaveProperty('traceId');
    });

    it('records logged after the request body was parsed carry the request id', async () => {
      const res = await fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: 5 }),
      });
      expect(res.status).toBe(201);
      await res.text();
      const id = res.headers.get('x-request-id') as string;
      const done = await completion(id);
      expect(ofRequest(id).find((r) => r.message === 'body parsed')).toMatchObject({ n: 5 });
      expect(done).toMatchObject({ method: 'POST', path: '/echo', status: 201, level: 'INFO' });
    });

    it('writes one completion record: method, route, path, status, duration, bytes, user agent, remote address', async () => {
      const { id, body } = await get('/users/42', { 'user-agent': 'hydra-test/1.0' });
      const done = await completion(id);
      expect(ofRequest(id).filter((r) => r.layer === 'HTTP')).toHaveLength(1);
      expect(done).toMatchObject({
        level: 'INFO',
        layer: 'HTTP',
        message: 'GET /users/42 200',
        method: 'GET',
        path: '/users/42',
        status: 200,
        responseBytes: Buffer.byteLength(body),
        userAgent: 'hydra-test/1.0',
        remoteAddress: '127.0.0.1',
      });
      if (server.route === undefined) expect(done).not.toHaveProperty('route');
      else expect(done.route).toBe(server.route);
      expect(typeof done.durationMs).toBe('number');
      expect(done.durationMs as number).toBeGreaterThan(0);
      expect(done).not.toHaveProperty('aborted');
    });

    it('levels: 404 → WARNING, 503 → ERROR, a thrown error → ERROR with its stack', async () => {
      const missing = await get('/no/such/route');
      expect(missing.res.status).toBe(404);
      expect(await completion(missing.id)).toMatchObject({ level: 'WARNING', status: 404 });

      const fail = await get('/fail');
      expect(fail.res.status).toBe(503);
      const failed = await completion(fail.id);
      expect(failed).toMatchObject({ level: 'ERROR', status: 503 });
      expect(failed).not.toHaveProperty('err');

      const thrown = await get('/throw');
      expect(thrown.res.status).toBe(500);
      const rec = await completion(thrown.id);
      expect(rec).toMatchObject({ level: 'ERROR', status: 500 });
      const err = rec.err as { message: string; stack: string };
      expect(err.message).toBe('boom in handler');
      expect(err.stack).toContain('servers.ts');
    });

    it('redacts authorization, cookie and set-cookie headers (and sensitive names) when headers are logged', async () => {
      const { id } = await get('/cookie', {
        authorization: 'Bearer tok-123456789',
        cookie: 'sid=cookie-secret-1',
        'x-api-key': 'key-secret-2',
        accept: 'text/plain',
      });
      const done = await completion(id);
      expect(done.requestHeaders).toMatchObject({
        authorization: '[REDACTED]',
        cookie: '[REDACTED]',
        'x-api-key': '[REDACTED]',
        accept: 'text/plain',
      });
      expect(done.responseHeaders).toMatchObject({ 'set-cookie': '[REDACTED]', 'x-request-id': id });
      const out = lines().join('\n');
      for (const secret of ['tok-123456789', 'cookie-secret-1', 'key-secret-2', 's3cr3t-cookie-value'])
        expect(out).not.toContain(secret);
    });

    it('/login?token=abc leaves no abc value in any output; other parameters stay', async () => {
      // 'abc' can occur by chance in generated ids and ETags; the second secret cannot.
      const { id } = await get('/login?token=abc&next=%2Fhome&access_token=zQ9xK7secret&page=2', {
        referer: 'http://127.0.0.1/form?password=zQ9xK7secret',
      });
      const done = await completion(id);
      expect(done.path).toBe('/login?token=[REDACTED]&next=%2Fhome&access_token=[REDACTED]&page=2');
      expect(done.message).toBe(`GET ${done.path} 200`);
      expect((done.requestHeaders as Rec).referer).toBe('http://127.0.0.1/form?password=[REDACTED]');
      const out = lines().join('\n');
      expect(out).not.toMatch(/=abc\b/);
      expect(out).not.toContain('zQ9xK7secret');
    });

    it('ignore: /health gets an id but no completion record', async () => {
      const health = await get('/health');
      expect(health.res.status).toBe(200);
      const after = await get('/users/3');
      await completion(after.id);
      await sleep(50);
      expect(ofRequest(health.id)).toEqual([]);
      expect(records().some((r) => r.path === '/health')).toBe(false);
    });

    it('a client that closes the connection mid-response is logged as aborted (WARNING, aborted: true)', async () => {
      const before = new Set(records().map((r) => r.requestId));
      await abortMidResponse(`${server.url}/slow`);
      let rec: Rec | undefined;
      for (let i = 0; i < 500 && rec === undefined; i++) {
        rec = records().find((r) => r.path === '/slow' && !before.has(r.requestId));
        if (rec === undefined) await sleep(10);
      }
      expect(rec).toMatchObject({
        level: 'WARNING',
        aborted: true,
        status: 200,
        message: 'GET /slow aborted',
      });
      expect(rec?.responseBytes).toBe('partial'.length);
    });
  });
}
