import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearErrorStats,
  configureErrorTracking,
  DataSanitizer,
  ErrorTracker,
  getDefaultErrorTracker,
  getErrorStats,
  HydraLogger,
  trackDatabaseError,
  trackError,
  trackNetworkError,
  trackRuntimeError,
  trackSecurityError,
  trackValidationError,
} from '../../src/index.js';
import { FaultPort } from '../fixtures/fault-port.js';
import { captureStderr, makeTempDir, oneDestination, readLines, removeDir } from '../fixtures/helpers.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
  configureErrorTracking();
});
afterEach(() => {
  configureErrorTracking();
  removeDir(dir);
});

describe('trackError and the default tracker', () => {
  it('starts empty', () => {
    expect(getErrorStats()).toEqual({
      totalErrors: 0,
      byType: {},
      bySeverity: { low: 0, medium: 0, high: 0, critical: 0 },
      lastErrorAt: null,
      recent: [],
      errorLogFailures: 0,
    });
  });

  it('counts by type and severity, keeps the last time and the entry (Error or string)', () => {
    const err = Object.assign(new TypeError('bad input'), { code: 'E_BAD' });
    const entry = trackError('payment', err, { orderId: 17 }, 'high');
    trackError('payment', 'declined');
    const s = getErrorStats();
    expect(s.totalErrors).toBe(2);
    expect(s.byType).toEqual({ payment: 2 });
    expect(s.bySeverity).toEqual({ low: 0, medium: 1, high: 1, critical: 0 });
    expect(s.lastErrorAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(entry).toMatchObject({
      type: 'payment',
      message: 'bad input',
      name: 'TypeError',
      code: 'E_BAD',
      severity: 'high',
      context: { orderId: 17 },
    });
    expect(entry.stack).toContain('TypeError: bad input');
    expect(s.recent.map((r) => r.message)).toEqual(['bad input', 'declined']);
    expect(s.recent[1]).not.toHaveProperty('name');
    expect(s.recent[1]).not.toHaveProperty('context');
  });

  it('typed helpers use their type and default severity, which the caller may override', () => {
    trackValidationError('email missing');
    trackNetworkError(new Error('ECONNREFUSED'));
    trackDatabaseError(new Error('deadlock'));
    trackSecurityError('bad signature');
    trackRuntimeError(new RangeError('out of range'));
    trackValidationError('very bad', undefined, 'critical');
    const s = getErrorStats();
    expect(s.byType).toEqual({ validation: 2, network: 1, database: 1, security: 1, runtime: 1 });
    expect(s.recent.map((r) => [r.type, r.severity])).toEqual([
      ['validation', 'low'],
      ['network', 'medium'],
      ['database', 'high'],
      ['security', 'critical'],
      ['runtime', 'high'],
      ['validation', 'critical'],
    ]);
    expect(s.bySeverity).toEqual({ low: 1, medium: 1, high: 2, critical: 2 });
  });

  it('redacts messages, stacks and context: no raw secret is ever stored', () => {
    const err = new Error('login failed for alice@example.com with password=hunter2');
    trackError('auth', err, {
      password: 'hunter2',
      user: { email: 'alice@example.com', apiKey: 'sk_live_x' },
    });
    const [entry] = getErrorStats().recent;
    const text = JSON.stringify(entry);
    expect(text).not.toContain('alice@example.com');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk_live_x');
    expect(entry?.context).toMatchObject({ password: '[REDACTED]' });
  });

  it('context is copied and bounded: later mutation of the caller object does not change the entry', () => {
    const ctx: Record<string, unknown> = { n: 1, deep: { a: { b: { c: { d: { e: { f: 1 } } } } } } };
    trackError('x', 'y', ctx);
    ctx.n = 2;
    const [entry] = getErrorStats().recent;
    expect(entry?.context?.n).toBe(1);
    expect(JSON.stringify(entry?.context)).toContain('[Depth limit]');
  });

  it('never throws, whatever it is given', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    expect(() => trackError('odd', hostile, hostile as never)).not.toThrow();
    expect(() => trackError('odd', undefined)).not.toThrow();
    expect(() => trackError('odd', 42)).not.toThrow();
    expect(() => trackError('' as string, null)).not.toThrow();
    expect(getErrorStats().totalErrors).toBe(4);
  });

  it('recent is a bounded ring, oldest first; the counters keep counting', () => {
    const t = new ErrorTracker({ maxRecent: 3 });
    for (let i = 0; i < 10; i++) t.track('t', `e${i}`);
    const s = t.stats();
    expect(s.totalErrors).toBe(10);
    expect(s.recent.map((r) => r.message)).toEqual(['e7', 'e8', 'e9']);
    expect(new ErrorTracker().stats().recent).toEqual([]);
    const def = new ErrorTracker();
    for (let i = 0; i < 150; i++) def.track('t', `e${i}`);
    expect(def.stats().recent).toHaveLength(100);
    expect(def.stats().recent[0]?.message).toBe('e50');
  });

  it('byType is bounded: past 1,000 names the rest are summed under (other)', () => {
    const t = new ErrorTracker({ maxRecent: 0 });
    for (let i = 0; i < 1005; i++) t.track(`type${i}`, 'x');
    const byType = t.stats().byType;
    expect(Object.keys(byType)).toHaveLength(1001);
    expect(byType['(other)']).toBe(5);
  });

  it('clearErrorStats() resets everything', () => {
    trackError('a', 'b');
    clearErrorStats();
    expect(getErrorStats()).toMatchObject({ totalErrors: 0, byType: {}, lastErrorAt: null, recent: [] });
  });

  it('a custom sanitizer is used', () => {
    const sanitizer = new DataSanitizer().addPattern('order', /ORD-\d+/g, '[ORDER]');
    const t = new ErrorTracker({ sanitizer });
    expect(t.track('x', 'failed ORD-1234').message).toBe('failed [ORDER]');
  });
});

describe('errorLog', () => {
  it('writes nothing to disk unless configured', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      trackError('a', 'b');
      new ErrorTracker().track('c', 'd');
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('appends one redacted JSON line per error, synchronously, creating directories', () => {
    const file = path.join(dir, 'sub', 'errors.jsonl');
    configureErrorTracking({ errorLog: file });
    trackError('db', new Error('timeout for bob@example.com'), { password: 'p' });
    trackNetworkError('reset');
    const lines = readLines(file).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: 'db', severity: 'medium', context: { password: '[REDACTED]' } });
    expect(JSON.stringify(lines)).not.toContain('bob@example.com');
    expect(lines[1]).toMatchObject({ type: 'network', message: 'reset' });
    getDefaultErrorTracker().close();
  });

  it('a failing error log warns once (HYDRA_W_ERROR_LOG_FAILED), counts, and never throws', () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const t = new ErrorTracker({ errorLog: path.join(blocker, 'errors.jsonl') });
      t.track('a', 'b');
      t.track('a', 'c');
      expect(t.stats()).toMatchObject({ totalErrors: 2, errorLogFailures: 2 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'HYDRA_W_ERROR_LOG_FAILED' });
    } finally {
      warn.mockRestore();
    }
  });
});

describe("the logger's own failures are tracked as logger_internal", () => {
  it('a destination write error goes to the default tracker, every time (the stderr report is once)', async () => {
    const port = new FaultPort().failWrites('ENOSPC');
    const stderr = captureStderr();
    try {
      const logger = new HydraLogger(
        oneDestination({ type: 'file', path: path.join(dir, 'a.log'), mode: 'sync' }, { fs: port }),
      );
      logger.info('one');
      logger.info('two');
      await logger.close();
    } finally {
      stderr.restore();
    }
    const s = getErrorStats();
    expect(s.byType).toEqual({ logger_internal: 2 });
    expect(s.bySeverity.high).toBe(2);
    expect(s.recent[0]).toMatchObject({
      type: 'logger_internal',
      code: 'ENOSPC',
      context: { source: 'out' },
    });
    expect(stderr.lines.filter((l) => l.includes('ENOSPC'))).toHaveLength(1);
  });

  it('a logger given its own errorTracker reports there, not to the default', async () => {
    const mine = new ErrorTracker();
    const port = new FaultPort().failWrites('EIO');
    const stderr = captureStderr();
    try {
      const logger = new HydraLogger(
        oneDestination(
          { type: 'file', path: path.join(dir, 'b.log'), mode: 'sync' },
          { fs: port, errorTracker: mine },
        ),
      );
      logger.error('x');
      await logger.close();
    } finally {
      stderr.restore();
    }
    expect(mine.stats().byType).toEqual({ logger_internal: 1 });
    expect(getErrorStats().totalErrors).toBe(0);
  });

  it('a throwing processor is tracked (source names the processor)', async () => {
    const mine = new ErrorTracker();
    const stderr = captureStderr();
    try {
      const logger = new HydraLogger({
        errorTracker: mine,
        config: { layers: { DEFAULT: { destinations: [{ type: 'memory' }] } } },
      });
      // Make the redaction processor throw for one call.
      const proto = Object.getPrototypeOf(logger.sanitizer) as { sanitizeRecord: unknown };
      const real = proto.sanitizeRecord;
      proto.sanitizeRecord = () => {
        throw new Error('processor exploded');
      };
      try {
        logger.info('hello');
      } finally {
        proto.sanitizeRecord = real;
      }
      await logger.close();
    } finally {
      stderr.restore();
    }
    const [entry] = mine.stats().recent;
    expect(entry).toMatchObject({ type: 'logger_internal', message: 'processor exploded' });
    expect(String(entry?.context?.source)).toMatch(/^\(processor /);
  });

  it('every failed plugin hook is tracked (type plugin), while the report comes once', async () => {
    const mine = new ErrorTracker();
    const stderr = captureStderr();
    try {
      const logger = new HydraLogger({
        errorTracker: mine,
        config: { layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'm' }] } } },
      });
      logger.addPlugin('thrower', {
        processEvent: () => {
          throw new Error('plugin bug password=hunter2');
        },
      });
      logger.addPlugin('bad-verdict', { inspect: () => ({ action: 'explode' }) } as never);
      for (let i = 0; i < 3; i++) logger.info('still logged', { i });
      expect(logger.memory('m')?.lines()).toHaveLength(3);
      await logger.close();
    } finally {
      stderr.restore();
    }
    const s = mine.stats();
    expect(s.byType).toEqual({ plugin: 6 });
    expect(s.bySeverity.medium).toBe(6);
    const thrown = s.recent.find((e) => e.context?.plugin === 'thrower');
    expect(thrown).toMatchObject({ type: 'plugin', context: { plugin: 'thrower', hook: 'processEvent' } });
    // Tracked entries are redacted like every other.
    expect(thrown?.message).not.toContain('hunter2');
    const verdict = s.recent.find((e) => e.context?.plugin === 'bad-verdict');
    expect(verdict?.message).toMatch(/^plugin "bad-verdict" inspect\(\) /);
    expect(stderr.lines.filter((l) => l.includes('plugin "thrower"'))).toHaveLength(1);
    expect(getErrorStats().totalErrors).toBe(0);
  });
});
