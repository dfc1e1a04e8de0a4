import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { HydraLogger } from 'hydra-logger';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-dashboard.mjs';
import { type BridgeOptions, createToken, WebSocketBridgePlugin } from '../../src/index.js';
import { waitFor } from '../helpers.js';

/**
 * The dashboard in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core), served
 * by a real bridge fed by a real logger. One browser for the file, a fresh context per test.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `dashboard tests skipped: ${CHROMIUM} is missing (install it: apt-get install -y chromium; CI does, in .ci/run)`,
  );

const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, '__screenshots__');
/** Generous: a wait, not a timing assertion (2 shared cores, busy neighbours). */
const WAIT = 15_000;

let browser: Browser;
let dashboardDir: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  dashboardDir = await buildDashboard(mkdtempSync(join(tmpdir(), 'hydra-dashboard-')));
  mkdirSync(SHOTS, { recursive: true });
  // launch() gives every run a fresh, temporary user-data dir.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  console.log(`dashboard screenshots: ${SHOTS}`);
});

afterAll(async () => {
  await browser?.close();
  if (dashboardDir !== undefined) rmSync(dashboardDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A logger writing JSON lines to memory, with the bridge plugin on 127.0.0.1 and a free port. */
async function service(options: BridgeOptions = {}, port = 0) {
  const logger = new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
  });
  const plugin = new WebSocketBridgePlugin({ dashboardDir, port, host: '127.0.0.1', ...options });
  logger.addPlugin('bridge', plugin);
  const address = await (plugin.listening as Promise<{ port: number }>);
  cleanups.push(() => logger.close());
  return { logger, plugin, bridge: plugin.bridge, port: address.port };
}

interface Opened {
  page: Page;
  context: BrowserContext;
  /** Text frames the page sent, parsed. */
  sent: Record<string, unknown>[];
  /** Uncaught page errors and CSP violations. */
  problems: string[];
}

async function open(port: number, query = ''): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const sent: Record<string, unknown>[] = [];
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string') sent.push(JSON.parse(f.payload) as Record<string, unknown>);
    }),
  );
  await page.goto(`http://127.0.0.1:${port}/hydra/${query}`, { waitUntil: 'domcontentloaded' });
  return { page, context, sent, problems };
}

/** Waits until the page says live and the bridge holds its subscription. */
async function live(o: Opened, bridge: { stats(): { subscriptions: number } }): Promise<void> {
  await o.page.waitForSelector('#state[data-state="live"]', { timeout: WAIT });
  await waitFor(() => bridge.stats().subscriptions >= 1, 'the page to subscribe', WAIT);
}

interface RowView {
  offset: string;
  gap: boolean;
  cls: string;
  time: string;
  level: string;
  layer: string;
  message: string;
  extras: string;
}

/** The rows in the DOM, top to bottom. */
async function rows(page: Page): Promise<RowView[]> {
  const list = (await page.evaluate(`[...document.querySelectorAll('#list .row:not([hidden])')]
    .map((r) => ({
      y: new DOMMatrixReadOnly(getComputedStyle(r).transform).m42,
      offset: r.dataset.offset,
      gap: r.classList.contains('gap'),
      cls: r.className,
      cells: [...r.children].map((c) => c.textContent),
    }))`)) as { y: number; offset: string; gap: boolean; cls: string; cells: string[] }[];
  return list
    .sort((a, b) => a.y - b.y)
    .map(({ offset, gap, cls, cells }) => {
      const [time = '', level = '', layer = '', message = '', extras = ''] = cells;
      return { offset, gap, cls, time, level, layer, message, extras };
    });
}

/**
 * Polls a page expression until it is truthy. (`page.waitForFunction` with a string needs
 * `eval`, which the dashboard's CSP forbids, as it should.)
 */
async function until(page: Page, expression: string, what: string): Promise<void> {
  const end = Date.now() + WAIT;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${expression})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const shown = (page: Page, n: number) =>
  page.waitForSelector(`#counts[data-shown="${n}"]`, { state: 'attached', timeout: WAIT });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  it('serves the page and its assets with their content types and a strict CSP; dashboard: false serves nothing', async () => {
    const { port } = await service();
    const page = await fetch(`http://127.0.0.1:${port}/hydra/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style>| style=|https?:\/\//);
    for (const [path, type] of [
      ['/hydra/index.html', 'text/html; charset=utf-8'],
      ['/hydra/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/hydra/assets/app.css', 'text/css; charset=utf-8'],
      ['/hydra/assets/icon.svg', 'image/svg+xml'],
    ] as const) {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toBe(type);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const redirect = await fetch(`http://127.0.0.1:${port}/hydra`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/hydra/');
    expect((await fetch(`http://127.0.0.1:${port}/hydra/assets/nope.js`)).status).toBe(404);

    const off = await service({ dashboard: false });
    expect((await fetch(`http://127.0.0.1:${off.port}/hydra/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${off.port}/hydra/assets/app.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${off.port}/hydra/health`)).status).toBe(200);
  });

  it('shows records as they are logged: time, level (coloured), layer, message, fields', async () => {
    const { logger, bridge, port } = await service();
    logger.info('APP', 'before the page opened', { n: 0 });
    const o = await open(port);
    await live(o, bridge);
    await shown(o.page, 1); // the backfill
    logger.info('APP', 'user signed in', { user: { id: 42, name: 'ann' }, password: 'hunter2' });
    logger.warn('DB', 'slow query', { ms: 250, table: 'orders' });
    logger.error('API', 'upstream failed', { status: 502, route: '/checkout' });
    logger.critical('PAYMENTS', 'card processor down', { region: 'eu-west-1' });
    await o.page.waitForSelector('#list .row >> text=card processor down', { timeout: WAIT });
    const r = await rows(o.page);
    expect(r.map((x) => [x.offset, x.level, x.layer, x.message])).toEqual([
      ['0', 'INFO', 'APP', 'before the page opened'],
      ['1', 'INFO', 'APP', 'user signed in'],
      ['2', 'WARNING', 'DB', 'slow query'],
      ['3', 'ERROR', 'API', 'upstream failed'],
      ['4', 'CRITICAL', 'PAYMENTS', 'card processor down'],
    ]);
    expect(r[1]?.extras).toBe('user={"id":42,"name":"ann"} password=[REDACTED]');
    expect(r[3]?.cls).toContain('lv-error');
    expect(r[0]?.time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(await o.page.textContent('#counts')).toContain('5 received');
    const colours = (await o.page.evaluate(`[...document.querySelectorAll('#list .row:not([hidden]) .lv')]
      .map((e) => getComputedStyle(e).color)`)) as string[];
    expect(new Set(colours).size).toBe(4); // INFO, WARNING, ERROR, CRITICAL each have their own colour
    // More traffic for the chart, then a look at the page.
    for (let i = 0; i < 40; i++) logger.info('WORKER', 'job step', { job: i % 5, step: i });
    await shown(o.page, 45);
    await o.page.waitForTimeout(600); // one chart redraw
    await shot(o.page, 'live');
    expect(o.problems).toEqual([]);
  });

  it('filters by layer, level, text and field: at the bridge (subscribe filter) and on screen', async () => {
    const { logger, bridge, port } = await service();
    const o = await open(port);
    await live(o, bridge);
    const layers = ['APP', 'DB', 'API'];
    const levels = [
      ['info', 'INFO'],
      ['warn', 'WARNING'],
      ['error', 'ERROR'],
    ] as const;
    const logged = Array.from({ length: 24 }, (_, i) => ({
      layer: layers[i % 3] as string,
      level: levels[Math.floor(i / 3) % 3] as (typeof levels)[number],
      message: `msg ${i}${i % 7 === 0 ? ' needle' : ''}`,
      fields: { user: { id: i % 4 }, ok: i % 2 === 0 },
    }));
    for (const r of logged) logger[r.level[0]](r.layer, r.message, r.fields);
    await shown(o.page, 24);
    const page = o.page;
    const lastSubscribe = () =>
      o.sent.filter((f) => f.type === 'subscribe').at(-1) as Record<string, unknown>;
    const subscribed = (filter: unknown) =>
      waitFor(
        () => JSON.stringify(lastSubscribe().filter) === JSON.stringify(filter),
        `a subscribe with ${JSON.stringify(filter)}`,
        WAIT,
      );
    const messages = async () => (await rows(page)).map((r) => r.message);

    await page.fill('#filter-layer', 'DB');
    await subscribed({ layers: ['DB'] });
    expect(lastSubscribe().since).toEqual({ last: 1000 });
    const db = logged.filter((r) => r.layer === 'DB').map((r) => r.message);
    await shown(page, db.length);
    expect(await messages()).toEqual(db);
    // Live records: the bridge sends only what matches.
    logger.info('APP', 'not for this view');
    logger.info('DB', 'for this view');
    await shown(page, db.length + 1);
    expect(await messages()).toEqual([...db, 'for this view']);
    logged.push(
      { layer: 'APP', level: levels[0], message: 'not for this view', fields: undefined as never },
      { layer: 'DB', level: levels[0], message: 'for this view', fields: undefined as never },
    );
    await page.fill('#filter-layer', '');
    await subscribed({});
    await shown(page, logged.length);

    await page.selectOption('#filter-level', '30');
    await subscribed({ minLevel: 30 });
    const warnings = logged.filter((r) => r.level[1] !== 'INFO');
    await shown(page, warnings.length);
    expect((await rows(page)).map((r) => r.level)).toEqual(warnings.map((r) => r.level[1]));
    await page.selectOption('#filter-level', '0');
    await subscribed({});

    await page.fill('#filter-text', 'NEEDLE');
    await subscribed({ text: 'NEEDLE' });
    await shown(page, 4);
    expect(await messages()).toEqual(['msg 0 needle', 'msg 7 needle', 'msg 14 needle', 'msg 21 needle']);
    await page.fill('#filter-text', '');
    await subscribed({});

    await page.fill('#filter-field', 'user.id=2 ok=true');
    await subscribed({ fields: { 'user.id': 2, ok: true } });
    await shown(page, 6);
    expect((await messages()).map((m) => m.replace(' needle', ''))).toEqual([
      'msg 2',
      'msg 6',
      'msg 10',
      'msg 14',
      'msg 18',
      'msg 22',
    ]);
    await shot(page, 'filters');
    await page.fill('#filter-field', 'user.id');
    await page.waitForSelector('#filter-field.invalid', { timeout: WAIT });
    await page.fill('#filter-field', '');
    await shown(page, 26);
    expect(o.problems).toEqual([]);
  });

  it('pause keeps the cursor; resume catches up from the ring, or shows a gap marker for what it lost', async () => {
    const { logger, bridge, port } = await service({ limits: { ringMaxRecords: 50 } });
    const o = await open(port);
    const page = o.page;
    await live(o, bridge);
    for (let i = 0; i < 5; i++) logger.info('APP', `r${i}`);
    await shown(page, 5);

    await page.click('#pause');
    await page.waitForSelector('#state[data-state="paused"]', { timeout: WAIT });
    await waitFor(() => bridge.stats().subscriptions === 0, 'the unsubscribe', WAIT);
    for (let i = 5; i < 10; i++) logger.info('APP', `r${i}`);
    await page.waitForTimeout(300);
    expect((await rows(page)).map((r) => r.message)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    await shot(page, 'paused');

    await page.keyboard.press('p'); // resume
    await shown(page, 10);
    expect(o.sent.filter((f) => f.type === 'subscribe').at(-1)).toMatchObject({
      since: { epoch: bridge.epoch, offset: 4 },
    });
    expect((await rows(page)).map((r) => r.message)).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
      'r8',
      'r9',
    ]);

    // Paused while the ring (50 records) moves past the cursor: a gap marker, then what is left.
    await page.keyboard.press('p');
    await waitFor(() => bridge.stats().subscriptions === 0, 'the unsubscribe', WAIT);
    for (let i = 10; i < 130; i++) logger.info('APP', `r${i}`);
    await page.keyboard.press('p');
    await page.waitForSelector('#counts[data-gaps="1"]', { state: 'attached', timeout: WAIT });
    await shown(page, 10 + 1 + 50);
    await page.waitForSelector('#list .row[data-offset="129"]', { timeout: WAIT });
    expect((await rows(page)).at(-1)?.message).toBe('r129');
    await page.keyboard.press('Home');
    await page.waitForSelector('#list .row.gap', { timeout: WAIT });
    const top = await rows(page);
    const gapAt = top.findIndex((r) => r.gap);
    expect(top.slice(0, gapAt).map((r) => r.message)).toEqual(top.slice(0, 10).map((_, i) => `r${i}`));
    expect(top[gapAt]?.message).toBe('70 records missed (evicted)');
    expect(top[gapAt]?.extras).toBe('offsets 10–79');
    expect(top[gapAt + 1]?.message).toBe('r80');
    await page.click('#list .row.gap');
    await page.waitForSelector('#detail:not([hidden])', { timeout: WAIT });
    await shot(page, 'gap');
    expect(o.problems).toEqual([]);
  });

  it('holds 100,000 records with a bounded number of rows in the DOM; the end shows the last record', async () => {
    const { logger, bridge, port } = await service({
      limits: { ringMaxRecords: 120_000, ringMaxBytes: 256 * 1024 * 1024 },
    });
    const o = await open(port);
    const page = o.page;
    await live(o, bridge);
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      logger.info(i % 3 === 0 ? 'DB' : 'APP', `record ${i}`, { i, user: { id: i % 97 } });
      if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
    }
    await page.waitForSelector(`#counts[data-received="${N}"]`, { state: 'attached', timeout: 45_000 });
    const domRows = async () =>
      (await page.evaluate(`document.querySelectorAll('#list .row').length`)) as number;
    expect(await domRows()).toBeLessThan(100);
    expect(await page.evaluate(`document.querySelector('#list .sizer').offsetHeight`)).toBe(N * 20);
    // Following the tail: the last record is on screen.
    await page.waitForSelector(`#list .row[data-offset="${N - 1}"]:not([hidden])`, { timeout: WAIT });
    expect((await rows(page)).at(-1)?.message).toBe(`record ${N - 1}`);
    // To the top, to the middle, back to the end (keyboard), still few rows in the DOM.
    await page.keyboard.press('Home');
    await page.waitForSelector('#list .row[data-offset="0"]:not([hidden])', { timeout: WAIT });
    expect((await rows(page))[0]?.message).toBe('record 0');
    await page.evaluate(`document.getElementById('list').scrollTop = 50000 * 20`);
    await page.waitForSelector('#list .row[data-offset="50000"]:not([hidden])', { timeout: WAIT });
    expect(await domRows()).toBeLessThan(100);
    await page.keyboard.press('End');
    await page.waitForSelector(`#list .row[data-offset="${N - 1}"]:not([hidden])`, { timeout: WAIT });
    const last = await rows(page);
    expect(last.at(-1)?.message).toBe(`record ${N - 1}`);
    expect(await domRows()).toBeLessThan(100);
    await shot(page, 'hundred-thousand');
    expect(o.problems).toEqual([]);
  });

  it('a bridge restart: the page reconnects with since { epoch, offset } and marks the new epoch with a gap row', async () => {
    const first = await service();
    const o = await open(first.port);
    const page = o.page;
    await live(o, first.bridge);
    for (let i = 0; i < 3; i++) first.logger.info('APP', `before ${i}`);
    await shown(page, 3);
    const oldEpoch = first.bridge.epoch;

    first.logger.removePlugin('bridge');
    await first.bridge.close();
    await page.waitForSelector('#state[data-state="reconnecting"]', { timeout: WAIT });
    const subscribes = o.sent.filter((f) => f.type === 'subscribe').length;

    const plugin = new WebSocketBridgePlugin({ dashboardDir, port: first.port, host: '127.0.0.1' });
    first.logger.addPlugin('bridge', plugin);
    await plugin.listening;
    cleanups.push(() => plugin.close());
    await page.waitForSelector('#state[data-state="live"]', { timeout: WAIT });
    await waitFor(
      () => o.sent.filter((f) => f.type === 'subscribe').length > subscribes,
      'the resubscribe',
      WAIT,
    );
    expect(o.sent.filter((f) => f.type === 'subscribe').at(-1)).toMatchObject({
      since: { epoch: oldEpoch, offset: 2 },
    });
    await page.waitForSelector('#list .row.gap', { timeout: WAIT });
    first.logger.info('APP', 'after the restart');
    await page.waitForSelector('#list .row >> text=after the restart', { timeout: WAIT });
    const r = await rows(page);
    expect(r.map((x) => (x.gap ? `gap: ${x.message}` : x.message))).toEqual([
      'before 0',
      'before 1',
      'before 2',
      'gap: the bridge restarted with a new stream; records logged meanwhile may be missing (epoch_changed)',
      'after the restart',
    ]);
    expect(r.at(-1)?.offset).toBe('0');
    await shot(page, 'restart');
  });

  it('a bridge restart with persist: the page resumes where it was, without a gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-dashboard-persist-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await service({ persist: { dir } });
    const o = await open(first.port);
    const page = o.page;
    await live(o, first.bridge);
    for (let i = 0; i < 3; i++) first.logger.info('APP', `before ${i}`);
    await shown(page, 3);
    const epoch = first.bridge.epoch;
    first.logger.removePlugin('bridge');
    await first.bridge.close();
    await page.waitForSelector('#state[data-state="reconnecting"]', { timeout: WAIT });

    const plugin = new WebSocketBridgePlugin({
      dashboardDir,
      port: first.port,
      host: '127.0.0.1',
      persist: { dir },
    });
    first.logger.addPlugin('bridge', plugin);
    await plugin.listening;
    cleanups.push(() => plugin.close());
    expect(plugin.bridge.epoch).toBe(epoch);
    await page.waitForSelector('#state[data-state="live"]', { timeout: WAIT });
    await waitFor(() => plugin.bridge.stats().subscriptions === 1, 'the resubscribe', WAIT);
    first.logger.info('APP', 'after the restart');
    await shown(page, 4);
    const r = await rows(page);
    expect(r.map((x) => [x.offset, x.message])).toEqual([
      ['0', 'before 0'],
      ['1', 'before 1'],
      ['2', 'before 2'],
      ['3', 'after the restart'],
    ]);
    expect(r.some((x) => x.gap)).toBe(false);
  });

  it('cut off before its first record: the page resumes where its subscription started (the subscribed frame), so nothing logged meanwhile is missed, even beyond the backfill', async () => {
    // A server of our own, so the test can cut the page's socket at the TCP level.
    const sockets: Duplex[] = [];
    const server = createServer();
    server.on('upgrade', (_req, socket: Duplex) => sockets.push(socket));
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
    });
    const plugin = new WebSocketBridgePlugin({ dashboardDir });
    logger.addPlugin('bridge', plugin);
    plugin.attach(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(async () => {
      await logger.close();
      await plugin.close();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    });
    const o = await open((server.address() as AddressInfo).port);
    await live(o, plugin.bridge);
    const epoch = plugin.bridge.epoch;
    for (const s of sockets.splice(0)) s.destroy();
    await waitFor(() => plugin.bridge.stats().subscriptions === 0, 'the bridge to see the page go', WAIT);
    // More than the page's backfill (BACKFILL, 1,000), logged while it is away.
    const N = 1200;
    for (let i = 0; i < N; i++) logger.info('APP', `while away ${i}`);
    await waitFor(() => plugin.bridge.stats().subscriptions === 1, 'the page to come back', WAIT);
    await shown(o.page, N);
    expect(o.sent.filter((f) => f.type === 'subscribe').at(-1)).toMatchObject({
      since: { epoch, offset: -1 },
    });
    const r = await rows(o.page);
    expect(r.some((x) => x.gap)).toBe(false);
    expect(r.at(-1)).toMatchObject({ offset: String(N - 1), message: `while away ${N - 1}` });
    expect(await o.page.textContent('#counts')).toContain('1,200 received');
  });

  it('opens a record as pretty JSON (click, or j/k and Enter); Esc closes; the Agents tab is a placeholder', async () => {
    const { logger, bridge, port } = await service();
    const o = await open(port);
    const page = o.page;
    await live(o, bridge);
    logger.info('APP', 'first');
    logger.error('API', 'checkout failed', { order: { id: 'o-1', items: [1, 2] }, retry: false });
    logger.info('APP', 'third');
    await shown(page, 3);
    await page.click('#list .row >> text=checkout failed');
    await page.waitForSelector('#detail:not([hidden])', { timeout: WAIT });
    const text = (await page.textContent('#detail-json')) ?? '';
    const rec = JSON.parse(text) as Record<string, unknown>;
    expect(rec).toMatchObject({
      level: 'ERROR',
      layer: 'API',
      message: 'checkout failed',
      order: { id: 'o-1', items: [1, 2] },
      retry: false,
      offset: 1,
    });
    expect(text).toContain('\n  "order": {\n    "id": "o-1"');
    expect(await page.textContent('#detail-title')).toBe('ERROR · API · offset 1');
    await shot(page, 'detail');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detail', { state: 'hidden', timeout: WAIT });
    await page.keyboard.press('k'); // from the selected second row up to the first
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden])', { timeout: WAIT });
    expect(JSON.parse((await page.textContent('#detail-json')) ?? '')).toMatchObject({ message: 'first' });
    await page.keyboard.press('Escape');

    await page.keyboard.press('2');
    await page.waitForSelector('#view-agents:not([hidden])', { timeout: WAIT });
    expect(await page.textContent('#view-agents')).toContain('Agents');
    expect(await page.isHidden('#view-logs')).toBe(true);
    await shot(page, 'agents');
    await page.click('#tab-logs');
    await page.waitForSelector('#view-logs:not([hidden])', { timeout: WAIT });
    expect(o.problems).toEqual([]);
  });

  it('with tokens: takes ?token= (and drops it from the address bar), or asks for one; a bad token asks again', async () => {
    const secret = 'a-test-secret-of-32-characters!!';
    const { logger, bridge, port } = await service({ tokenSecret: secret });
    const token = createToken(
      { sub: 'ann', role: 'viewer', exp: Math.floor(Date.now() / 1000) + 600 },
      secret,
    );
    logger.info('APP', 'secret stuff');

    const a = await open(port, `?token=${token}`);
    await live(a, bridge);
    await shown(a.page, 1);
    expect(a.page.url()).toBe(`http://127.0.0.1:${port}/hydra/`);
    expect(await a.page.textContent('#server')).toContain('viewer');
    expect(a.sent[0]).toEqual({ type: 'auth', token });

    const b = await open(port);
    await b.page.waitForSelector('#auth:not([hidden])', { timeout: WAIT });
    expect(await b.page.getAttribute('#state', 'data-state')).toBe('auth');
    await shot(b.page, 'token-prompt');
    await b.page.fill('#auth-token', `${token.slice(0, -2)}xx`);
    await b.page.press('#auth-token', 'Enter');
    await until(
      b.page,
      `!document.getElementById('auth').hidden && /bad signature/.test(document.getElementById('auth-reason').textContent)`,
      'the prompt to ask again',
    );
    await b.page.fill('#auth-token', token);
    await b.page.press('#auth-token', 'Enter');
    await b.page.waitForSelector('#state[data-state="live"]', { timeout: WAIT });
    await shown(b.page, 1);
    expect(await b.page.isHidden('#auth')).toBe(true);
    expect(a.problems).toEqual([]);
  });
});
