import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Authenticator } from '../../src/auth/authenticator.js';
import { CLOSE_CODES } from '../../src/index.js';
import { connect, ready, record, standalone, waitFor } from '../helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bridgeWith(options: Parameters<typeof standalone>[0]) {
  const s = await standalone(options);
  cleanups.push(() => s.bridge.close());
  return s;
}

describe('limits and close codes', () => {
  it('closes 1009 on a frame over maxPayload', async () => {
    const { bridge, port } = await bridgeWith({ limits: { maxPayload: 1024 } });
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 'x'.repeat(2000) });
    expect(await c.closed).toBe(CLOSE_CODES.tooBig);
    await waitFor(() => bridge.stats().limited.max_payload === 1, 'the count');
  });

  it('refuses subscriptions past maxSubscriptionsPerConnection with an error frame', async () => {
    const { bridge, port } = await bridgeWith({ limits: { maxSubscriptionsPerConnection: 2 } });
    const c = await ready(port);
    for (const sub of ['a', 'b', 'c']) c.send({ type: 'subscribe', sub });
    expect(await c.next('error')).toMatchObject({ code: 'too_many_subscriptions', sub: 'c' });
    expect(bridge.stats().subscriptions).toBe(2);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes 1013 connections past maxConnectionsPerIp, and takes new ones when a slot frees', async () => {
    const { bridge, port } = await bridgeWith({ limits: { maxConnectionsPerIp: 2 } });
    const a = await ready(port);
    await ready(port);
    const third = connect(port);
    expect(await third.closed).toBe(CLOSE_CODES.overloaded);
    a.close();
    await waitFor(() => bridge.stats().connections.websocket === 1, 'the slot to free');
    await ready(port);
    expect(bridge.stats().limited.connections).toBe(1);
  });

  it('closes 1008 a connection that sends more than maxFramesPerSecond', async () => {
    const { port } = await bridgeWith({ limits: { maxFramesPerSecond: 20 } });
    const c = await ready(port);
    for (let i = 0; i < 100; i++) c.send({ type: 'pong', t: i });
    expect(await c.closed).toBe(CLOSE_CODES.policy);
  });

  it('closes 1008 after maxBadFrames bad frames', async () => {
    const { port } = await bridgeWith({ limits: { maxBadFrames: 3 } });
    const c = await ready(port);
    for (let i = 0; i < 5; i++) c.send('nope');
    expect(await c.closed).toBe(CLOSE_CODES.policy);
    expect(c.of('error').length).toBeGreaterThanOrEqual(3);
  });

  it('without authentication, serves this machine only unless allowRemoteAnonymous', async () => {
    const req = (remoteAddress: string) =>
      ({ socket: { remoteAddress }, headers: {}, url: '/' }) as unknown as IncomingMessage;
    const local = new Authenticator({ anonymousRole: 'admin', allowRemoteAnonymous: false });
    expect((await local.request(req('127.0.0.1'), true, false)).kind).toBe('ok');
    expect((await local.request(req('::ffff:127.0.0.1'), true, false)).kind).toBe('ok');
    expect((await local.request(req('::1'), true, false)).kind).toBe('ok');
    expect(await local.request(req('10.1.2.3'), true, false)).toMatchObject({ kind: 'refused' });
    const open = new Authenticator({ anonymousRole: 'viewer', allowRemoteAnonymous: true });
    expect(await open.request(req('10.1.2.3'), true, false)).toMatchObject({ principal: { role: 'viewer' } });
  });
});

describe('hostile clients', () => {
  it('keeps serving good clients while malformed, oversized, unauthenticated and flooding clients are handled', async () => {
    const { bridge, port } = await bridgeWith({
      authenticate: (req) => (req.headers['x-key'] === 'good' ? { sub: 'u', role: 'admin' } : null),
      limits: { maxPayload: 4096, maxFramesPerSecond: 50, maxBadFrames: 5, maxConnectionsPerIp: 40 },
    });
    const headers = { 'x-key': 'good' };
    const good = await Promise.all([1, 2, 3].map(() => ready(port, { headers })));
    for (const g of good) g.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => bridge.stats().subscriptions === 3, 'three subscriptions');
    const hostile: Promise<unknown>[] = [];
    // Unauthenticated: refused at the upgrade.
    for (let i = 0; i < 5; i++) hostile.push(connect(port).opened.catch((e: Error) => e.message));
    // Malformed, oversized, flooding, binary garbage.
    const bad = await Promise.all([1, 2, 3, 4].map(() => ready(port, { headers })));
    for (let i = 0; i < 10; i++) bad[0]?.send(`{"type":"subscribe","sub":${i}`);
    bad[1]?.send({ type: 'logs', clientId: 'c', seq: 0, records: ['x'.repeat(10_000)] });
    for (let i = 0; i < 500; i++)
      bad[2]?.send({ type: 'subscribe', sub: `s${i % 3}`, filter: { text: 'x' } });
    for (let i = 0; i < 20; i++) bad[3]?.ws.send(Buffer.alloc(100, i));
    let sent = 0;
    // Fewer records than the ring holds: the good clients may lag on a busy machine, never lose.
    const produce = setInterval(() => {
      for (let i = 0; i < 50 && sent < 5_000; i++) bridge.publish(record(sent++));
    }, 2);
    const codes = await Promise.all(bad.map((b) => b.closed));
    expect(codes).toEqual([CLOSE_CODES.policy, CLOSE_CODES.tooBig, CLOSE_CODES.policy, CLOSE_CODES.policy]);
    expect(await Promise.all(hostile)).toEqual(Array(5).fill('HTTP 401'));
    clearInterval(produce);
    await waitFor(() => good.every((g) => g.records().length === sent), 'every record at the good clients');
    for (const g of good) {
      expect(g.records().map((r) => r.offset)).toEqual([...Array(sent).keys()]);
      expect(g.of('gap')).toEqual([]);
      expect(g.ws.readyState).toBe(WebSocket.OPEN);
    }
  });
});
