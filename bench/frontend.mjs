// Browser SDK benchmark, in Debian's Chromium (playwright-core): the cost of a log call in a page
// (records/s of the logging loop), delivered records/s (until the server has acknowledged them all)
// and bytes on the wire per record, for @hydra-logger/frontend against the OpenTelemetry browser
// logs SDK (LoggerProvider + BatchLogRecordProcessor + OTLP/HTTP JSON exporter) in the same page
// run, against the same server on 127.0.0.1. Run after `npm run build`:
//   node bench/frontend.mjs [--records 20000] [--json out.json]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { WebSocketBridgePlugin } from '../packages/bridge/dist/index.js';
import { HydraLogger } from '../packages/core/dist/index.js';
import { buildFrontend } from '../packages/frontend/scripts/build.mjs';

const arg = (name, d) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? d : process.argv[i + 1];
};
const N = Number(arg('records', 20_000));
const tmp = mkdtempSync(join(tmpdir(), 'hydra-bench-frontend-'));

const hydraJs = readFileSync((await buildFrontend(tmp)).file, 'utf8');
const otelEntry = join(tmp, 'otel-entry.mjs');
writeFileSync(
  otelEntry,
  `import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
globalThis.OTel = { LoggerProvider, BatchLogRecordProcessor, OTLPLogExporter };`,
);
const otel = await build({
  entryPoints: [otelEntry],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  write: false,
  nodePaths: [join(process.cwd(), 'node_modules')],
  logLevel: 'error',
});
const otelJs = otel.outputFiles[0].text;

const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } } });
const bridge = new WebSocketBridgePlugin({
  dashboard: false,
  limits: { ingestRecordsPerSecond: 1e9, ingestBytesPerSecond: 1e12, maxFramesPerSecond: 1e9 },
});
logger.addPlugin('bridge', bridge);
let otlpRecords = 0;
const server = createServer((req, res) => {
  if (req.url === '/')
    return void res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>bench</title>');
  if (req.url === '/hydra.js')
    return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(hydraJs);
  if (req.url === '/otel.js')
    return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(otelJs);
  if (req.url === '/v1/logs') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString());
        for (const rl of v.resourceLogs ?? [])
          for (const sl of rl.scopeLogs ?? []) otlpRecords += sl.logRecords?.length ?? 0;
      } catch {}
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    return;
  }
  res.writeHead(404).end();
});
bridge.attach(server);
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const results = {};
try {
  for (const sdk of ['hydra', 'otel']) {
    const page = await (await browser.newContext()).newPage();
    let wire = 0;
    page.on('websocket', (ws) => ws.on('framesent', (f) => (wire += Buffer.byteLength(f.payload))));
    page.on('request', (r) => (wire += Buffer.byteLength(r.postData() ?? '')));
    await page.goto(`${origin}/`);
    await page.addScriptTag({ url: `/${sdk}.js` });
    const before = otlpRecords;
    const r = await page.evaluate(
      async ([sdk, n]) => {
        let log;
        let done;
        if (sdk === 'hydra') {
          const c = new HydraFrontend.HydraLoggerClient({
            url: `${location.origin}/hydra`,
            offline: { storage: 'indexeddb', maxRecords: n * 2 },
            batch: { maxRecords: 200, maxBytes: 65536 },
          });
          log = (i) => c.info('CHECKOUT', 'item added to cart', { i, sku: 'A-1029', qty: 2 });
          done = () => c.flush().then(() => c.getStats());
        } else {
          const { LoggerProvider, BatchLogRecordProcessor, OTLPLogExporter } = OTel;
          const exporter = new OTLPLogExporter({ url: `${location.origin}/v1/logs` });
          const provider = new LoggerProvider({
            processors: [
              new BatchLogRecordProcessor({
                exporter,
                maxExportBatchSize: 200,
                maxQueueSize: n * 2,
                scheduledDelayMillis: 200,
              }),
            ],
          });
          const l = provider.getLogger('CHECKOUT');
          log = (i) =>
            l.emit({
              severityText: 'INFO',
              severityNumber: 9,
              body: 'item added to cart',
              attributes: { i, sku: 'A-1029', qty: 2 },
            });
          done = () => provider.forceFlush();
        }
        for (let i = 0; i < 500; i++) log(-1); // warm-up
        await done();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) log(i);
        const t1 = performance.now();
        const stats = await done();
        const t2 = performance.now();
        return { callMs: t1 - t0, totalMs: t2 - t0, stats };
      },
      [sdk, N],
    );
    if (sdk === 'otel' && otlpRecords - before < N)
      throw new Error(`otel: the server got ${otlpRecords - before} of ${N + 500}`);
    results[sdk] = {
      records: N,
      logCallsPerSec: Math.round(N / (r.callMs / 1000)),
      deliveredPerSec: Math.round(N / (r.totalMs / 1000)),
      wireBytesPerRecord: Math.round(wire / (N + 500)),
    };
    await page.context().close();
  }
} finally {
  await browser.close();
  await bridge.close();
  server.close();
  await logger.close();
  rmSync(tmp, { recursive: true, force: true });
}
const ratio = (k) => (results.hydra[k] / results.otel[k]).toFixed(2);
console.log(`browser SDK in Chromium, ${N} records, one page run each`);
console.log('sdk     log calls/s   delivered/s   bytes on the wire/record');
for (const [k, v] of Object.entries(results))
  console.log(
    `${k.padEnd(7)} ${String(v.logCallsPerSec).padStart(11)}   ${String(v.deliveredPerSec).padStart(11)}   ${String(v.wireBytesPerRecord).padStart(8)}`,
  );
console.log(
  `hydra/otel: log calls ×${ratio('logCallsPerSec')}, delivered ×${ratio('deliveredPerSec')}, bytes ×${ratio('wireBytesPerRecord')}`,
);
const out = arg('json');
if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
