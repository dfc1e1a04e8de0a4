// The first minute: zero-config logging, layers, child loggers, async context, errors.
import { createLogger, HydraLogger } from 'hydra-logger';

const logger = new HydraLogger();
logger.info('APP', 'Application started');
logger.info('Application started (DEFAULT layer)');
logger.warn('AUTH', 'Login attempt', { userId: 7, email: 'user@example.com', password: 'secret123' });
logger.error('DB', 'query failed', {
  err: new Error('connection reset', { cause: new Error('ECONNRESET') }),
});

const auth = logger.layer('AUTH');
auth.warn('locked out', { userId: 7 });

const req = logger.child({ requestId: 'abc' });
req.info('HTTP', 'GET /items', { status: 200 });

await logger.runWithContext({ traceId: 't-1' }, async () => {
  await new Promise((r) => setTimeout(r, 1));
  logger.info('WORKER', 'inside a context, across an await');
});

const m = logger.getPerformanceMetrics();
if (m.totalLogs !== 7) throw new Error(`expected 7 records, counted ${m.totalLogs}`);
await logger.close();

// Convenience function with options: createLogger(options) is new HydraLogger(options)
await using other = createLogger({ enableSecurity: true, enableSanitization: true });
other.info('APP', 'created with createLogger');
console.log('example ok: basic');
