/**
 * Micro-benchmark of default redaction (not a test; benchmark cases P4/P5 are measured by bench/, docs/performance.md).
 * Run: npx vitest bench --run packages/core/test/security/sanitizer.bench.ts
 * ns per record = 1e9 / hz.
 */
import { bench, describe } from 'vitest';
import { DataSanitizer } from '../../src/security/data-sanitizer.js';
import { SecurityValidator } from '../../src/security/security-validator.js';
import { createThreatProcessor } from '../../src/security/threat-processor.js';
import { buildRecord } from './records.js';

const sanitizer = new DataSanitizer();

/** bench/cases.mjs's record: message and five fields. */
const clean = buildRecord('request handled', {
  userId: 42,
  requestId: 'req-abc123',
  path: '/api/v1/items',
  status: 200,
  durationMs: 12.5,
});
/** The same five fields plus two sensitive keys (bench case redact-2-keys). */
const twoKeys = buildRecord('request handled', {
  userId: 42,
  requestId: 'req-abc123',
  path: '/api/v1/items',
  status: 200,
  durationMs: 12.5,
  password: 'hunter2-bench-pw-9f8e7d',
  token: 'tok_live_bench_4c3b2a1f',
});
/** Five fields, two of them holding pattern secrets (an email and a card number in values). */
const twoPatterns = buildRecord('request handled', {
  userId: 42,
  requestId: 'req-abc123',
  contact: 'mail alice@example.com',
  card: '4111 1111 1111 1111',
  durationMs: 12.5,
});
/** A 5-field record with longer, digit-rich text (timestamps, ids, paths): the pre-checks let more through. */
const busy = buildRecord('GET /api/v1/orders/123456?page=2&limit=50 200 12ms at 2026-11-26T21:49:12.563Z', {
  userId: 1234567,
  requestId: 'req-01J9Z3K4M5N6P7Q8R9S0T1U2V3',
  path: '/api/v1/orders/123456',
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  at: '2026-11-26T21:49:12.563Z',
});

const threats = createThreatProcessor(new SecurityValidator(), 'tag');

describe('sanitizeRecord, default patterns and keys', () => {
  bench('5 fields, no secret', () => {
    sanitizer.sanitizeRecord(clean);
  });
  bench('5 fields + 2 sensitive keys', () => {
    sanitizer.sanitizeRecord(twoKeys);
  });
  bench('5 fields, 2 pattern secrets (email, card)', () => {
    sanitizer.sanitizeRecord(twoPatterns);
  });
  bench('5 fields, no secret, digit-rich text', () => {
    sanitizer.sanitizeRecord(busy);
  });
});

describe('threat processor (tag)', () => {
  bench('5 fields, no threat', () => {
    threats.process(clean);
  });
});
