import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HydraLogger } from 'hydra-logger';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketBridgePlugin } from '../src/index.js';
import { ready, waitFor } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const memoryLogger = () =>
  new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
  });

describe('WebSocketBridgePlugin', () => {
  it('starts listening as soon as it is added when given a port (the README example, on a free port)', async () => {
    const logger = memoryLogger();
    cleanups.push(() => logger.close());
    const plugin = new WebSocketBridgePlugin({ port: 0 });
    logger.addPlugin('websocket_bridge', plugin);
    const { port } = (await plugin.listening) as AddressInfo;
    expect(plugin.bridge.address?.port).toBe(port);
    const c = await ready(port, { path: '/logs' });
    c.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => plugin.bridge.stats().subscriptions === 1, 'the subscription');
    logger.info('hello from the server', { n: 1 });
    await waitFor(() => c.records().length === 1, 'the record');
    expect(c.records()[0]).toMatchObject({ message: 'hello from the server', n: 1, layer: 'DEFAULT' });
    expect(logger.getPluginInsights().websocket_bridge?.insights).toMatchObject({ ring: { records: 1 } });
  });

  it('attaches to an existing HTTP server and leaves its other routes alone', async () => {
    const server = createServer((_req, res) => res.end('app says hi'));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise((ok) => server.close(ok)));
    const logger = memoryLogger();
    cleanups.push(() => logger.close());
    const plugin = new WebSocketBridgePlugin().attach(server);
    logger.addPlugin('bridge', plugin);
    const { port } = server.address() as AddressInfo;
    expect(await (await fetch(`http://127.0.0.1:${port}/anything`)).text()).toBe('app says hi');
    const health = await (await fetch(`http://127.0.0.1:${port}/hydra/health`)).json();
    expect(health).toMatchObject({ ok: true, epoch: plugin.bridge.epoch });
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 's', since: { last: 10 } });
    logger.info('APP', 'through the app server');
    await waitFor(() => c.records().length === 1, 'the record');
    await plugin.close();
    // The server is the application's: still serving, its own handler back in place.
    expect(server.listening).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/hydra/health`)).text()).toBe('app says hi');
  });

  it('closes its bridge when the logger closes, and close() is idempotent', async () => {
    const logger = memoryLogger();
    const plugin = new WebSocketBridgePlugin();
    logger.addPlugin('bridge', plugin);
    const { port } = await plugin.listen({ port: 0 });
    const c = await ready(port);
    await logger.close();
    await c.closed;
    expect(c.closeCode).toBe(1001);
    await plugin.close();
    await expect(fetch(`http://127.0.0.1:${port}/hydra/health`)).rejects.toThrow();
  });

  it('reports a port it cannot listen on as an error event', async () => {
    const first = new WebSocketBridgePlugin();
    const { port } = await first.listen({ port: 0 });
    cleanups.push(() => first.close());
    const logger = memoryLogger();
    cleanups.push(() => logger.close());
    const second = new WebSocketBridgePlugin({ port });
    const errors: Error[] = [];
    second.bridge.on('error', (e: Error) => errors.push(e));
    logger.addPlugin('bridge', second);
    await expect(second.listening).rejects.toThrow(/EADDRINUSE/);
    expect(errors[0]?.message).toMatch(/EADDRINUSE/);
  });

  it('streams every layer through the tap of its logger: the json line the logger wrote, with its offset; fields named offset renamed, secrets redacted', async () => {
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'memory', format: 'json', name: 'json' }] },
          TEXT: { destinations: [{ type: 'memory', format: 'plain-text', name: 'text' }] },
        },
      },
    });
    cleanups.push(() => logger.close());
    const plugin = new WebSocketBridgePlugin();
    logger.addPlugin('bridge', plugin);
    const { port } = await plugin.listen({ port: 0 });
    const c = await ready(port);
    c.send({ type: 'subscribe', sub: 's' });
    await waitFor(() => plugin.bridge.stats().subscriptions === 1, 'the subscription');
    logger.info('first', { offset: 7, password: 'hunter2', page: { offset: 3 } });
    logger.info('TEXT', 'plain text only', { n: 1 });
    logger.warn('héllo 日本 🙂', { empty: {} });
    await waitFor(() => c.records().length === 3, 'the records');
    const [a, b, d] = c.records() as Record<string, unknown>[];
    const written = JSON.parse(logger.memory('json')?.lines()[0] as string) as Record<string, unknown>;
    const { offset: own, ...rest } = written;
    expect(own).toBe(7);
    expect(a).toEqual({ ...rest, _offset: 7, offset: 0 });
    expect(a?.password).toBe('[REDACTED]');
    expect(b).toMatchObject({ layer: 'TEXT', message: 'plain text only', n: 1, offset: 1 });
    expect(d).toMatchObject({ level: 'WARNING', message: 'héllo 日本 🙂', empty: {}, offset: 2 });
    expect(plugin.bridge.stats().ring).toMatchObject({ first: 0, next: 3, records: 3 });
  });

  it('refuses options it does not understand with a clear error', () => {
    expect(() => new WebSocketBridgePlugin({ path: 'hydra' })).toThrow(/path must start with/);
    expect(() => new WebSocketBridgePlugin({ limits: { ringMaxRecords: -1 } })).toThrow(/positive number/);
    expect(() => new WebSocketBridgePlugin({ limits: { ringSize: 5 } as never })).toThrow(
      /not a bridge limit/,
    );
    expect(() => new WebSocketBridgePlugin({ tokenSecret: 'short' })).toThrow(/at least 16 bytes/);
    expect(() => new WebSocketBridgePlugin({ anonymousRole: 'root' })).toThrow(/no role named/);
    expect(() => new WebSocketBridgePlugin({ backplane: { redis: 'x' } })).toThrow(
      /backplane\.redis must be/,
    );
  });
});
