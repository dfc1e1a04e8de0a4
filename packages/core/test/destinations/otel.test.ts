import { context, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordProcessor,
  type SdkLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HydraLogger } from '../../src/index.js';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

/** A global LoggerProvider whose records land in memory. */
function install(extra: LogRecordProcessor[] = []) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [...extra, new SimpleLogRecordProcessor({ exporter })] });
  logs.setGlobalLoggerProvider(provider);
  return { exporter, provider, records: () => exporter.getFinishedLogRecords() };
}

const otelLogger = (extra: Record<string, unknown> = {}) =>
  new HydraLogger({
    config: {
      defaultLevel: 'trace',
      layers: { DEFAULT: { destinations: [{ type: 'otel', name: 'otel', ...extra } as never] } },
    },
  });

const tracerProvider = new BasicTracerProvider();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await tracerProvider.shutdown();
});
afterEach(() => {
  logs.disable();
});

const nanos = (hr: [number, number]) => BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1]);

describe('otel destination', () => {
  it('emits each record to the global LoggerProvider: severity, body, attributes, timestamp, scope', async () => {
    const { records, provider } = install();
    const log = otelLogger();
    const before = Date.now();
    log.trace('t');
    log.debug('d');
    log.info('order placed', { orderId: 'A-1', amount: 12.5, tags: ['x'], nested: { k: 1 } });
    log.layer('PAYMENTS').warn('w');
    log.error('e');
    log.critical('c');
    const r = records();
    expect(r.map((x) => [x.severityNumber, x.severityText, x.body])).toEqual([
      [1, 'TRACE', 't'],
      [5, 'DEBUG', 'd'],
      [9, 'INFO', 'order placed'],
      [13, 'WARNING', 'w'],
      [17, 'ERROR', 'e'],
      [21, 'CRITICAL', 'c'],
    ]);
    expect(r[2]?.attributes).toEqual({
      orderId: 'A-1',
      amount: 12.5,
      tags: ['x'],
      nested: { k: 1 },
      'hydra.layer': 'DEFAULT',
    });
    expect(r[3]?.attributes).toEqual({ 'hydra.layer': 'PAYMENTS' });
    expect(r[0]?.instrumentationScope).toMatchObject({ name: 'hydra-logger', version: VERSION });
    // The record's own time (ms), not when the SDK saw it.
    const t = nanos(r[0]?.hrTime as [number, number]);
    expect(t % 1_000_000n).toBe(0n);
    expect(Number(t / 1_000_000n)).toBeGreaterThanOrEqual(before);
    expect(log.getPerformanceMetrics().destinations.otel).toMatchObject({
      type: 'otel',
      records: 6,
      writes: 6,
      errors: 0,
    });
    await log.close();
    await provider.shutdown();
  });

  it('carries the active context: the SDK record has the span; the ids are not repeated as attributes', async () => {
    const { records, provider } = install();
    const log = otelLogger();
    let span: { traceId: string; spanId: string } | undefined;
    tracerProvider.getTracer('t').startActiveSpan('op', (s) => {
      span = s.spanContext();
      log.info('inside', { a: 1 });
      s.end();
    });
    log.info('outside');
    const [inside, outside] = records() as SdkLogRecord[];
    expect(inside?.spanContext).toMatchObject({
      traceId: span?.traceId,
      spanId: span?.spanId,
      traceFlags: 1,
    });
    expect(inside?.attributes).toEqual({ a: 1, 'hydra.layer': 'DEFAULT' });
    expect(outside?.spanContext).toBeUndefined();
    await log.close();
    await provider.shutdown();
  });

  it('trace fields that are not the active span (a caller field) stay attributes', async () => {
    const { records, provider } = install();
    const log = otelLogger();
    log.info('from a header', { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
    expect(records()[0]?.attributes).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c' });
    await log.close();
    await provider.shutdown();
  });

  it('a provider registered after the logger was made is used from then on (records before it go to the no-op provider)', async () => {
    const log = otelLogger();
    log.info('before any provider');
    const { records, provider } = install();
    log.info('after');
    expect(records().map((r) => r.body)).toEqual(['after']);
    expect(log.getPerformanceMetrics().destinations.otel).toMatchObject({ records: 2, writes: 2 });
    await log.close();
    await provider.shutdown();
  });

  it('a processor that throws drops the record, counted as emit_error and reported once; the log call does not throw', async () => {
    const throwing: LogRecordProcessor = {
      onEmit() {
        throw new Error('processor exploded');
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const { provider } = install([throwing]);
    const log = otelLogger();
    const errors: Error[] = [];
    log.on('error', (e: Error) => errors.push(e));
    expect(() => {
      log.info('one');
      log.error('two');
    }).not.toThrow();
    const s = log.getPerformanceMetrics().destinations.otel;
    expect(s).toMatchObject({ records: 2, writes: 0, errors: 2, dropped: { emit_error: 2 } });
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.message)).toContain('processor exploded');
    await log.close();
    await provider.shutdown();
  });

  it('a closed logger emits nothing more', async () => {
    const { records, provider } = install();
    const log = otelLogger();
    await log.close();
    log.info('late');
    expect(records()).toHaveLength(0);
    await provider.shutdown();
  });

  it('takes no options of its own; other keys are refused naming the field', () => {
    expect(() => otelLogger({ endpoint: 'http://x' })).toThrow(/endpoint/);
  });
});
