import { describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { oneDestination, range } from '../fixtures/helpers.js';

describe('memory destination', () => {
  it('keeps every line (as JSON by default) and every record, oldest first', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory' }));
    logger.info('APP', 'first', { seq: 0 });
    logger.warn('second', { seq: 1 });
    const view = logger.memory();
    expect(view).toBeDefined();
    const lines = view?.lines() ?? [];
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.includes('\n'))).toBe(false);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'INFO', layer: 'APP', message: 'first', seq: 0 },
      { level: 'WARNING', layer: 'DEFAULT', message: 'second', seq: 1 },
    ]);
    expect(view?.records().map((r) => [r.levelName, r.layer, r.message])).toEqual([
      ['INFO', 'APP', 'first'],
      ['WARNING', 'DEFAULT', 'second'],
    ]);
  });

  it('uses the configured format', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory', format: 'logfmt' }));
    logger.info('APP', 'hello', { user_id: 42 });
    const line = logger.memory()?.lines()[0] ?? '';
    expect(line).toMatch(/^ts=\S+ level=info layer=APP msg=hello user_id=42$/);
  });

  it('keeps only the last maxLines lines and counts the evicted ones', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory', maxLines: 3 }));
    for (const i of range(0, 5)) logger.info('ring', { seq: i });
    const view = logger.memory();
    expect(view?.records().map((r) => r.fields?.seq)).toEqual([2, 3, 4]);
    expect(view?.lines().map((l) => JSON.parse(l).seq)).toEqual([2, 3, 4]);
    const m = logger.getPerformanceMetrics();
    expect(m.destinations.out?.records).toBe(5);
    expect(m.dropped.memory_full).toBe(2);
  });

  it('forgets its lines on clear() and keeps taking new ones', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory' }));
    logger.info('old');
    logger.memory()?.clear();
    expect(logger.memory()?.lines()).toEqual([]);
    logger.info('new');
    expect(
      logger
        .memory()
        ?.records()
        .map((r) => r.message),
    ).toEqual(['new']);
  });

  it('hands out copies: changing a returned array changes nothing inside', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory' }));
    logger.info('kept');
    logger.memory()?.lines().pop();
    logger.memory()?.records().pop();
    expect(logger.memory()?.lines()).toHaveLength(1);
    expect(logger.memory()?.records()).toHaveLength(1);
  });

  it('is found by name among several memory destinations', () => {
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: { destinations: [{ type: 'memory', name: 'all' }] },
          AUDIT: { destinations: [{ type: 'memory', name: 'audit' }] },
        },
      },
    });
    logger.info('AUDIT', 'audited');
    logger.info('APP', 'routed to DEFAULT');
    expect(
      logger
        .memory('audit')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['audited']);
    expect(
      logger
        .memory('all')
        ?.lines()
        .map((l) => JSON.parse(l).message),
    ).toEqual(['routed to DEFAULT']);
    expect(logger.memory('missing')).toBeUndefined();
  });

  it('keeps only records at or above its own level', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory', level: 'ERROR' }));
    logger.info('dropped by level');
    logger.error('kept');
    expect(
      logger
        .memory()
        ?.records()
        .map((r) => r.message),
    ).toEqual(['kept']);
    expect(logger.getPerformanceMetrics().dropped).toEqual({});
  });

  it('reports the UTF-8 size of the lines it holds as bytesWritten', () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory' }));
    logger.info('héllo — 😀');
    const lines = logger.memory()?.lines() ?? [];
    const size = lines.reduce((n, l) => n + Buffer.byteLength(`${l}\n`), 0);
    expect(logger.getPerformanceMetrics().destinations.out?.bytesWritten).toBe(size);
  });

  it('still holds its lines after close', async () => {
    const logger = new HydraLogger(oneDestination({ type: 'memory' }));
    logger.info('before close');
    await logger.close();
    expect(logger.memory()?.lines()).toHaveLength(1);
  });
});
