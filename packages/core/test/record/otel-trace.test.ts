import { context, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncHydraLogger, HydraLogger } from '../../src/index.js';
import { otelTraceFields } from '../../src/record/otel-trace.js';

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const FORMATS = ['json', 'logfmt', 'plain-text', 'gelf', 'syslog', 'csv'] as const;

/** One logger writing every record in every format, each into a memory destination named after it. */
function everyFormat(extra: { enableSanitization?: boolean; enableSecurity?: boolean } = {}) {
  const logger = new HydraLogger({
    config: {
      ...extra,
      layers: {
        DEFAULT: {
          destinations: FORMATS.map((format) => ({ type: 'memory' as const, format, name: format })),
        },
      },
    },
  });
  const lines = () =>
    Object.fromEntries(FORMATS.map((f) => [f, logger.memory(f)?.lines() ?? []])) as Record<
      (typeof FORMATS)[number],
      string[]
    >;
  return { logger, lines };
}

/** The trace fields as each format writes them. */
function expectIds(lines: Record<(typeof FORMATS)[number], string[]>, i: number, span: Span): void {
  const { traceId, spanId } = span.spanContext();
  const json = JSON.parse(lines.json[i] as string);
  expect(json).toMatchObject({ trace_id: traceId, span_id: spanId, trace_flags: '01' });
  const gelf = JSON.parse(lines.gelf[i] as string);
  expect(gelf).toMatchObject({ _trace_id: traceId, _span_id: spanId, _trace_flags: '01' });
  for (const f of ['logfmt', 'plain-text'] as const) {
    expect(lines[f][i]).toContain(` trace_id=${traceId}`);
    expect(lines[f][i]).toContain(` span_id=${spanId}`);
    expect(lines[f][i]).toContain(' trace_flags=01');
  }
  expect(lines.syslog[i]).toContain(`trace_id="${traceId}"`);
  expect(lines.syslog[i]).toContain(`span_id="${spanId}"`);
  expect(lines.syslog[i]).toContain('trace_flags="01"');
  expect(lines.csv[i]).toContain(`""trace_id"":""${traceId}""`);
  expect(lines.csv[i]).toContain(`""span_id"":""${spanId}""`);
}

function expectNoIds(lines: Record<(typeof FORMATS)[number], string[]>, i: number): void {
  for (const f of FORMATS) {
    expect(lines[f][i]).toBeDefined();
    expect(lines[f][i]).not.toMatch(/trace_id|span_id|trace_flags/);
  }
}

describe('trace correlation without OpenTelemetry registered', () => {
  it('adds nothing, and the global slot only reads as absent', () => {
    // This file registers the API below, in beforeAll of the next block; here nothing is registered yet.
    expect((globalThis as Record<symbol, unknown>)[API_KEY]).toBeUndefined();
    expect(otelTraceFields()).toBeUndefined();
    const { logger, lines } = everyFormat();
    logger.info('no otel', { a: 1 });
    expectNoIds(lines(), 0);
  });
});

describe('trace correlation with the OpenTelemetry SDK', () => {
  const provider = new BasicTracerProvider();
  const manager = new AsyncLocalStorageContextManager();
  const tracer = provider.getTracer('otel-trace-test');

  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    trace.disable();
    context.disable();
    await provider.shutdown();
  });

  it('every record inside an active span carries trace_id, span_id and trace_flags, in every format', () => {
    const { logger, lines } = everyFormat();
    let span: Span | undefined;
    tracer.startActiveSpan('op', (s) => {
      span = s;
      logger.info('inside', { a: 1 });
      logger.layer('API').warn('inside, another layer');
      logger.child({ req: 7 }).error('inside, a child');
      s.end();
    });
    logger.info('outside');
    const out = lines();
    for (const i of [0, 1, 2]) expectIds(out, i, span as Span);
    expect(JSON.parse(out.json[2] as string)).toMatchObject({ req: 7, message: 'inside, a child' });
    expectNoIds(out, 3);
  });

  it('follows the active span across awaits and into nested spans', async () => {
    const { logger, lines } = everyFormat();
    const ids: string[] = [];
    await tracer.startActiveSpan('outer', async (outer) => {
      await new Promise((r) => setImmediate(r));
      logger.info('after an await');
      await tracer.startActiveSpan('inner', async (inner) => {
        await Promise.resolve();
        logger.info('nested');
        ids.push(inner.spanContext().spanId);
        inner.end();
      });
      logger.info('back in outer');
      ids.unshift(outer.spanContext().spanId);
      outer.end();
    });
    const json = lines().json.map((l) => JSON.parse(l));
    expect(json.map((r) => r.span_id)).toEqual([ids[0], ids[1], ids[0]]);
    expect(new Set(json.map((r) => r.trace_id)).size).toBe(1);
  });

  it('an AsyncHydraLogger record carries the span of its call, though written later', async () => {
    const logger = new AsyncHydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json', name: 'm' }] } } },
    });
    let ids: { traceId: string; spanId: string } | undefined;
    const pending = tracer.startActiveSpan('op', (s) => {
      ids = s.spanContext();
      const p = logger.info('async inside');
      s.end();
      return p;
    });
    await pending;
    await logger.info('async outside');
    await logger.flush();
    const [inside, outside] = (logger.memory('m')?.lines() ?? []).map((l) => JSON.parse(l));
    expect(inside).toMatchObject({ trace_id: ids?.traceId, span_id: ids?.spanId, trace_flags: '01' });
    expect(outside).not.toHaveProperty('trace_id');
    await logger.close();
  });

  it('writes the sampled flag as the span has it (00 when not sampled)', () => {
    const { logger, lines } = everyFormat();
    const unsampled = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 0,
    });
    context.with(trace.setSpan(context.active(), unsampled), () => logger.info('remote parent'));
    expect(JSON.parse(lines().json[0] as string)).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      trace_flags: '00',
    });
  });

  it('an invalid span context (all-zero ids) adds nothing', () => {
    const { logger, lines } = everyFormat();
    context.with(trace.setSpan(context.active(), trace.wrapSpanContext(INVALID)), () => logger.info('x'));
    expectNoIds(lines(), 0);
  });

  it('a field of the call wins over the span, like any later source; runWithContext fields are kept', () => {
    const { logger, lines } = everyFormat();
    tracer.startActiveSpan('op', (s) => {
      logger.runWithContext({ requestId: 'r1' }, () => logger.info('x', { span_id: 'mine' }));
      s.end();
    });
    expect(JSON.parse(lines().json[0] as string)).toMatchObject({ requestId: 'r1', span_id: 'mine' });
  });

  it('the ids survive redaction (on by default) and threat detection', () => {
    const { logger, lines } = everyFormat({ enableSanitization: true, enableSecurity: true });
    let span: Span | undefined;
    tracer.startActiveSpan('op', (s) => {
      span = s;
      logger.info('with redaction', { password: 'hunter2' });
      s.end();
    });
    expectIds(lines(), 0, span as Span);
    expect(lines().json[0]).not.toContain('hunter2');
  });

  it('a field named __proto__ inside a span stays data: no prototype is set, nothing is polluted', () => {
    const { logger, lines } = everyFormat();
    tracer.startActiveSpan('op', (s) => {
      logger.info('hostile', JSON.parse('{"__proto__":{"polluted":1},"a":1}'));
      s.end();
    });
    const rec = JSON.parse(lines().json[0] as string);
    expect(rec).toMatchObject({ a: 1 });
    expect(rec.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never copies the caller fields object into the trace, nor mutates it', () => {
    const { logger } = everyFormat();
    const fields = Object.freeze({ a: 1 });
    tracer.startActiveSpan('op', (s) => {
      logger.info('x', fields);
      s.end();
    });
    expect(fields).toEqual({ a: 1 });
  });
});

const INVALID = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };

describe('a broken or hostile OpenTelemetry global', () => {
  const g = globalThis as Record<symbol, unknown>;
  let saved: unknown;
  beforeAll(() => {
    saved = g[API_KEY];
  });
  afterAll(() => {
    g[API_KEY] = saved;
  });

  const hostile: [string, unknown][] = [
    [
      'a throwing getter',
      {
        get context() {
          throw new Error('boom');
        },
      },
    ],
    [
      'a Proxy that throws on every read',
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
    ],
    [
      'active() that throws',
      {
        context: {
          active() {
            throw new Error('x');
          },
        },
      },
    ],
    ['active() returning null', { context: { active: () => null } }],
    ['a span without spanContext', { context: { active: () => ({ getValue: () => ({}) }) } }],
    [
      'spanContext() returning numbers',
      {
        context: { active: () => ({ getValue: () => ({ spanContext: () => ({ traceId: 1, spanId: 2 }) }) }) },
      },
    ],
    [
      'ids that are not hex',
      {
        context: {
          active: () => ({
            getValue: () => ({
              spanContext: () => ({ traceId: 'z'.repeat(32), spanId: '"\n'.repeat(8), traceFlags: 1 }),
            }),
          }),
        },
      },
    ],
    ['a string', 'not an object'],
    ['null', null],
  ];

  for (const [name, value] of hostile)
    it(`${name}: the record is written, without trace fields, and nothing throws`, () => {
      g[API_KEY] = value;
      const { logger, lines } = everyFormat();
      expect(() => logger.info('still logged', { a: 1 })).not.toThrow();
      expectNoIds(lines(), 0);
      expect(JSON.parse(lines().json[0] as string)).toMatchObject({ message: 'still logged', a: 1 });
    });

  it('flags out of range are written as 00; upper-case ids as lower case', () => {
    g[API_KEY] = {
      context: {
        active: () => ({
          getValue: () => ({
            spanContext: () => ({
              traceId: 'ABCDEF'.padEnd(32, '1'),
              spanId: 'A'.repeat(16),
              traceFlags: 999,
            }),
          }),
        }),
      },
    };
    expect(otelTraceFields()).toEqual({
      trace_id: 'abcdef'.padEnd(32, '1'),
      span_id: 'a'.repeat(16),
      trace_flags: '00',
    });
  });
});
