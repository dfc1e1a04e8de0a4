/**
 * Redaction's per-record scan budget (`limits.maxScanPerRecord`, docs/security.md): one call with
 * 1,000 fields of 64 KiB strings is scanned up to the budget and no further. What lies past the
 * budget is withheld (fail safe: never written unscanned), each cut is marked with how many
 * characters were withheld and counted in `getPerformanceMetrics().truncations.scan` and
 * `logger.sanitizer.stats()`. Bounded work is shown by the counters and the output, not by timing.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, HydraLogger, type HydraLoggerOptions } from '../../src/index.js';

const KIB64 = 64 * 1024;
const FIELDS = 1000;
const SECRET = 'late.secret.owner@example.com';

/** A logger writing JSON and plain-text lines to memory. */
function logger(options: HydraLoggerOptions = {}): HydraLogger {
  return new HydraLogger({
    ...options,
    config: {
      layers: {
        DEFAULT: {
          level: 'TRACE',
          destinations: [
            { type: 'memory', format: 'json', name: 'json' },
            { type: 'memory', format: 'plain-text', name: 'text', colorMode: 'never' },
          ],
        },
      },
    },
  });
}

/** 64 KiB of words (spaces every few characters, so cuts land on a boundary), an e-mail at the end. */
function value(i: number): string {
  const tail = ` ${SECRET}`;
  const body = `field ${i} lorem ipsum dolor sit amet `.repeat(KIB64 / 20).slice(0, KIB64 - tail.length);
  return body + tail;
}

describe('the scan budget (maxScanPerRecord)', () => {
  it('is a named default of 1 MiB characters', () => {
    expect(DEFAULT_LIMITS.maxScanPerRecord).toBe(1024 * 1024);
  });

  it('1,000 fields × 64 KiB: scanned up to the budget, the rest withheld and marked, counted; no secret written', () => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < FIELDS; i++) fields[`f${i}`] = value(i);
    const log = logger();
    log.info('bulk export', fields);

    const m = log.getPerformanceMetrics();
    expect(m.dropped).toEqual({});
    expect(m.processorErrors).toBe(0);
    const budget = DEFAULT_LIMITS.maxScanPerRecord;
    const fullyScanned = Math.floor(budget / KIB64) - 1; // the message, layer and keys take a little of it
    // Every value past the budget is one scan truncation: about 1,000 − 16.
    expect(m.truncations.scan).toBeGreaterThanOrEqual(FIELDS - fullyScanned - 1);
    expect(m.truncations.scan).toBeLessThanOrEqual(FIELDS - fullyScanned);
    const stats = log.sanitizer.stats();
    expect(stats.truncations.scan).toBe(m.truncations.scan);
    // Withheld: everything but (about) the budget.
    expect(stats.unscannedChars).toBeGreaterThan(FIELDS * KIB64 - budget);
    expect(stats.unscannedChars).toBeLessThanOrEqual(FIELDS * KIB64 - budget + 2 * 256);

    const jsonLines = log.memory('json')?.lines() ?? [];
    const textLines = log.memory('text')?.lines() ?? [];
    expect(jsonLines).toHaveLength(1);
    expect(textLines).toHaveLength(1);
    const json = jsonLines[0] as string;
    // Bounded output: the scanned budget plus one short marker per withheld value.
    for (const line of [json, textLines[0] as string])
      expect(line.length).toBeLessThan(budget + FIELDS * 200);
    // No secret in any byte: the scanned values had theirs redacted, the others were withheld.
    for (const line of [json, textLines[0] as string]) expect(line).not.toContain(SECRET);

    const record = JSON.parse(json) as Record<string, string>;
    expect(record.message).toBe('bulk export');
    // Field names are kept (short keys are always scanned).
    for (let i = 0; i < FIELDS; i++) expect(record).toHaveProperty(`f${i}`);
    // The first values were scanned whole: the e-mail is redacted, the text kept.
    expect(record.f0).toBe(value(0).replace(SECRET, '[REDACTED_EMAIL]'));
    // One value straddles the budget: its scanned head, then the marker with what was withheld.
    const partial = Object.values(record).filter((v) => /^field .*…\[unscanned \d+ chars\]$/s.test(v));
    expect(partial).toHaveLength(1);
    // The values after it are withheld whole, each saying how much.
    expect(record.f999).toBe(`[unscanned ${KIB64} chars]`);
    const whole = Object.values(record).filter((v) => v === `[unscanned ${KIB64} chars]`);
    expect(whole.length + partial.length).toBe(m.truncations.scan);
    // Plain text says so too.
    expect(textLines[0]).toMatch(new RegExp(`f999="?\\[unscanned ${KIB64} chars\\]`));
  });

  it('is configurable with the limits option; the message and error text draw on it', () => {
    const log = logger({ limits: { maxScanPerRecord: 100 } });
    const words = 'word '.repeat(30); // 150 characters
    log.info(`${words}${SECRET}`, { note: `contact ${SECRET}` });
    log.error(new Error(`${words}token=${'x'.repeat(20)}`));
    const [first, second] = (log.memory('json')?.lines() ?? []).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(first?.message).toMatch(/^word( word){0,19}…\[unscanned \d+ chars\]$/);
    expect(first?.note).toBe(`[unscanned ${`contact ${SECRET}`.length} chars]`);
    // The error's text too: the record's message (taken from the error) spends the budget first.
    expect(second?.message).toMatch(/^word( word){0,19}…\[unscanned \d+ chars\]$/);
    const err = second?.err as { message: string; stack: string };
    expect(err.message).toMatch(/\[unscanned \d+ chars\]$/);
    expect(err.stack).toMatch(/\[unscanned \d+ chars\]$/);
    expect(JSON.stringify(second)).not.toContain('x'.repeat(20));
    const m = log.getPerformanceMetrics();
    expect(m.truncations.scan).toBeGreaterThanOrEqual(4);
    for (const line of log.memory('text')?.lines() ?? []) expect(line).not.toContain(SECRET);
  });

  it('records within the budget are untouched and count nothing', () => {
    const log = logger();
    log.info('ordinary', { a: 'x'.repeat(KIB64), b: value(1) });
    const record = JSON.parse(log.memory('json')?.lines()[0] as string) as Record<string, string>;
    expect(record.a).toBe('x'.repeat(KIB64));
    expect(record.b).toBe(value(1).replace(SECRET, '[REDACTED_EMAIL]'));
    expect(log.getPerformanceMetrics().truncations.scan).toBe(0);
    expect(log.sanitizer.stats().unscannedChars).toBe(0);
  });
});
