import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HydraLogger, registerPlugin, unregisterPlugin } from 'hydra-logger';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeDestinationPlugin } from '../src/index.js';
import { ready, type TestClient, waitFor } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

function configFile(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'hydra-bridge-dest-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'hydra.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

describe("{ type: 'bridge' } destinations (BridgeDestinationPlugin)", () => {
  it('a config file routes layers to the bridge: a WebSocket client gets exactly those records, redacted', async () => {
    registerPlugin('bridge', BridgeDestinationPlugin);
    cleanups.push(() => unregisterPlugin('bridge'));
    const port = await freePort();
    const file = configFile({
      plugins: [{ name: 'bridge', options: { port } }],
      layers: {
        APP: { destinations: [{ type: 'memory', format: 'json' }, { type: 'bridge' }] },
        DB: { destinations: [{ type: 'memory', format: 'json' }] },
        AUTH: { destinations: [{ type: 'bridge', level: 'WARNING' }] },
      },
    });
    const logger = new HydraLogger({ config: file });
    cleanups.push(() => logger.close());
    // The plugin entry listens as soon as the logger is built; connect once it does.
    let client: TestClient | undefined;
    for (let i = 0; client === undefined; i++) {
      client = await ready(port).catch((err: Error) => {
        if (i > 200) throw err;
        return new Promise<undefined>((r) => setTimeout(() => r(undefined), 20));
      });
    }
    client.send({ type: 'subscribe', sub: 's', since: 'latest' });
    await waitFor(
      () =>
        (logger.getPluginInsights().bridge?.insights as { subscriptions?: number } | undefined)
          ?.subscriptions === 1,
      'the subscription',
    );
    logger.info('APP', 'one', { password: 'hunter2', n: 1 });
    logger.info('DB', 'not streamed');
    logger.info('AUTH', 'below the destination level');
    logger.warn('AUTH', 'streamed', { n: 2 });
    logger.info('APP', 'two', { n: 3 });
    await waitFor(() => client.records().length === 3, 'three records');
    await new Promise((r) => setTimeout(r, 100));
    const got = client.records();
    expect(got.map((r) => [r.layer, r.message, r.n])).toEqual([
      ['APP', 'one', 1],
      ['AUTH', 'streamed', 2],
      ['APP', 'two', 3],
    ]);
    expect(got[0]?.password).toBe('[REDACTED]');
    expect(got.map((r) => r.offset)).toEqual([0, 1, 2]);
  });

  it('refuses a format other than json and options on the destination, naming the destination', () => {
    registerPlugin('bridge', BridgeDestinationPlugin);
    cleanups.push(() => unregisterPlugin('bridge'));
    const make = (dest: Record<string, unknown>) => () =>
      new HydraLogger({
        config: {
          plugins: [{ name: 'bridge' }],
          layers: { APP: { destinations: [dest as { type: 'bridge' }] } },
        },
      });
    expect(make({ type: 'bridge', name: 'live', format: 'plain-text' })).toThrow(
      /bridge destination "live": format must be "json"/,
    );
    expect(make({ type: 'bridge', options: { port: 1 } })).toThrow(/options are not taken here \(port\)/);
  });
});
