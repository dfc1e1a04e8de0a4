import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/index.js';
import { loggerWithBridge, ready } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const secret = 'a-test-secret-of-32-bytes-length';

async function setup(options: Parameters<typeof loggerWithBridge>[0] = {}) {
  const s = await loggerWithBridge(options);
  cleanups.push(() => s.logger.close());
  const post = (body: unknown, headers: Record<string, string> = {}, query = '') =>
    fetch(`http://127.0.0.1:${s.port}/hydra/ingest${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ...s, post };
}

const batch = (seq: number, ...messages: string[]) => ({
  clientId: 'page-1',
  seq,
  records: messages.map((message) => ({ level: 'INFO', message })),
});

describe('POST /hydra/ingest', () => {
  it('logs a JSON batch and answers with the ack', async () => {
    const { post, lines } = await setup();
    const res = await post(batch(0, 'a', 'b'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 'ack', seq: 0, accepted: 2, duplicates: 0, rejected: [] });
    expect(lines().map((l) => JSON.parse(l).message)).toEqual(['a', 'b']);
  });

  it('takes text/plain as navigator.sendBeacon sends it, and dedupes a beacon against a WebSocket resend', async () => {
    const { post, lines, port } = await setup();
    const res = await post(JSON.stringify(batch(0, 'a', 'b')), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(res.status).toBe(200);
    const ws = await ready(port);
    ws.send({ type: 'logs', ...batch(0, 'a', 'b', 'c') });
    expect(await ws.next('ack')).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(lines().map((l) => JSON.parse(l).message)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['malformed JSON', '{"clientId":', {}, 400, 'bad_json'],
    ['no clientId', { seq: 0, records: [] }, {}, 400, 'bad_request'],
    ['records not an array', { clientId: 'c', seq: 0, records: {} }, {}, 400, 'bad_request'],
    [
      'another content type',
      'a=1',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'bad_request',
    ],
    [
      'a body over maxPayload',
      { clientId: 'c', seq: 0, records: [{ level: 'INFO', message: 'x'.repeat(3000) }] },
      {},
      413,
      'too_large',
    ],
  ])('refuses %s', async (_name, body, headers, status, code) => {
    const { post, lines } = await setup({ limits: { maxPayload: 2048 } });
    const res = await post(body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: 'error', code });
    expect(lines()).toEqual([]);
  });

  it('needs a token when tokens are on: Authorization, the token query parameter or the body', async () => {
    const { post, lines } = await setup({ tokenSecret: secret });
    expect((await post(batch(0, 'a'))).status).toBe(401);
    const t = createToken({ sub: 'p', role: 'producer', exp: Math.floor(Date.now() / 1000) + 60 }, secret);
    const viewer = createToken({ sub: 'v', role: 'viewer', exp: Math.floor(Date.now() / 1000) + 60 }, secret);
    expect((await post(batch(0, 'a'), { authorization: `Bearer ${t}` })).status).toBe(200);
    expect((await post(batch(1, 'b'), {}, `?token=${t}`)).status).toBe(200);
    expect((await post({ ...batch(2, 'c'), token: t })).status).toBe(200);
    expect((await post(batch(3, 'd'), { authorization: `Bearer ${viewer}` })).status).toBe(403);
    expect(lines().map((l) => JSON.parse(l))).toMatchObject([
      { message: 'a', client: { principal: 'p' } },
      { message: 'b' },
      { message: 'c' },
    ]);
  });

  it('answers 429 with Retry-After over the rate per IP address', async () => {
    const { post, lines } = await setup({ limits: { ingestRecordsPerSecond: 3 } });
    expect((await post(batch(0, 'a', 'b', 'c'))).status).toBe(200);
    const res = await post(batch(3, 'd', 'e'));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(lines()).toHaveLength(3);
  });

  it('checks the origin and answers CORS preflights for allowed origins', async () => {
    const { post, port } = await setup({ origins: ['https://app.example.com'] });
    expect((await post(batch(0, 'a'), { origin: 'https://evil.example' })).status).toBe(403);
    const ok = await post(batch(0, 'a'), { origin: 'https://app.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const pre = await fetch(`http://127.0.0.1:${port}/hydra/ingest`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST');
  });
});
