import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HydraLogger } from 'hydra-logger';
import { parseTraceparent } from 'hydra-logger/http';
import { type Browser, chromium } from 'playwright-core';
import { type BridgeOptions, WebSocketBridgePlugin } from '../../bridge/src/index.js';
import { buildFrontend } from '../scripts/build.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launch(): Promise<Browser> {
  return chromium.launch({
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
      // The test page comes from a route handler (so it reloads while offline); Chromium would
      // take such a page for a public one and refuse its connections to 127.0.0.1.
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
}

/** The script-tag build, built into a temporary directory (what a page loads). */
export async function sdkScript(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hydra-frontend-'));
  try {
    const r = await buildFrontend(dir);
    return readFileSync(r.file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The test page: loads the SDK and makes `window.client` from the JSON options in `?o=`. */
export const PAGE = `<!doctype html><meta charset="utf-8"><title>hydra frontend test</title>
<script src="/sdk.js"></script>
<script>
  const o = JSON.parse(new URLSearchParams(location.search).get('o') || '{}');
  window.client = new HydraFrontend.HydraLoggerClient({ url: location.origin + '/hydra', ...o });
</script>`;

/** One server line, parsed. */
export type Line = Record<string, unknown> & { client?: { id: string; seq: number } };

/**
 * An HTTP server on 127.0.0.1 (random port) with a bridge attached and a logger behind it (JSON
 * lines in memory). `restart()` closes the bridge (its WebSockets get a close frame, as when the
 * process goes away) and attaches a new bridge with a new logger, on the same port.
 */
export class Service {
  server: Server;
  port = 0;
  loggers: HydraLogger[] = [];
  plugin!: WebSocketBridgePlugin;

  constructor(readonly options: BridgeOptions = {}) {
    this.server = createServer((req, res) => {
      if (req.url === '/api') {
        this.logger.info('API', 'api call', {
          ...parseTraceparent(req.headers.traceparent as string | undefined),
        });
        res.end('ok');
        return;
      }
      if (req.url === '/blank') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
        return;
      }
      res.writeHead(404).end();
    });
  }

  get logger(): HydraLogger {
    return this.loggers[this.loggers.length - 1] as HydraLogger;
  }

  async start(): Promise<this> {
    this.#bridge();
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  #bridge(): void {
    const logger = new HydraLogger({
      config: {
        layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json', maxLines: 100_000 }] } },
      },
    });
    this.plugin = new WebSocketBridgePlugin({ dashboard: false, ...this.options });
    logger.addPlugin('bridge', this.plugin);
    this.plugin.attach(this.server);
    this.loggers.push(logger);
  }

  async restart(): Promise<void> {
    await this.plugin.close();
    this.#bridge();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every line the loggers wrote, parsed. */
  lines(): Line[] {
    return this.loggers.flatMap((l) => (l.memory()?.lines() ?? []).map((s) => JSON.parse(s) as Line));
  }

  /** Browser records: how many times each `(clientId, seq)` was logged. */
  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const l of this.lines()) {
      const c = l.client;
      if (c === undefined) continue;
      const k = `${c.id}:${c.seq}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  }

  async stop(): Promise<void> {
    await this.plugin.close();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
    for (const l of this.loggers) await l.close();
  }
}

export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
