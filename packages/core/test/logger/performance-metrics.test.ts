import { describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';

const mem = (name = 'm') => ({ layers: { DEFAULT: { destinations: [{ type: 'memory' as const, name }] } } });

describe('getPerformanceMetrics()', () => {
  it('has every documented figure, with latency only when monitoring is on', () => {
    const logger = new HydraLogger({ config: mem(), env: {}, enablePerformanceMonitoring: true });
    for (let i = 0; i < 100; i++) logger.info('APP', 'x', { i });
    logger.warn('DB', 'contact me at someone@example.com', { password: 'hunter2' });
    logger.debug('below the level: not counted, not timed');
    const m = logger.getPerformanceMetrics();
    expect(m.totalLogs).toBe(101);
    expect(m.byLevel).toEqual({ INFO: 100, WARNING: 1 });
    expect(m.byLayer).toEqual({ APP: 100, DB: 1 });
    expect(m.latency?.count).toBe(101);
    const l = m.latency as NonNullable<typeof m.latency>;
    expect(l.avgUs).toBeGreaterThan(0);
    expect(l.p50Us).toBeLessThanOrEqual(l.p99Us);
    expect(l.p99Us).toBeLessThanOrEqual(l.maxUs);
    expect(m.throughput.perSecond).toBeGreaterThan(0);
    expect(m.throughput.seconds).toBeGreaterThanOrEqual(0);
    expect(m.redactions).toBe(2);
    expect(m.redactionsByKind).toEqual({ key: 1, email: 1 });
    expect(m.securityEvents).toBe(0);
    expect(m.dropped).toEqual({});
    expect(m.destinations.m).toMatchObject({ type: 'memory', records: 101 });
    for (const key of [
      'bytesWritten',
      'writes',
      'flushes',
      'errors',
      'processorErrors',
      'truncations',
    ] as const)
      expect(m).toHaveProperty(key);
  });

  it('reports no latency without enablePerformanceMonitoring', () => {
    const logger = new HydraLogger({ config: mem(), env: {} });
    logger.info('x');
    expect(logger.getPerformanceMetrics().latency).toBeUndefined();
  });

  it('counts per destination: bytes, writes and flushes of a buffered file', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-metrics-'));
    const file = path.join(dir, 'a.log');
    const logger = new HydraLogger({
      env: {},
      config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: file, name: 'f' }] } } },
    });
    for (let i = 0; i < 10; i++) logger.info('line', { i });
    logger.flushSync();
    const f = logger.getPerformanceMetrics().destinations.f;
    expect(f).toMatchObject({ type: 'file', records: 10, pending: 0, flushes: 1, writes: 1 });
    expect(f?.bytesWritten).toBe(fs.statSync(file).size);
    await logger.close();
    fs.rmSync(dir, { recursive: true });
  });
});

describe('redaction counters', () => {
  it('count each redaction exactly once, whether the record takes the flat fast path or the full pass', () => {
    const logger = new HydraLogger({ config: mem(), env: {} });
    logger.info('clean', { a: 1, b: 'x' });
    logger.info('clean again', { a: 2, b: 'y' }); // keys now known clean: the fast path
    logger.info('mail a@example.com', { a: 3, b: 'card 4111 1111 1111 1111' });
    logger.info('x', { 'someone@example.com': 1 });
    logger.info('x', { nested: { token: 't', ok: 1 } });
    const m = logger.getPerformanceMetrics();
    expect(m.redactionsByKind).toEqual({ email: 2, credit_card: 1, key: 1 });
    expect(m.redactions).toBe(4);
    const lines = logger.memory('m')?.lines() ?? [];
    expect(lines.join('\n')).not.toMatch(/a@example\.com|4111|someone@example\.com|"token":"t"/);
  });
});
