import { describe, expect, it, vi } from 'vitest';
import { createLogger, HydraLogger, LEVELS } from '../../src/index.js';
import { memoryLogger } from '../helpers.js';

describe('HydraLogger call shapes', () => {
  it('takes (layer, message, fields)', () => {
    const { logger, records } = memoryLogger();
    logger.info('AUTH', 'Login attempt', { userId: 7 });
    expect(records()).toEqual([
      expect.objectContaining({ level: 'INFO', layer: 'AUTH', message: 'Login attempt', userId: 7 }),
    ]);
  });

  it('takes (message) and (message, fields) with the DEFAULT layer', () => {
    const { logger, records } = memoryLogger();
    logger.info('Application started');
    logger.warn('disk low', { freeMb: 12 });
    expect(records()).toEqual([
      expect.objectContaining({ layer: 'DEFAULT', message: 'Application started' }),
      expect.objectContaining({ level: 'WARNING', layer: 'DEFAULT', message: 'disk low', freeMb: 12 }),
    ]);
  });

  it("takes pino's (fields, message) order", () => {
    const { logger, records } = memoryLogger();
    logger.info({ userId: 1 }, 'hello');
    expect(records()[0]).toMatchObject({ layer: 'DEFAULT', message: 'hello', userId: 1 });
  });

  it('takes an Error as the message and serializes it with its stack', () => {
    const { logger, records } = memoryLogger();
    logger.error(new Error('boom'));
    const r = records()[0] as { message: string; err: { type: string; message: string; stack: string } };
    expect(r.message).toBe('boom');
    expect(r.err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(r.err.stack).toContain('hydra-logger.test.ts');
  });

  it('takes (message, error) as message plus an `err` field', () => {
    const { logger, records } = memoryLogger();
    logger.error('query failed', new TypeError('bad'));
    expect(records()[0]).toMatchObject({
      message: 'query failed',
      err: { type: 'TypeError', message: 'bad' },
    });
  });

  it('writes every level method with its level name, warn and fatal being aliases', () => {
    const { logger, records } = memoryLogger({ level: 'trace' });
    for (const m of ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal'] as const)
      logger[m]('L', m);
    expect(records().map((r) => r.level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARNING',
      'WARNING',
      'ERROR',
      'CRITICAL',
      'CRITICAL',
    ]);
  });

  it("uses the plan's level numbers plus TRACE", () => {
    expect(LEVELS).toEqual({
      NOTSET: 0,
      TRACE: 5,
      DEBUG: 10,
      INFO: 20,
      WARNING: 30,
      ERROR: 40,
      CRITICAL: 50,
    });
  });
});

describe('layers and routing', () => {
  const config = (dir: string[]) => ({
    layers: {
      DEFAULT: { destinations: [{ type: 'memory' as const, name: 'default', format: 'json' as const }] },
      AUTH: {
        level: 'debug' as const,
        destinations: [{ type: 'memory' as const, name: 'auth', format: 'json' as const }],
      },
      DB: {
        level: 'error' as const,
        destinations: [{ type: 'memory' as const, name: 'db', format: 'json' as const }],
      },
    },
    dir,
  });
  const make = () => {
    const { dir: _d, ...cfg } = config([]);
    const logger = new HydraLogger({ config: cfg });
    const lines = (name: string) =>
      (logger.memory(name)?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { logger, lines };
  };

  it('routes each layer to its own destinations with its own level', () => {
    const { logger, lines } = make();
    logger.debug('AUTH', 'auth debug');
    logger.info('DB', 'db info is below ERROR');
    logger.error('DB', 'db error');
    expect(lines('auth').map((r) => r.message)).toEqual(['auth debug']);
    expect(lines('db').map((r) => r.message)).toEqual(['db error']);
    expect(lines('default')).toEqual([]);
  });

  it('routes an undeclared layer to DEFAULT and keeps its own name', () => {
    const { logger, lines } = make();
    logger.info('PAYMENTS', 'charged');
    expect(lines('default')).toEqual([expect.objectContaining({ layer: 'PAYMENTS', message: 'charged' })]);
  });

  it('adds a DEFAULT layer when the config has none', () => {
    const logger = new HydraLogger({
      config: { layers: { APP: { destinations: [{ type: 'memory', name: 'app' }] } } },
      env: {},
    });
    expect(logger.isLevelEnabled('info', 'ELSEWHERE')).toBe(true);
    expect(logger.memory('app')).toBeDefined();
  });

  it('layer(name) binds the layer; its methods take (message, fields)', () => {
    const { logger, lines } = make();
    const auth = logger.layer('AUTH');
    expect(auth.name).toBe('AUTH');
    auth.warn('locked out', { userId: 7 });
    auth.debug('debug passes AUTH level');
    expect(lines('auth')).toEqual([
      expect.objectContaining({ level: 'WARNING', layer: 'AUTH', message: 'locked out', userId: 7 }),
      expect.objectContaining({ level: 'DEBUG', message: 'debug passes AUTH level' }),
    ]);
  });

  it('a disabled level is the shared no-op function on the logger and on layer loggers', () => {
    const { logger } = memoryLogger({ level: 'warning' });
    expect(logger.info).toBe(logger.debug);
    expect(logger.info.length).toBe(0);
    expect(logger.warn).not.toBe(logger.info);
    const db = make().logger.layer('DB');
    expect(db.info).toBe(logger.info);
    expect(db.error).not.toBe(db.info);
  });

  it('isLevelEnabled answers per layer and for any layer', () => {
    const { logger } = make();
    expect(logger.isLevelEnabled('debug', 'AUTH')).toBe(true);
    expect(logger.isLevelEnabled('warning', 'DB')).toBe(false);
    expect(logger.isLevelEnabled('debug')).toBe(true);
    expect(logger.layer('DB').isLevelEnabled('ERROR')).toBe(true);
    expect(logger.isLevelEnabled('nonsense' as never)).toBe(false);
  });

  it('a layer with enabled: false writes nothing', () => {
    const logger = new HydraLogger({
      config: { layers: { OFF: { enabled: false, destinations: [{ type: 'memory', name: 'off' }] } } },
    });
    logger.critical('OFF', 'nothing');
    expect(logger.memory('off')?.lines()).toEqual([]);
  });
});

describe('child loggers and context', () => {
  it('child(bindings) adds bindings to every record; call fields win over bindings', () => {
    const { logger, records } = memoryLogger();
    const req = logger.child({ requestId: 'abc', user: 'u1' });
    req.info('HTTP', 'GET /', { user: 'u2' });
    req.child({ span: 3 }).info('nested');
    expect(records()).toEqual([
      expect.objectContaining({ layer: 'HTTP', requestId: 'abc', user: 'u2' }),
      expect.objectContaining({ message: 'nested', requestId: 'abc', span: 3 }),
    ]);
  });

  it('bindings are a snapshot: mutating the object later changes nothing', () => {
    const { logger, records } = memoryLogger();
    const b = { requestId: 'abc' };
    const child = logger.child(b);
    b.requestId = 'changed';
    child.info('x');
    expect(records()[0]).toMatchObject({ requestId: 'abc' });
  });

  it('closing a child detaches only the child', async () => {
    const { logger, records } = memoryLogger();
    const child = logger.child({ a: 1 });
    await child.close();
    child.info('dropped');
    logger.info('kept');
    expect(records().map((r) => r.message)).toEqual(['kept']);
    expect(logger.getPerformanceMetrics().dropped.closed).toBe(1);
  });

  it('runWithContext adds the context across awaits and nests', async () => {
    const { logger, records } = memoryLogger();
    await logger.runWithContext({ requestId: 'r1' }, async () => {
      await new Promise((r) => setTimeout(r, 2));
      logger.info('outer');
      await logger.runWithContext({ span: 's1' }, async () => {
        await Promise.resolve();
        logger.layer('DB').info('inner', { rows: 1 });
      });
    });
    logger.info('outside');
    expect(records()).toEqual([
      expect.objectContaining({ message: 'outer', requestId: 'r1' }),
      expect.objectContaining({ message: 'inner', layer: 'DB', requestId: 'r1', span: 's1', rows: 1 }),
      expect.not.objectContaining({ requestId: 'r1' }),
    ]);
  });

  it('runWithContext returns the function result', () => {
    const { logger } = memoryLogger();
    expect(logger.runWithContext({ a: 1 }, () => 42)).toBe(42);
  });
});

describe('caller info', () => {
  it('is absent by default', () => {
    const { logger, records } = memoryLogger();
    logger.info('x');
    expect(records()[0]).not.toHaveProperty('caller');
  });

  it('with includeCaller: true names this file and line, for root and layer loggers', () => {
    const { logger, records } = memoryLogger({ includeCaller: true });
    logger.info('APP', 'here');
    logger.layer('L').info('there');
    const [a, b] = records() as { caller: { file: string; line: number } }[];
    expect(a?.caller.file).toMatch(/hydra-logger\.test\.ts$/);
    expect(a?.caller.line).toBeGreaterThan(0);
    expect(b?.caller.file).toMatch(/hydra-logger\.test\.ts$/);
    expect(b?.caller.line).toBe((a?.caller.line ?? 0) + 1);
  });
});

describe('lifecycle', () => {
  it('close() is idempotent; a log call after close is a no-op that warns once and is counted', async () => {
    const { logger, records } = memoryLogger();
    const warnings: { code?: string }[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      logger.info('before');
      const p1 = logger.close();
      const p2 = logger.close();
      expect(p1).toBe(p2);
      await p1;
      logger.info('after 1');
      logger.error('APP', 'after 2');
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(records().map((r) => r.message)).toEqual(['before']);
      expect(warnings.filter((w) => w.code === 'HYDRA_W_LOG_AFTER_CLOSE')).toHaveLength(1);
      expect(logger.getPerformanceMetrics().dropped.closed).toBe(2);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('supports await using (Symbol.asyncDispose)', async () => {
    let closedLogger: HydraLogger | undefined;
    {
      await using logger = createLogger({
        config: { layers: { DEFAULT: { destinations: [{ type: 'memory' }] } } },
      });
      closedLogger = logger;
      logger.info('inside');
    }
    const spy = vi.fn();
    process.once('warning', spy);
    closedLogger?.info('after dispose');
    expect(closedLogger?.getPerformanceMetrics().dropped.closed).toBe(1);
  });

  it('createLogger(options) is new HydraLogger(options)', () => {
    expect(createLogger()).toBeInstanceOf(HydraLogger);
  });

  it('counts records by level and layer', () => {
    const { logger } = memoryLogger();
    logger.info('A', 'x');
    logger.info('A', 'y');
    logger.error('B', 'z');
    const m = logger.getPerformanceMetrics();
    expect(m.totalLogs).toBe(3);
    expect(m.byLevel).toEqual({ INFO: 2, ERROR: 1 });
    expect(m.byLayer).toEqual({ A: 2, B: 1 });
  });

  it('a throwing toJSON in fields never reaches the caller', () => {
    const { logger, records } = memoryLogger();
    const evil = {
      toJSON() {
        throw new Error('nope');
      },
    };
    expect(() => logger.info('x', { evil })).not.toThrow();
    expect(records()[0]).toMatchObject({ evil: '[toJSON threw]' });
  });
});

describe('odd arguments from JavaScript callers', () => {
  it('an array as fields is wrapped as { value }: the JSON line stays one valid object', () => {
    const { logger, lines } = memoryLogger();
    (logger.info as (...a: unknown[]) => void)('list', [1, 'x']);
    expect(JSON.parse(lines()[0] as string)).toMatchObject({ message: 'list', value: [1, 'x'] });
  });

  it('an object where the message goes becomes fields, so its sensitive keys are redacted', () => {
    const { logger, records } = memoryLogger();
    (logger.info as (...a: unknown[]) => void)({ user: 'u' }, { ssn: '078-05-1120', pin: '1234' });
    expect(records()[0]).toMatchObject({ message: '', user: 'u', ssn: '[REDACTED]', pin: '[REDACTED]' });
  });
});

describe('security, audit and compliance records', () => {
  it('are never filtered out by levels (HYDRA_LOG_LEVEL=ERROR, or a layer at CRITICAL)', () => {
    const logger = new HydraLogger({
      env: { HYDRA_LOG_LEVEL: 'ERROR' },
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'memory', name: 'm' }] },
          AUDIT: { level: 'critical', destinations: [{ type: 'memory', name: 'a' }] },
        },
      },
    });
    logger.info('filtered out');
    logger.security('suspicious');
    logger.compliance('checked');
    logger.audit('deleted user 7');
    expect(
      logger
        .memory('m')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['suspicious', 'checked']);
    expect(
      logger
        .memory('a')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['deleted user 7']);
  });
});
