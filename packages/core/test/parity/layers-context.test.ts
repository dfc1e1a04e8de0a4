import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonLines, LOGGERS, makeTempDir, memoryRecords, only, removeDir } from './loggers.js';

// Layers and routing, layer loggers, children and async context.

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

describe.each(LOGGERS)('$name: layers and routing', (kind) => {
  it('each layer goes to its own destinations, at its own level; a destination level raises it', async () => {
    const app = path.join(dir, 'app.log');
    const auth = path.join(dir, 'auth.log');
    const errors = path.join(dir, 'errors.log');
    const logger = kind.create({
      config: {
        defaultLevel: 'info',
        layers: {
          DEFAULT: { destinations: [{ type: 'memory', format: 'json', name: 'mem' }] },
          APP: {
            level: 'debug',
            destinations: [
              { type: 'file', path: app, format: 'json' },
              { type: 'file', path: errors, format: 'json', level: 'error' },
            ],
          },
          AUTH: { level: 'warning', destinations: [{ type: 'file', path: auth, format: 'json' }] },
          OFF: { enabled: false, destinations: [{ type: 'file', path: path.join(dir, 'off.log') }] },
        },
      },
    });
    await logger.debug('APP', 'app debug');
    await logger.error('APP', 'app error');
    await logger.info('AUTH', 'auth info (below WARNING)');
    await logger.warn('AUTH', 'auth warn');
    await logger.info('OTHER', 'to default');
    await logger.critical('OFF', 'disabled layer');
    await logger.flush();
    expect(jsonLines(app).map((r) => r.message)).toEqual(['app debug', 'app error']);
    expect(jsonLines(errors).map((r) => r.message)).toEqual(['app error']);
    expect(jsonLines(auth).map((r) => r.message)).toEqual(['auth warn']);
    expect(memoryRecords(logger, 'mem').map((r) => r.message)).toEqual(['to default']);
    expect(jsonLines(path.join(dir, 'off.log'))).toEqual([]);
    await logger.close();
  });

  it('layer(name) logs to that layer with (message, fields); its child adds bindings', async () => {
    const file = path.join(dir, 'layer.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    const auth = logger.layer('AUTH');
    expect(auth.name).toBe('AUTH');
    await auth.warn('locked out', { userId: 7 });
    await auth.child({ requestId: 'r1' }).info('retry');
    await auth.info({ ip: '10.0.0.1' }, 'fields first');
    await logger.flush();
    expect(jsonLines(file)).toEqual([
      expect.objectContaining({ level: 'WARNING', layer: 'AUTH', message: 'locked out', userId: 7 }),
      expect.objectContaining({ layer: 'AUTH', message: 'retry', requestId: 'r1' }),
      expect.objectContaining({ layer: 'AUTH', message: 'fields first', ip: '10.0.0.1' }),
    ]);
    await logger.close();
  });
});

describe.each(LOGGERS)('$name: children and context', (kind) => {
  it('child bindings are on every record, merged over the parent’s; the call’s fields win', async () => {
    const logger = kind.create({ config: only({ type: 'memory', format: 'json' }) });
    const req = logger.child({ requestId: 'abc', service: 'api' });
    const sub = req.child({ step: 2, service: 'db' });
    await req.info('one');
    await sub.info('two', { step: 3 });
    const recs = memoryRecords(logger);
    expect(recs[0]).toMatchObject({ message: 'one', requestId: 'abc', service: 'api' });
    expect(recs[1]).toMatchObject({ message: 'two', requestId: 'abc', service: 'db', step: 3 });
    await logger.close();
  });

  it('bindings are a snapshot: mutating the object later does not change them', async () => {
    const logger = kind.create({ config: only({ type: 'memory', format: 'json' }) });
    const bindings = { user: 'ann' };
    const child = logger.child(bindings);
    bindings.user = 'bob';
    await child.info('who');
    expect(memoryRecords(logger)[0]?.user).toBe('ann');
    await logger.close();
  });

  it('runWithContext adds its context to every record inside, across awaits, nested contexts merge', async () => {
    const file = path.join(dir, 'ctx.log');
    const logger = kind.create({ config: only({ type: 'file', path: file, format: 'json' }) });
    await logger.runWithContext({ requestId: 'r-1' }, async () => {
      await logger.info('before await');
      await sleep(5);
      await logger.runWithContext({ span: 's-2' }, () => logger.info('nested'));
      await logger.info('after');
    });
    await logger.info('outside');
    await logger.flush();
    const recs = jsonLines(file);
    expect(recs.map((r) => [r.message, r.requestId, r.span])).toEqual([
      ['before await', 'r-1', undefined],
      ['nested', 'r-1', 's-2'],
      ['after', 'r-1', undefined],
      ['outside', undefined, undefined],
    ]);
    await logger.close();
  });

  it('closing a child detaches only the child', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const logger = kind.create({ config: only({ type: 'memory', format: 'json' }) });
    const child = logger.child({ c: 1 });
    await child.close();
    await child.info('ignored');
    await logger.info('parent still logs');
    expect(memoryRecords(logger).map((r) => r.message)).toEqual(['parent still logs']);
    expect(logger.getPerformanceMetrics().dropped.closed).toBe(1);
    await logger.close();
  });
});
