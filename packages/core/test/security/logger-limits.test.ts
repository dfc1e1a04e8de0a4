/**
 * S9 of SECURITY.md (bounded time on huge input) through `logger.info` (and the other entry points): a 10 MB message, an object with
 * 1,000,000 keys and an object nested 10,000 deep are each handled in bounded time, produce a
 * bounded line, mark the cut in the output and count it in `getPerformanceMetrics().truncations`,
 * without the heap exploding. The bounds are generous guards against hangs and blow-ups, not
 * performance assertions.
 */
import { describe, expect, it } from 'vitest';
import { HydraLogger, type HydraLoggerOptions } from '../../src/index.js';
import { cpuTime } from '../helpers.js';

const TIME_BOUND_MS = 5_000;
const LINE_BOUND = 2 * 1024 * 1024;
const HEAP_BOUND = 500 * 1024 * 1024;

/** A logger writing JSON and plain-text lines to memory; every level, redaction and threat detection on. */
function logger(options: HydraLoggerOptions = {}): HydraLogger {
  return new HydraLogger({
    enableSecurity: true,
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

/** Runs one log call and checks the S9 bounds; returns the JSON line and the metrics. */
function bounded(log: HydraLogger, call: () => void) {
  const heapBefore = process.memoryUsage().heapUsed;
  const { ms } = cpuTime(call);
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  expect(ms).toBeLessThan(TIME_BOUND_MS);
  expect(heapGrowth).toBeLessThan(HEAP_BOUND);
  const json = log.memory('json')?.lines() ?? [];
  const text = log.memory('text')?.lines() ?? [];
  expect(json).toHaveLength(1);
  expect(text).toHaveLength(1);
  for (const line of [...json, ...text]) expect(line.length).toBeLessThan(LINE_BOUND);
  const m = log.getPerformanceMetrics();
  expect(m.dropped).toEqual({});
  expect(m.processorErrors).toBe(0);
  return { line: json[0] as string, record: JSON.parse(json[0] as string) as Record<string, unknown>, m };
}

/** `{ a: { a: { … { leaf: 'bottom' } } } }`, `depth` levels. */
function nested(depth: number): Record<string, unknown> {
  let o: Record<string, unknown> = { leaf: 'bottom' };
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}

function manyKeys(n: number): Record<string, number> {
  const o: Record<string, number> = {};
  for (let i = 0; i < n; i++) o[`k${i}`] = i;
  return o;
}

/** 10 MB of words, with an email at the start and a secret pair at the very end. */
const bigText = (): string =>
  `mail alice@example.com ${'lorem ipsum dolor sit amet '.repeat(370_371)} password=tail`;

describe('a 10 MB message (S9)', () => {
  it('is cut, marked and counted; the kept part is redacted', () => {
    const text = bigText();
    expect(text.length).toBeGreaterThanOrEqual(10_000_000);
    const log = logger();
    const { record, m } = bounded(log, () => log.info(text));
    const message = record.message as string;
    expect(message).toMatch(/…\[truncated \d+ chars\]$/);
    expect(message.startsWith('mail [REDACTED_EMAIL] lorem ipsum')).toBe(true);
    expect(message).not.toContain('password=tail');
    expect(m.truncations.string).toBeGreaterThanOrEqual(1);
  });

  it('as a field value, an Error message (and its stack), a binding and a context value', () => {
    const text = bigText();
    for (const call of [
      (l: HydraLogger) => l.info('field', { body: text }),
      (l: HydraLogger) => l.error(new Error(text)),
      (l: HydraLogger) => l.child({ body: text }).info('binding'),
      (l: HydraLogger) => l.runWithContext({ body: text }, () => l.info('context')),
      (l: HydraLogger) => l.audit('audit', { body: text }),
    ]) {
      const log = logger();
      const { line, m } = bounded(log, () => call(log));
      expect(line).toMatch(/…\[truncated \d+ chars\]/);
      expect(m.truncations.string).toBeGreaterThanOrEqual(1);
    }
  });

  it('as an object key, is bounded too', () => {
    const log = logger();
    const { line, m } = bounded(log, () => log.info('key', { [bigText()]: 1 }));
    expect(line).toMatch(/…\[truncated \d+ chars\]/);
    expect(m.truncations.string).toBeGreaterThanOrEqual(1);
  });
});

// The normalizer cuts object keys to limits.maxStringLength as it cuts values, redaction or not.
it('with redaction off, a 10 MB object key is still bounded', () => {
  const log = logger({ enableSanitization: false });
  bounded(log, () => log.info('key', { nested: { [bigText()]: 1 } }));
});

describe('an object with 1,000,000 keys (S9)', () => {
  const wide = manyKeys(1_000_000);

  it('as fields: the rest becomes one marker, counted', () => {
    const log = logger();
    const { record, m } = bounded(log, () => log.info('wide', wide));
    expect(Object.keys(record).length).toBeLessThan(20_000);
    expect(Object.values(record)).toContainEqual(expect.stringMatching(/^\[\d+ more keys\]$/));
    expect(m.truncations.breadth).toBeGreaterThanOrEqual(1);
  });

  it('nested in a field, as bindings, as context, and as a 1,000,000-item array and Map', () => {
    const list = Array.from({ length: 1_000_000 }, (_, i) => i);
    const map = new Map(list.map((i) => [`k${i}`, i] as const));
    for (const call of [
      (l: HydraLogger) => l.info('nested', { wide }),
      (l: HydraLogger) => l.child(wide).info('binding'),
      (l: HydraLogger) => l.runWithContext(wide, () => l.info('context')),
      (l: HydraLogger) => l.info('list', { list }),
      (l: HydraLogger) => l.info('map', { map }),
    ]) {
      const log = logger();
      const { line, m } = bounded(log, () => call(log));
      expect(line).toMatch(/\[\d+ more (keys|items|entries)\]/);
      expect(m.truncations.breadth).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('an object nested 10,000 deep (S9)', () => {
  it('as fields and as the first argument: cut at the depth limit, marked and counted', () => {
    const deep = nested(10_000);
    for (const call of [(l: HydraLogger) => l.info('deep', { deep }), (l: HydraLogger) => l.info(deep)]) {
      const log = logger();
      const { line, m } = bounded(log, () => call(log));
      expect(line).toContain('[Depth limit]');
      expect(line).not.toContain('bottom');
      expect(m.truncations.depth).toBeGreaterThanOrEqual(1);
    }
  });

  it('as nested arrays, a cause chain of 10,000 Errors, bindings and context', () => {
    let arr: unknown[] = ['bottom'];
    for (let i = 0; i < 10_000; i++) arr = [arr];
    let err = new Error('bottom');
    for (let i = 0; i < 10_000; i++) err = new Error(`level ${i}`, { cause: err });
    const deep = nested(10_000);
    for (const call of [
      (l: HydraLogger) => l.info('arrays', { arr }),
      (l: HydraLogger) => l.error(err),
      (l: HydraLogger) => l.child({ deep }).info('binding'),
      (l: HydraLogger) => l.runWithContext({ deep }, () => l.info('context')),
    ]) {
      const log = logger();
      const { line, m } = bounded(log, () => call(log));
      expect(line).toContain('[Depth limit]');
      expect(m.truncations.depth).toBeGreaterThanOrEqual(1);
    }
  });
});
