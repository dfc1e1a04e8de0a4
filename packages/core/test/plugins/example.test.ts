import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
// The public package (the built dist/), as a user imports it: the example imports it too.
import { HydraLogger, type LoggingConfig, listPlugins, type PluginClass } from 'hydra-logger';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearPlugins } from '../../src/plugins/registry.js';

// The example plugin of docs/plugins.md, compiled as a user would ship it (types stripped,
// `hydra-logger` left as an import) and run through the public API only.
const repo = path.resolve(import.meta.dirname, '../../../..');
const source = path.join(repo, 'examples/plugins/request-counter.ts');
const compiled = path.join(repo, 'examples/plugins/.tmp/request-counter.mjs');
const doc = path.join(repo, 'docs/plugins.md');

let RequestCounter: PluginClass;
beforeAll(async () => {
  await build({
    entryPoints: [source],
    outfile: compiled,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  RequestCounter = (await import(pathToFileURL(compiled).href)).default;
});
afterEach(() => clearPlugins());

const requests = [
  { method: 'GET', path: '/items', status: 200, durationMs: 12 },
  { method: 'GET', path: '/healthz', status: 200, durationMs: 1 },
  { method: 'POST', path: '/items', status: 201, durationMs: 640, password: 'hunter2' },
  { method: 'GET', path: '/items', status: 404, durationMs: 3 },
];

function run(logger: HydraLogger) {
  for (const r of requests) logger.info('HTTP', `${r.method} ${r.path}`, r);
  logger.info('APP', 'not a request');
  return (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const memory: LoggingConfig = { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } };

describe('the example plugin (examples/plugins/request-counter.ts)', () => {
  it('added with addPlugin: numbers requests, flags slow ones, drops health checks, reports insights', async () => {
    const logger = new HydraLogger({ config: memory });
    logger.addPlugin('requests', new RequestCounter({ slowMs: 500 }));
    const out = run(logger);
    expect(out.map((r) => [r.message, r.requestNo, r.slow])).toEqual([
      ['GET /items', 1, undefined],
      ['POST /items', 2, true],
      ['GET /items', 3, undefined],
      ['not a request', undefined, undefined],
    ]);
    expect(out[1]?.password).toBe('[REDACTED]');
    expect(logger.getPluginInsights().requests).toMatchObject({
      type: 'analytics',
      events: 5,
      dropped: 1,
      errors: 0,
      insights: {
        total: 3,
        byRoute: { 'GET /items': 2, 'POST /items': 1 },
        byStatus: { '2xx': 2, '4xx': 1 },
        slow: 1,
        dropped: 1,
      },
    });
    expect(logger.getPerformanceMetrics().dropped).toEqual({ 'plugin:requests': 1 });
    await logger.close();
  });

  it('loaded from its module path in config, with options', async () => {
    const logger = new HydraLogger({
      config: {
        ...memory,
        plugins: [{ name: 'requests', path: compiled, options: { slowMs: 10, dropPaths: [] } }],
      },
    });
    const out = run(logger);
    expect(out.map((r) => r.slow)).toEqual([true, undefined, true, undefined, undefined]);
    expect(listPlugins().map((p) => p.name)).toEqual(['request-counter']);
    await logger.close();
  });

  it('a bad option fails at construction with HYDRA_E_PLUGIN_INIT', () => {
    expect(
      () =>
        new HydraLogger({
          config: { ...memory, plugins: [{ name: 'r', path: compiled, options: { slowMs: 'soon' } }] },
        }),
    ).toThrow(
      expect.objectContaining({
        code: 'HYDRA_E_PLUGIN_INIT',
        message: expect.stringMatching(/slowMs must be a number/),
      }),
    );
  });

  it('docs/plugins.md shows the example file verbatim', () => {
    const text = fs.readFileSync(doc, 'utf8');
    const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(fs.readFileSync(source, 'utf8'));
  });
});
