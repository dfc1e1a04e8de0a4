import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBridge } from '@hydra-logger/bridge';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The bridge's own dashboard build (its sources, built fresh for this test).
import { buildDashboard } from '../../bridge/scripts/build-dashboard.mjs';
import { AgentTracker } from '../src/index.js';
import { jsonLogger } from './helpers.js';

/** The bridge dashboard's Agents tab in a real Chromium (Debian's /usr/bin/chromium, playwright-core). */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`agents dashboard test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
const here = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(here, '__screenshots__');
const WAIT = 15_000;

let browser: Browser;
let dashboardDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  dashboardDir = await buildDashboard(mkdtempSync(join(tmpdir(), 'hydra-agents-dashboard-')));
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (dashboardDir !== undefined) rmSync(dashboardDir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('dashboard Agents tab', () => {
  it('50 simulated agents appear as 50 nodes; a provoked loop shows its alert (screenshot)', async () => {
    const { logger } = jsonLogger();
    const tracker = new AgentTracker({ logger, detectors: { pingPongMessages: 10 } });
    const bridge = createBridge({ dashboardDir });
    const { port } = await bridge.listen({ port: 0 });
    const stop = tracker.publishTo(bridge, { intervalMs: 200 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    try {
      tracker.registerAgent({ id: 'supervisor', role: 'supervisor', state: 'working' });
      for (let i = 1; i < 50; i++) {
        tracker.registerAgent({ id: `agent-${i}`, role: 'worker', parentId: 'supervisor', state: 'working' });
        const id = tracker.send('supervisor', `agent-${i}`, { conversationId: `task-${i}`, tokens: 20 });
        tracker.processed(id, { ok: i % 10 !== 0 });
        tracker.llmCall(`agent-${i}`, {
          model: 'm',
          inputTokens: 100 * i,
          outputTokens: 20 * i,
          costUsd: 0.0001 * i,
        });
      }
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(`http://127.0.0.1:${port}/hydra/`, { waitUntil: 'domcontentloaded' });
      await page.click('#tab-agents');
      await page.waitForSelector('#agents-summary[data-nodes="50"]', { timeout: WAIT });
      expect(await page.locator('#agents-graph g.ag-node').count()).toBe(50);
      expect(await page.locator('#agents-table tbody tr').count()).toBe(50);
      expect(await page.locator('#agents-alerts li').count()).toBe(0);
      // The loop: two agents bouncing one conversation.
      for (let i = 0; i < 10; i++)
        tracker.send(i % 2 ? 'agent-2' : 'agent-1', i % 2 ? 'agent-1' : 'agent-2', {
          conversationId: 'loop',
        });
      const alert = page.locator('#agents-alerts li[data-kind="ping_pong"]');
      await alert.waitFor({ timeout: WAIT });
      expect(await alert.textContent()).toContain('agent-1 and agent-2');
      await page.waitForTimeout(1500); // let the layout settle for the picture
      await page.screenshot({ path: join(SHOTS, 'agents.png') });
      expect(problems).toEqual([]);
    } finally {
      stop();
      await context.close();
      await bridge.close();
      await logger.close();
      tracker.close();
    }
  });
});
