import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, LOGGERS, makeTempDir, memoryRecords, only, removeDir } from './loggers.js';

// Call shapes and routing of undeclared layers, through a real file destination (so the async
// logger's lines go through its queue) and through memory.

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

describe.each(LOGGERS)('$name: call shapes', (kind) => {
  it('(layer, message, fields), (message, fields), (message), (fields, message) and Errors land as the same records', async () => {
    const file = path.join(dir, 'shapes.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    await logger.info('AUTH', 'Login attempt', { userId: 7 });
    await logger.info('Application started');
    await logger.warn('disk low', { freeMb: 12 });
    await logger.info({ orderId: 9 }, 'pino order');
    await logger.error(new TypeError('bad input'));
    await logger.error('DB', 'query failed', { err: new Error('refused', { cause: new Error('down') }) });
    await logger.info('APP', 'with an error as fields', new RangeError('out'));
    await logger.flush();
    const recs = jsonLines(file);
    expect(recs.map((r) => [r.level, r.layer, r.message])).toEqual([
      ['INFO', 'AUTH', 'Login attempt'],
      ['INFO', 'DEFAULT', 'Application started'],
      ['WARNING', 'DEFAULT', 'disk low'],
      ['INFO', 'DEFAULT', 'pino order'],
      ['ERROR', 'DEFAULT', 'bad input'],
      ['ERROR', 'DB', 'query failed'],
      ['INFO', 'APP', 'with an error as fields'],
    ]);
    expect(recs[0]?.userId).toBe(7);
    expect(recs[2]?.freeMb).toBe(12);
    expect(recs[3]?.orderId).toBe(9);
    expect(recs[4]?.err).toMatchObject({ type: 'TypeError', message: 'bad input' });
    expect((recs[4]?.err as { stack?: string } | undefined)?.stack).toContain('call-shapes.test.ts');
    expect(recs[5]?.err).toMatchObject({ message: 'refused', cause: { message: 'down' } });
    expect(recs[6]?.err).toMatchObject({ type: 'RangeError', message: 'out' });
    await logger.close();
  });

  it('every level method writes its level; warn and fatal are aliases', async () => {
    const logger = kind.create({
      config: only({ type: 'memory', format: 'json' }, { defaultLevel: 'trace' }),
    });
    for (const m of ['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'fatal'] as const)
      await logger[m](m);
    expect(memoryRecords(logger).map((r) => r.level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARNING',
      'WARNING',
      'ERROR',
      'CRITICAL',
      'CRITICAL',
    ]);
    await logger.close();
  });

  it('a layer not in the config goes to DEFAULT and keeps its own name', async () => {
    const file = path.join(dir, 'default.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    await logger.info('NOT_DECLARED', 'routed');
    await logger.flush();
    expect(jsonLines(file)).toEqual([expect.objectContaining({ layer: 'NOT_DECLARED', message: 'routed' })]);
    await logger.close();
  });

  it('user fields named like core fields cannot overwrite them', async () => {
    const logger = kind.create({ config: only({ type: 'memory', format: 'json' }) });
    await logger.info('APP', 'real', {
      level: 'CRITICAL',
      layer: 'FORGED',
      message: 'forged',
      timestamp: 'x',
    });
    const r = memoryRecords(logger)[0] as Record<string, unknown>;
    expect([r.level, r.layer, r.message]).toEqual(['INFO', 'APP', 'real']);
    expect(r.timestamp).not.toBe('x');
    await logger.close();
  });

  it('a level below the gate writes nothing and isLevelEnabled says so', async () => {
    const logger = kind.create({
      config: only({ type: 'memory', format: 'json' }, { defaultLevel: 'warning' }),
    });
    await logger.info('dropped by the gate');
    await logger.debug('this too');
    await logger.warn('kept');
    expect(memoryRecords(logger).map((r) => r.message)).toEqual(['kept']);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('ERROR')).toBe(true);
    await logger.close();
  });
});
