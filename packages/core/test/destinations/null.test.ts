import { describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';
import { oneDestination } from '../fixtures/helpers.js';

describe('null destination', () => {
  it('discards records, counting them without writing a byte', () => {
    const logger = new HydraLogger(oneDestination({ type: 'null' }));
    for (let i = 0; i < 10; i++) logger.info('into the void', { i });
    logger.error('errors too');
    const m = logger.getPerformanceMetrics();
    expect(m.totalLogs).toBe(11);
    expect(m.destinations.out).toMatchObject({
      type: 'null',
      records: 11,
      bytesWritten: 0,
      writes: 0,
      pending: 0,
    });
    expect(m.dropped).toEqual({});
  });

  it('does not stop a sibling destination from receiving the record', () => {
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: {
            destinations: [
              { type: 'null', name: 'void' },
              { type: 'memory', name: 'mem' },
            ],
          },
        },
      },
    });
    logger.info('both');
    expect(
      logger
        .memory('mem')
        ?.records()
        .map((r) => r.message),
    ).toEqual(['both']);
    expect(logger.getPerformanceMetrics().destinations.void?.records).toBe(1);
  });

  it('counts only records at or above its level', () => {
    const logger = new HydraLogger(oneDestination({ type: 'null', level: 'WARNING' }));
    logger.info('below');
    logger.warn('at');
    expect(logger.getPerformanceMetrics().destinations.out?.records).toBe(1);
  });

  it('flushes and closes without doing anything', async () => {
    const logger = new HydraLogger(oneDestination({ type: 'null' }));
    logger.info('x');
    logger.flushSync();
    await logger.flush();
    await expect(logger.close()).resolves.toBeUndefined();
  });
});
