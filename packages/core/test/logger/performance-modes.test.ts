import { describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';

const lines = (options: ConstructorParameters<typeof HydraLogger>[0]) => {
  const logger = new HydraLogger({
    env: {},
    enablePerformanceMonitoring: true,
    includeCaller: true,
    ...options,
    config: { layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'm' }] } } },
  });
  logger.info('mail me at a@example.com', { password: 'hunter2', q: "' OR 1=1 --" });
  logger.audit('user deleted', { token: 'secret-token-1' });
  return {
    logger,
    out:
      logger
        .memory('m')
        ?.lines()
        .map((l) => JSON.parse(l)) ?? [],
  };
};

describe('performance modes', () => {
  it('default: keys and patterns redacted, latency and caller recorded', () => {
    const { logger, out } = lines({});
    expect(out[0]).toMatchObject({ message: 'mail me at [REDACTED_EMAIL]', password: '[REDACTED]' });
    expect(out[0]).toHaveProperty('caller');
    expect(logger.getPerformanceMetrics().latency?.count).toBe(2);
  });

  it('highPerformanceMode: sensitive keys still redacted; PII patterns, threats, caller and latency off', () => {
    const { logger, out } = lines({ highPerformanceMode: true });
    expect(out[0]).toMatchObject({ message: 'mail me at a@example.com', password: '[REDACTED]' });
    expect(out[0]).not.toHaveProperty('caller');
    expect(logger.getPerformanceMetrics().latency).toBeUndefined();
    expect(out[1]).toMatchObject({ layer: 'AUDIT', token: '[REDACTED]' });
  });

  it('highPerformanceMode: an explicit redaction option still wins over the mode', () => {
    const { out } = lines({ highPerformanceMode: true, redaction: { removePatterns: [] } });
    expect(out[0]?.message).toBe('mail me at [REDACTED_EMAIL]');
  });

  it('bareMetalMode: no redaction of ordinary records; security/audit/compliance records still redacted', () => {
    const { out } = lines({ bareMetalMode: true });
    expect(out[0]).toMatchObject({ message: 'mail me at a@example.com', password: 'hunter2' });
    expect(out[1]).toMatchObject({ layer: 'AUDIT', token: '[REDACTED]' });
  });

  it('bareMetalMode with enableSanitization: true keeps key redaction', () => {
    const { out } = lines({ bareMetalMode: true, enableSanitization: true });
    expect(out[0]).toMatchObject({ password: '[REDACTED]' });
  });
});
