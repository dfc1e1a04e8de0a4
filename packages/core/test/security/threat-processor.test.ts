import { describe, expect, it } from 'vitest';
import { SecurityValidator } from '../../src/security/security-validator.js';
import { createThreatProcessor } from '../../src/security/threat-processor.js';
import { cpuTime } from '../helpers.js';
import { buildRecord } from './records.js';

const validator = new SecurityValidator();

describe('createThreatProcessor', () => {
  it('tag: adds a threats field (one per type, its worst severity, worst first) to a new fields object and counts it', () => {
    const fields = { path: '/search', q: "' OR 1=1 --" };
    const r = buildRecord('search <script>alert(1)</script>', fields);
    const p = createThreatProcessor(validator, 'tag');
    expect(p.name).toBe('threats');
    const out = p.process(r);
    expect(out).not.toBe(r);
    expect(out?.fields).toEqual({
      path: '/search',
      q: "' OR 1=1 --",
      threats: [
        { type: 'sql_injection', severity: 'critical' },
        { type: 'xss', severity: 'high' },
      ],
    });
    expect(fields).toEqual({ path: '/search', q: "' OR 1=1 --" });
    expect(p.stats()).toEqual({
      scanned: 1,
      flagged: 1,
      blocked: 0,
      byType: { sql_injection: 1, xss: 1 },
      bySeverity: { critical: 1, high: 1 },
    });
  });

  it('tag: a clean record is returned as is', () => {
    const r = buildRecord('GET /api/v1/users?page=2 200', { user: "O'Brien" });
    const p = createThreatProcessor(validator, 'tag');
    expect(p.process(r)).toBe(r);
    expect(p.stats()).toMatchObject({ scanned: 1, flagged: 0 });
  });

  it('tag: a caller field named "threats" cannot forge or hide the verdict', () => {
    const r = buildRecord('../../etc/passwd', { threats: [] });
    const out = createThreatProcessor(validator, 'tag').process(r);
    expect(out?.fields).toEqual({
      _threats: [],
      threats: [{ type: 'path_traversal', severity: 'critical' }],
    });
  });

  it('scans nested string values', () => {
    const r = buildRecord('request', { body: { filter: { user: '*)(uid=*))(|(uid=*' } } });
    const out = createThreatProcessor(validator, 'tag').process(r);
    expect(out?.fields?.threats).toEqual([{ type: 'ldap_injection', severity: 'high' }]);
  });

  it('block: drops a flagged record and counts it; keeps clean ones', () => {
    const p = createThreatProcessor(validator, 'block');
    expect(p.process(buildRecord('; rm -rf /'))).toBeUndefined();
    const clean = buildRecord('hello');
    expect(p.process(clean)).toBe(clean);
    expect(p.stats()).toMatchObject({ scanned: 2, flagged: 1, blocked: 1, byType: { command_injection: 1 } });
  });

  it('off: does not look', () => {
    const p = createThreatProcessor(validator, 'off');
    const r = buildRecord('<script>');
    expect(p.process(r)).toBe(r);
    expect(p.stats().scanned).toBe(0);
  });

  it('a record with huge fields is examined in bounded time', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`k${i}`] = "' or ".repeat(2000);
    const r = buildRecord('x', many);
    const { ms } = cpuTime(() => createThreatProcessor(validator, 'tag').process(r));
    expect(ms).toBeLessThan(500);
  });
});
