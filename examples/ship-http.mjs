// Shipping logs off the machine: an `http` destination sends batches of NDJSON records to an HTTP
// log intake. This example starts a small intake (node:http on 127.0.0.1, a port the system
// picks), logs to it, and prints what the intake received. Run: node examples/ship-http.mjs
import http from 'node:http';
import { HydraLogger } from 'hydra-logger';

const received = [];
const intake = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    // One JSON record per line (NDJSON); 2xx tells the logger the batch is delivered.
    for (const line of body.split('\n')) if (line !== '') received.push(JSON.parse(line));
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => intake.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${intake.address().port}/logs`;

const logger = new HydraLogger({
  config: {
    layers: {
      DEFAULT: {
        level: 'INFO',
        destinations: [
          { type: 'console', format: 'plain-text' },
          {
            type: 'http',
            name: 'intake',
            url,
            headers: { authorization: 'Bearer example-token' },
            batch: { maxRecords: 100, maxDelayMs: 200 },
            retry: { maxAttempts: 5, baseMs: 100, maxMs: 5000 },
          },
        ],
      },
    },
  },
});

logger.info('service started', { port: 8080 });
logger.layer('DB').warn('slow query', { ms: 412, table: 'orders' });
logger.error('payment failed', { orderId: 'o-17', err: new Error('card declined') });

// A log call never waits for the network; flush() resolves once the batches were delivered.
await logger.flush();
const stats = logger.getPerformanceMetrics().destinations.intake;
console.log(`the intake received ${received.length} records:`);
for (const r of received) console.log(`  ${r.level} [${r.layer}] ${r.message}`);
console.log(
  `delivered ${stats.delivered} of ${stats.produced}, pending ${stats.pending}, health ${stats.health}`,
);

await logger.close({ timeoutMs: 2000 });
intake.close();
if (received.length !== 3 || stats.delivered !== 3) process.exit(1);
