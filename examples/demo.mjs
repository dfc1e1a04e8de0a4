// The zero-config demo: `npm run demo`. Shows layers, redaction, every format, colours, child
// loggers, async context, error serialization and log-injection escaping, then exits by itself.
import { FORMAT_NAMES, HydraLogger } from 'hydra-logger';

const section = (title) => process.stdout.write(`\n=== ${title} ===\n`);

section('zero-config: new HydraLogger() — plain text on stdout, level INFO, colour when stdout is a TTY');
const logger = new HydraLogger();
logger.info('APP', 'Application started', { version: '0.1.0', pid: process.pid });
logger.info('Application started (no layer: DEFAULT)');
logger.warn('AUTH', 'Login attempt failed', { userId: 42, ip: '203.0.113.7' });
logger.info('AUTH', 'secrets are redacted by default: mail user@example.com', {
  password: 'secret123',
  apiKey: 'k-123',
});
logger.debug('APP', 'not shown: DEBUG is below the default INFO level');
logger
  .layer('DB')
  .error('query failed', { err: new Error('connection reset', { cause: new Error('ECONNRESET') }) });
logger.child({ requestId: 'req-7f3a' }).info('HTTP', 'GET /api/items', { status: 200, durationMs: 12.5 });
await logger.runWithContext({ traceId: 'trace-91c2' }, async () => {
  await new Promise((r) => setTimeout(r, 1));
  logger.info('WORKER', 'inside runWithContext, across an await');
});
logger.info('APP', 'user input cannot forge lines:\n{"level":"CRITICAL"} \x1b[31mnot red\x1b[0m');
await logger.close();

section('every format (one logger, one destination per format, same records)');
for (const format of FORMAT_NAMES) {
  process.stdout.write(`-- ${format}\n`);
  const l = new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'console', format, appName: 'demo' }] } } },
  });
  l.info('APP', 'Application started', { userId: 42, path: '/api/v1/items' });
  l.error('DB', 'query failed', { attempt: 3 });
  await l.close();
}

section('colours: colorMode "always" (and "never" below it)');
for (const colorMode of ['always', 'never']) {
  const l = new HydraLogger({
    config: {
      defaultLevel: 'trace',
      layers: { DEFAULT: { destinations: [{ type: 'console', colorMode }] } },
    },
  });
  for (const level of ['trace', 'debug', 'info', 'warning', 'error', 'critical'])
    l[level]('COLOURS', `${level} in colour mode ${colorMode}`);
  await l.close();
}

section('metrics of the first logger');
const m = logger.getPerformanceMetrics();
process.stdout.write(
  `${JSON.stringify({ totalLogs: m.totalLogs, byLevel: m.byLevel, byLayer: m.byLayer, dropped: m.dropped })}\n`,
);
