import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

// Memory: 10,000 child and layer loggers created and closed leave the heap flat. Run in a
// fresh process with --expose-gc against the built package, so the measurement is not disturbed.
const dist = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/index.js')).href;
const script = `
const { HydraLogger } = await import(${JSON.stringify(dist)});
const logger = new HydraLogger({ env: {}, config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } } });
const churn = async (n) => {
  for (let i = 0; i < n; i++) {
    const child = logger.child({ requestId: 'r' + i, user: { id: i } });
    child.info('handled', { i });
    const layer = child.layer('L' + (i % 10));
    layer.info('layer record');
    layer.close();
    await child.close();
  }
  // Let FinalizationRegistry callbacks run.
  for (let k = 0; k < 5; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
};
await churn(10000);
const before = process.memoryUsage().heapUsed;
await churn(10000);
const after = process.memoryUsage().heapUsed;
process.stdout.write(JSON.stringify({ before, after, total: logger.getPerformanceMetrics().totalLogs }));
`;

it('creating and closing 10,000 child and layer loggers keeps the heap flat', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const { before, after, total } = JSON.parse(r.stdout) as { before: number; after: number; total: number };
  expect(total).toBe(40000);
  // A leak of even 100 bytes per logger would show as > 1 MB here.
  expect(after - before).toBeLessThan(1_000_000);
});
