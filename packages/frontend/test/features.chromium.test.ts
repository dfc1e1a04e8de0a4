// biome-ignore-all lint/suspicious/noExplicitAny: page code reads window.client

import type { AddressInfo, Socket } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, PAGE, Service, sdkScript, waitFor } from './harness.js';

/** Secrets, captured errors, trace context and the HTTP fallback, in a real Chromium. */
let browser: Browser;
let sdk: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  sdk = await sdkScript();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  options: Record<string, unknown>,
  before?: (page: Page, svc: Service) => Promise<void> | void,
  ringMaxRecords?: number,
) {
  const limits = {
    ingestRecordsPerSecond: 100_000,
    ...(ringMaxRecords === undefined ? {} : { ringMaxRecords }),
  };
  const svc = await new Service({ limits }).start();
  cleanups.push(() => svc.stop());
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  await context.route('**/app*', (r) => r.fulfill({ contentType: 'text/html', body: PAGE }));
  await context.route('**/sdk.js', (r) => r.fulfill({ contentType: 'text/javascript', body: sdk }));
  const page = await context.newPage();
  await before?.(page, svc);
  const o = {
    batch: { maxDelayMs: 20 },
    retry: { baseMs: 50, maxMs: 500 },
    offline: { name: `t${Math.random()}` },
    ...options,
  };
  await page.goto(`${svc.url}/app?o=${encodeURIComponent(JSON.stringify(o))}`);
  return { svc, page };
}

describe.skipIf(!hasChromium)('@hydra-logger/frontend in Chromium: security and context', () => {
  it('a secret logged in the page never appears in any WebSocket frame or request body', async () => {
    const SECRETS = ['hunter2-very-secret', 'alice.secret@example.com', '4111 1111 1111 1111'];
    const wire: string[] = [];
    const { svc, page } = await setup({ transport: 'ws' }, async (p) => {
      p.on('websocket', (ws) => ws.on('framesent', (f) => wire.push(String(f.payload))));
      p.on('request', (r) => wire.push(r.postData() ?? ''));
    });
    await page.evaluate((s) => {
      const c = (window as any).client;
      c.info('login', { password: s[0], user: { email: s[1] } });
      c.warn(`card ${s[2]} used by ${s[1]}`);
      c.child({ apiKey: s[0] }).error('failed', new Error(`token=${s[0]}`));
      return c.flush();
    }, SECRETS);
    // The same records again at page exit, by sendBeacon.
    await page.evaluate((s) => {
      const c = (window as any).client;
      c.info('exit', { password: s[0], note: s[1] });
    }, SECRETS);
    await page.close({ runBeforeUnload: true });
    await waitFor(() => svc.counts().size === 4, 'the records');
    const frames = wire.join('\n');
    expect(frames).toContain('"type":"logs"');
    expect(frames).toContain('[REDACTED]');
    for (const s of SECRETS) expect(frames).not.toContain(s);
    const server = JSON.stringify(svc.lines());
    for (const s of SECRETS) expect(server).not.toContain(s);
  });

  it('captureErrors: error and unhandledrejection become ERROR records with stacks; traceparent joins page and server records', async () => {
    const { svc, page } = await setup({ captureErrors: true, traceparent: 'fetch' });
    await page.evaluate(async () => {
      const c = (window as any).client;
      setTimeout(() => {
        throw new Error('boom in a timer');
      });
      Promise.reject(new Error('nobody caught this'));
      await new Promise((r) => setTimeout(r, 50));
      await fetch('/api');
      c.info('clicked buy');
      await c.flush();
    });
    const lines = svc.lines();
    const boom = lines.find((l) => String(l.message).includes('boom in a timer')) as any;
    expect(boom).toMatchObject({ level: 'ERROR' });
    expect(JSON.stringify(boom)).toContain('at ');
    const rejection = lines.find((l) => l.message === 'Unhandled rejection') as any;
    expect(JSON.stringify(rejection)).toContain('nobody caught this');
    const click = lines.find((l) => l.message === 'clicked buy') as any;
    const api = lines.find((l) => l.message === 'api call') as any;
    expect(JSON.stringify(api)).toContain(String(click.traceId ?? click.fields?.traceId));
    expect(String(click.traceId ?? click.fields?.traceId)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('HTTP fallback when the WebSocket is blocked', async () => {
    const { svc, page } = await setup({}, async (p) => {
      await p.routeWebSocket(/\/hydra\/ws$/, (ws) => ws.close());
    });
    const stats = await page.evaluate(async () => {
      const c = (window as any).client;
      for (let i = 0; i < 120; i++) c.info(`over http ${i}`);
      await c.flush();
      return c.getStats();
    });
    expect(stats).toMatchObject({ transport: 'http', queued: 0, acked: 120 });
    expect(svc.counts().size).toBe(120);
    expect([...svc.counts().values()].every((n) => n === 1)).toBe(true);
  });

  it('a bridge that accepts connections and never answers does not stall delivery: the WebSocket and the request are given up after retry.timeoutMs', async () => {
    // A TCP server that reads and never writes: the WebSocket stays CONNECTING, requests wait.
    const seen: string[] = [];
    const held: Socket[] = [];
    const hang = createNetServer((sock) => {
      held.push(sock);
      sock.once('data', (d) => seen.push(String(d).split('\r\n')[0] as string));
    });
    await new Promise<void>((ok) => hang.listen(0, '127.0.0.1', ok));
    cleanups.push(() => {
      for (const s of held) s.destroy();
      return new Promise((ok) => hang.close(ok));
    });
    const port = (hang.address() as AddressInfo).port;
    const retry = { baseMs: 20, maxMs: 100, timeoutMs: 300 };
    const { page } = await setup({ url: `http://127.0.0.1:${port}/hydra`, retry });
    await page.evaluate(() => (window as any).client.info('to nowhere'));
    // Two WebSocket attempts, each given up, then the HTTP fallback, whose requests are given up too.
    await waitFor(
      () => seen.filter((l) => l.includes('/hydra/ingest')).length >= 2,
      'requests after the WebSockets',
    );
    expect(seen.filter((l) => l.startsWith('GET /hydra/ws')).length).toBe(2);
    expect(await page.evaluate(() => (window as any).client.getStats())).toMatchObject({
      transport: 'http',
      queued: 1,
    });

    // Same origin, over HTTP: the first request is held forever; the records still arrive, once.
    const { svc, page: page2 } = await setup({ transport: 'http', retry }, async (p) => {
      let first = true;
      await p.route('**/hydra/ingest', (r) => {
        if (first) first = false;
        else void r.continue();
      });
    });
    const stats = await page2.evaluate(async () => {
      const c = (window as any).client;
      for (let i = 0; i < 30; i++) c.info(`held ${i}`);
      await c.flush();
      return c.getStats();
    });
    expect(stats).toMatchObject({ transport: 'http', queued: 0, acked: 30 });
    expect(svc.counts().size).toBe(30);
    expect([...svc.counts().values()].every((n) => n === 1)).toBe(true);
  });

  it('retry.timeoutMs that is not a usable delay counts as the default: the page still connects and delivers', async () => {
    for (const timeoutMs of [-1, 'soon', 2 ** 40]) {
      let sockets = 0;
      const retry = { baseMs: 50, maxMs: 500, timeoutMs };
      const { svc, page } = await setup({ transport: 'ws', retry }, (p) => {
        p.on('websocket', () => sockets++);
      });
      const stats = await page.evaluate(async () => {
        const c = (window as any).client;
        c.info('with an odd timeout');
        await c.flush();
        return c.getStats();
      });
      expect(stats).toMatchObject({ transport: 'ws', queued: 0, acked: 1 });
      expect(svc.counts().size).toBe(1);
      // The first connection was kept (not given up before the bridge's hello).
      expect(sockets).toBe(1);
    }
  });

  it("the seed's example: new HydraLoggerClient(url string), info, and onLog receives the backend's records live", async () => {
    const { svc, page } = await setup({});
    await page.evaluate((url) => {
      const w = window as any;
      w.logger = new w.HydraFrontend.HydraLoggerClient(url);
      w.seen = [];
      w.stop = w.logger.onLog((log: any) => w.seen.push(log.message), { minLevel: 'INFO' });
    }, `ws://127.0.0.1:${svc.port}/logs`);
    await waitFor(() => svc.plugin.bridge.stats().subscriptions >= 1, 'the subscription');
    svc.logger.info('APP', 'from the backend');
    svc.logger.debug('APP', 'filtered out');
    await page.evaluate(() =>
      (window as any).logger.info('Frontend event', { user_id: 123, action: 'click' }),
    );
    await page.evaluate(() => (window as any).logger.flush());
    await waitFor(
      () => page.evaluate(() => (window as any).seen.includes('Frontend event')),
      'the page record, back live',
    );
    const seen = await page.evaluate(() => (window as any).seen);
    expect(seen).toContain('from the backend');
    expect(seen).not.toContain('filtered out');
    const line = svc.lines().find((l) => l.message === 'Frontend event') as any;
    expect(JSON.stringify(line)).toContain('"user_id":123');
  });

  it('onLog cut off before its first record resumes where it started: every record logged meanwhile arrives, once, in order', async () => {
    const sockets: Duplex[] = [];
    const received: string[] = [];
    const { svc, page } = await setup({ transport: 'ws' }, (p, s) => {
      s.server.on('upgrade', (_req, socket: Duplex) => sockets.push(socket));
      p.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    });
    await page.evaluate(() => {
      const w = window as any;
      w.seen = [];
      w.client.onLog((r: any) => w.seen.push(r.message));
    });
    await waitFor(() => received.some((f) => f.includes('"type":"subscribed"')), 'the subscription');
    // The connection drops (no close handshake) before any record; the backend logs meanwhile.
    for (const s of sockets) s.destroy();
    for (let i = 0; i < 5; i++) svc.logger.info('APP', `while away ${i}`);
    await waitFor(() => svc.plugin.bridge.stats().subscriptions >= 1 && sockets.length > 1, 'the reconnect');
    svc.logger.info('APP', 'after');
    await waitFor(
      () => page.evaluate(() => (window as any).seen.includes('after')),
      'the record logged after the reconnect',
    );
    expect(await page.evaluate(() => (window as any).seen)).toEqual([
      'while away 0',
      'while away 1',
      'while away 2',
      'while away 3',
      'while away 4',
      'after',
    ]);
  });

  it('onLog reports what the bridge no longer holds after a long disconnection to its gap callback, then the rest', async () => {
    const sockets: Duplex[] = [];
    const { svc, page } = await setup(
      { transport: 'ws' },
      (_p, s) => {
        s.server.on('upgrade', (_req, socket: Duplex) => sockets.push(socket));
      },
      5,
    );
    await page.evaluate(() => {
      const w = window as any;
      w.seen = [];
      w.gaps = [];
      w.client.onLog(
        (r: any) => w.seen.push(r.message),
        {},
        (g: any) => w.gaps.push({ from: g.from, to: g.to, count: g.count, reason: g.reason }),
      );
    });
    await waitFor(() => svc.plugin.bridge.stats().subscriptions >= 1, 'the subscription');
    svc.logger.info('APP', 'r0');
    await waitFor(() => page.evaluate(() => (window as any).seen.includes('r0')), 'the first record');
    // Cut off; 20 records are logged meanwhile, of which the ring (5 records) keeps the last 5.
    for (const s of sockets) s.destroy();
    for (let i = 1; i <= 20; i++) svc.logger.info('APP', `r${i}`);
    await waitFor(
      () => page.evaluate(() => (window as any).seen.includes('r20')),
      'the records after the gap',
    );
    expect(await page.evaluate(() => (window as any).gaps)).toEqual([
      { from: 1, to: 15, count: 15, reason: 'evicted' },
    ]);
    expect(await page.evaluate(() => (window as any).seen)).toEqual([
      'r0',
      'r16',
      'r17',
      'r18',
      'r19',
      'r20',
    ]);
  });
});
