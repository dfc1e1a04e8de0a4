import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES, createToken } from '../../src/index.js';
import { connect, ready, record, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const secret = 'a-test-secret-of-32-bytes-length';
const token = (role: string, exp = Math.floor(Date.now() / 1000) + 3600) =>
  createToken({ sub: `user-${role}`, role, exp }, secret);

async function bridgeWith(options: Parameters<typeof standalone>[0]) {
  const s = await standalone(options);
  cleanups.push(() => s.bridge.close());
  return s;
}

describe('authentication at the upgrade', () => {
  it('refuses with HTTP 401 when authenticate() returns null, before any WebSocket exists', async () => {
    const { bridge, port } = await bridgeWith({
      authenticate: (req) => (req.headers['x-user'] === 'ann' ? { sub: 'ann', role: 'viewer' } : null),
    });
    const refused = connect(port);
    await expect(refused.opened).rejects.toThrow(/401/);
    expect(refused.status).toBe(401);
    expect(bridge.stats().connections.websocket).toBe(0);
    const ok = await ready(port, { headers: { 'x-user': 'ann' } });
    expect(ok.of('hello')[0]).toMatchObject({ principal: { sub: 'ann', role: 'viewer' } });
  });

  it('accepts a token from Sec-WebSocket-Protocol, a cookie or Authorization, and refuses a bad or expired one with 401', async () => {
    const { port } = await bridgeWith({ tokenSecret: secret });
    const viaProtocol = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('viewer')}`] });
    expect(viaProtocol.ws.protocol).toBe('hydra.v1');
    expect(viaProtocol.of('hello')[0]).toMatchObject({ principal: { role: 'viewer' } });
    const viaCookie = await ready(port, { headers: { cookie: `theme=dark; hydra_token=${token('admin')}` } });
    expect(viaCookie.of('hello')[0]).toMatchObject({ principal: { role: 'admin' } });
    const viaBearer = await ready(port, { headers: { authorization: `Bearer ${token('viewer')}` } });
    expect(viaBearer.of('hello')).toHaveLength(1);
    const bad = connect(port, { headers: { cookie: `hydra_token=${token('admin')}x` } });
    await expect(bad.opened).rejects.toThrow(/401/);
    const expired = connect(port, { protocols: ['hydra.v1', `hydra.token.${token('admin', 1)}`] });
    await expect(expired.opened).rejects.toThrow(/401/);
  });

  it('takes an auth frame when no credentials came with the upgrade; anything else first closes 4401', async () => {
    const { port } = await bridgeWith({ tokenSecret: secret });
    const c = connect(port);
    await c.opened;
    expect(c.frames).toEqual([]);
    c.send({ type: 'auth', token: token('viewer') });
    await c.next('hello');
    c.send({ type: 'auth', token: token('viewer') });
    expect((await c.next('error')).code).toBe('already_authenticated');
    const early = connect(port);
    await early.opened;
    early.send({ type: 'subscribe', sub: 's' });
    expect(await early.closed).toBe(CLOSE_CODES.unauthorized);
    const wrong = connect(port);
    await wrong.opened;
    wrong.send({ type: 'auth', token: 'abc.def' });
    expect(await wrong.closed).toBe(CLOSE_CODES.unauthorized);
  });

  it('closes 4401 a connection that sends no auth frame in time', async () => {
    const { port } = await bridgeWith({ tokenSecret: secret, limits: { authTimeoutMs: 50 } });
    const c = connect(port);
    await c.opened;
    expect(await c.closed).toBe(CLOSE_CODES.unauthorized);
    expect(c.closeReason).toMatch(/auth/);
  });

  it('closes 4401 when the token expires during the session', async () => {
    const { port } = await bridgeWith({ tokenSecret: secret });
    // Seconds from now: enough for the upgrade on a busy machine; the session ends at that second.
    const soon = Math.floor(Date.now() / 1000) + 3;
    const c = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('viewer', soon)}`] });
    expect(await c.closed).toBe(CLOSE_CODES.unauthorized);
    expect(c.closeReason).toBe('token expired');
  });

  it('refuses a principal whose role does not exist with HTTP 403', async () => {
    const { port } = await bridgeWith({ authenticate: () => ({ sub: 'x', role: 'root' }) });
    const c = connect(port);
    await expect(c.opened).rejects.toThrow(/403/);
  });
});

describe('origins', () => {
  it('by default allows the same origin (and programs without an Origin header) only', async () => {
    const { port } = await bridgeWith({});
    await ready(port, { headers: { origin: `http://127.0.0.1:${port}` } });
    await ready(port);
    const other = connect(port, { headers: { origin: 'https://evil.example' } });
    await expect(other.opened).rejects.toThrow(/403/);
  });

  it('allows the listed origins, or any with ["*"]', async () => {
    const listed = await bridgeWith({ origins: ['https://app.example.com'] });
    await ready(listed.port, { headers: { origin: 'https://app.example.com' } });
    await expect(
      connect(listed.port, { headers: { origin: 'https://evil.example' } }).opened,
    ).rejects.toThrow(/403/);
    const any = await bridgeWith({ origins: ['*'] });
    await ready(any.port, { headers: { origin: 'https://anything.example' } });
  });
});

describe('roles', () => {
  const roles = {
    viewer: { layers: ['APP'], redact: ['user.email'] },
    reader: { layers: '*' as const, ingest: false },
  };

  it('a role sees only its layers, with its fields redacted', async () => {
    const { bridge, port } = await bridgeWith({ tokenSecret: secret, roles });
    const viewer = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('viewer')}`] });
    const admin = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('admin')}`] });
    viewer.send({ type: 'subscribe', sub: 's' });
    admin.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 2, 'two subscriptions');
    bridge.publish(record(0, 'APP', 20, { user: { email: 'ann@corp', id: 1 } }));
    bridge.publish(record(1, 'DB', 20));
    await waitFor(() => admin.records().length === 2, 'admin records');
    await waitFor(() => viewer.records().length === 1, 'viewer record');
    expect(viewer.records()[0]).toMatchObject({ layer: 'APP', user: { email: '[REDACTED]', id: 1 } });
    expect(admin.records()[0]).toMatchObject({ user: { email: 'ann@corp' } });
  });

  it('closes 4403 a role that may not ingest when it sends logs, and one that may not subscribe when it subscribes', async () => {
    const { port } = await bridgeWith({ tokenSecret: secret, roles });
    const reader = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('reader')}`] });
    reader.send({ type: 'logs', clientId: 'c', seq: 0, records: [{ level: 'INFO', message: 'x' }] });
    expect(await reader.closed).toBe(CLOSE_CODES.forbidden);
    const producer = await ready(port, { protocols: ['hydra.v1', `hydra.token.${token('producer')}`] });
    producer.send({ type: 'subscribe', sub: 's' });
    expect(await producer.closed).toBe(CLOSE_CODES.forbidden);
  });
});
