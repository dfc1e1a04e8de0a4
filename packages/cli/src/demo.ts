import { FORMAT_NAMES, HydraLogger } from 'hydra-logger';
import type { CommandSpec } from './args.js';

export const demoSpec: CommandSpec = {
  name: 'demo',
  usage: 'hydra demo',
  short: 'the zero-config demo of hydra-logger',
  summary:
    'The zero-config demo of hydra-logger: layers, redaction, every format, colours, child loggers,\n' +
    'async context, error serialization and log-injection escaping; exits by itself.\n' +
    '(The same demo as `npm run demo` in the hydra-logger repository.)',
  flags: [],
  positionals: { min: 0, max: 0, name: '' },
  notes: 'Exit codes: 0 done, 2 bad usage.',
};

const LEVEL_METHODS = ['trace', 'debug', 'info', 'warning', 'error', 'critical'] as const;

function section(title: string): void {
  process.stdout.write(`\n=== ${title} ===\n`);
}

export async function runDemo(): Promise<number> {
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
  for (const colorMode of ['always', 'never'] as const) {
    const l = new HydraLogger({
      config: {
        defaultLevel: 'trace',
        layers: { DEFAULT: { destinations: [{ type: 'console', colorMode }] } },
      },
    });
    for (const level of LEVEL_METHODS) l[level]('COLOURS', `${level} in colour mode ${colorMode}`);
    await l.close();
  }

  section('metrics of the first logger');
  const m = logger.getPerformanceMetrics();
  process.stdout.write(
    `${JSON.stringify({ totalLogs: m.totalLogs, byLevel: m.byLevel, byLayer: m.byLayer, dropped: m.dropped })}\n`,
  );
  section('read JSON logs: hydra pretty, hydra tail -f; live dashboard: hydra serve (hydra --help)');
  return 0;
}
