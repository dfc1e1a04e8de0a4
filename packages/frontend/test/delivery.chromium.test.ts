// biome-ignore-all lint/suspicious/noExplicitAny: page code reads window.client
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeOptions } from '../../bridge/src/index.js';
import { hasChromium, launch, PAGE, Service, sdkScript, waitFor } from './harness.js';

/**
 * The browser SDK in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * against a real bridge and logger on 127.0.0.1. The page and the SDK are served by route
 * handlers (so a reload works while the context is offline); everything else is real network.
 */
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
  options: Record<string, unknown> = {},
  bridge: BridgeOptions = {},
  before?: (page: Page) => Promise<unknown>,
) {
  const svc = await new Service({ limits: { ingestRecordsPerSecond: 100_000 }, ...bridge }).start();
  cleanups.push(() => svc.stop());
  const context: BrowserContext = await browser.newContext();
  cleanups.push(() => context.close());
  await context.route('**/app*', (r) => r.fulfill({ contentType: 'text/html', body: PAGE }));
  await context.route('**/sdk.js', (r) => r.fulfill({ contentType: 'text/javascript', body: sdk }));
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await before?.(page);
  const o = {
    batch: { maxDelayMs: 20 },
    retry: { baseMs: 50, maxMs: 500 },
    offline: { name: `t${Math.random()}` },
    ...options,
  };
  const url = `${svc.url}/app?o=${encodeURIComponent(JSON.stringify(o))}`;
  await page.goto(url);
  return { svc, context, page, url, errors };
}

/** Each browser record logged once; returns the messages. */
function exactlyOnce(svc: Service, n: number): void {
  const counts = svc.counts();
  const doubled = [...counts].filter(([, c]) => c !== 1);
  expect(doubled).toEqual([]);
  expect(counts.size).toBe(n);
}

describe.skipIf(!hasChromium)('@hydra-logger/frontend in Chromium', () => {
  it('200 records from a page reach the server logger exactly once', async () => {
    const { svc, page, errors } = await setup({ transport: 'ws' });
    const stats = await page.evaluate(async () => {
      const c = (window as any).client;
      for (let i = 0; i < 200; i++) c.info('APP', `record ${i}`, { i });
      await c.flush();
      return c.getStats();
    });
    expect(stats).toMatchObject({ queued: 0, acked: 200, dropped: {} });
    exactlyOnce(svc, 200);
    const lines = svc.lines().filter((l) => l.client !== undefined);
    expect(new Set(lines.map((l) => l.message))).toEqual(
      new Set(Array.from({ length: 200 }, (_, i) => `record ${i}`)),
    );
    expect(lines[0]).toMatchObject({ layer: 'APP', level: 'INFO' });
    expect(errors).toEqual([]);
  });

  it('offline → 1,000 records → reload → online: all 1,000 exactly once', async () => {
    const { svc, page, context } = await setup();
    await context.setOffline(true);
    await page.evaluate(() => {
      const c = (window as any).client;
      for (let i = 0; i < 1000; i++) c.info(`offline ${i}`, { i });
    });
    await waitFor(
      () => page.evaluate(() => (window as any).client.getStats().stored === 1000),
      'the outbox to hold 1,000',
    );
    expect(svc.counts().size).toBe(0);
    await page.reload();
    await context.setOffline(false);
    await waitFor(
      () => svc.counts().size === 1000 && page.evaluate(() => (window as any).client.getStats().queued === 0),
      'the 1,000 records',
    );
    exactlyOnce(svc, 1000);
  });

  it('bridge killed and restarted mid-stream (acks lost): nothing lost, nothing doubled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-persist-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { svc, page } = await setup({ transport: 'ws' }, { persist: { dir } });
    // The page's WebSockets swallow the bridge's acks while window.dropAcks is set: the records
    // are logged, the page never hears so, and resends them to the restarted bridge.
    await page.addInitScript(() => {
      const d = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage') as PropertyDescriptor;
      Object.defineProperty(WebSocket.prototype, 'onmessage', {
        ...d,
        set(fn: (ev: MessageEvent) => void) {
          d.set?.call(this, (ev: MessageEvent) => {
            if (!((window as any).dropAcks && String(ev.data).includes('"type":"ack"'))) fn(ev);
          });
        },
      });
    });
    const dropAcks = (on: boolean) => page.evaluate((v) => void ((window as any).dropAcks = v), on);
    await page.reload();
    const log = (from: number, to: number) =>
      page.evaluate(
        ([a, b]) => {
          for (let i = a; i < b; i++) (window as any).client.info(`stream ${i}`, { i });
        },
        [from, to],
      );
    await log(0, 100);
    await page.evaluate(() => (window as any).client.flush());
    await dropAcks(true);
    await log(100, 200);
    await waitFor(() => svc.counts().size === 200, 'the bridge to log 200');
    await svc.restart();
    await dropAcks(false);
    await log(200, 300);
    await page.evaluate(() => (window as any).client.flush());
    exactlyOnce(svc, 300);
    // The restarted bridge saw the resends and knew them from its journal.
    expect(svc.plugin.bridge.stats().ingest.duplicates).toBeGreaterThanOrEqual(100);
  });

  it('page closed with pending records: they arrive by sendBeacon', async () => {
    // The WebSocket cannot connect (and transport 'ws' has no HTTP fallback): records wait.
    const { svc, page } = await setup({ transport: 'ws' }, {}, (p) =>
      p.routeWebSocket(/\/hydra\/ws$/, (ws) => ws.close()),
    );
    await page.evaluate(() => {
      const c = (window as any).client;
      for (let i = 0; i < 150; i++) c.info(`pending ${i}`, { i });
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await page.evaluate(() => (window as any).client.getStats())).toMatchObject({
      queued: 150,
      acked: 0,
    });
    expect(svc.counts().size).toBe(0);
    await page.close({ runBeforeUnload: true });
    await waitFor(() => svc.counts().size === 150, 'the beaconed records');
    exactlyOnce(svc, 150);
  });
});
