import { describe, expect, it } from 'vitest';
import {
  anyValue,
  otlpBody,
  otlpEnvelope,
  otlpLogRecord,
  recordTrace,
  severityNumber,
} from '../../src/delivery/encode/otlp.js';
import { LEVEL_NAMES, LEVELS, levelName } from '../../src/record/levels.js';
import type { Fields, LogRecord } from '../../src/record/record.js';
import {
  decodeOtlpJson,
  ExportLogsServiceRequest,
  recordsOf,
  strictProblems,
} from '../fixtures/otlp-receiver.js';

function record(over: Partial<LogRecord> & { fields?: Fields }): LogRecord {
  const level = over.level ?? LEVELS.INFO;
  return {
    time: 1_733_371_200_123,
    level,
    levelName: levelName(level),
    layer: 'APP',
    message: 'hello',
    fields: undefined,
    bindings: undefined,
    context: undefined,
    error: undefined,
    caller: undefined,
    ...over,
  };
}

const envelope = otlpEnvelope(
  { 'service.name': 'checkout', 'host.cpus': 2, debug: true },
  { name: 'hydra-logger', version: '0.1.0' },
);
const bodyOf = (records: LogRecord[], observed = 1_733_371_200_456) =>
  otlpBody(
    envelope,
    records.map((r) => Buffer.from(otlpLogRecord(r, observed))),
  );

describe('OTLP severity', () => {
  it('maps every level of the core onto OpenTelemetry severity numbers', () => {
    const expected: Record<string, number> = {
      TRACE: 1,
      DEBUG: 5,
      INFO: 9,
      WARNING: 13,
      ERROR: 17,
      CRITICAL: 21,
    };
    for (const name of LEVEL_NAMES)
      expect([name, severityNumber(LEVELS[name])]).toEqual([name, expected[name]]);
    expect(severityNumber(LEVELS.NOTSET)).toBe(0);
  });

  it('numbers between two levels move up inside the lower range, never into the next', () => {
    expect(severityNumber(1)).toBe(1);
    expect([7, 9].map(severityNumber)).toEqual([2, 4]);
    expect([15, 19].map(severityNumber)).toEqual([7, 8]);
    expect([22, 25, 29].map(severityNumber)).toEqual([9, 11, 12]);
    expect([35, 45].map(severityNumber)).toEqual([15, 19]);
    expect([55, 59, 60, 1000].map(severityNumber)).toEqual([23, 24, 24, 24]);
  });
});

describe('OTLP/JSON encoding of a record', () => {
  it('verifies against the official definitions and carries every part', () => {
    const r = record({
      level: LEVELS.WARNING,
      layer: 'PAYMENTS',
      message: 'card "declined"\n',
      fields: {
        orderId: 'A-1',
        amount: 12.5,
        count: 3,
        big: 2 ** 60,
        ok: false,
        nothing: null,
        tags: ['a', 1, true],
        nested: { deep: { deeper: [1, { x: 'y' }] } },
        skipped: undefined,
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        trace_flags: '01',
      },
    });
    const [rec] = recordsOf([decodeOtlpJson(bodyOf([r]))]);
    expect(rec).toEqual({
      timeUnixNano: '1733371200123000000',
      observedTimeUnixNano: '1733371200456000000',
      severityNumber: 13,
      severityText: 'WARNING',
      body: 'card "declined"\n',
      attributes: {
        orderId: 'A-1',
        amount: 12.5,
        count: 3,
        big: 2 ** 60,
        ok: false,
        nothing: null,
        tags: ['a', 1, true],
        nested: { deep: { deeper: [1, { x: 'y' }] } },
        'hydra.layer': 'PAYMENTS',
      },
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      flags: 1,
    });
  });

  it('writes 64-bit integers as decimal strings, ids as hex, severity as a number (the OTLP JSON mapping)', () => {
    const json = JSON.parse(
      otlpLogRecord(
        record({
          fields: {
            n: 42,
            trace_id: '0AF7651916CD43DD8448EB211C80319C',
            span_id: 'B7AD6B7169203331',
            trace_flags: '00',
          },
        }),
        1,
      ),
    );
    expect(json.timeUnixNano).toBe('1733371200123000000');
    expect(json.observedTimeUnixNano).toBe('1000000');
    expect(json.severityNumber).toBe(9);
    expect(json.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(json.spanId).toBe('b7ad6b7169203331');
    expect(json.flags).toBe(0);
    expect(json.attributes).toContainEqual({ key: 'n', value: { intValue: '42' } });
    expect(json.attributes.map((a: { key: string }) => a.key)).not.toContain('trace_id');
  });

  it('takes the ids of the http middleware (traceId, spanId, traceFlags from traceparent) when there are no trace_* fields', () => {
    const [rec] = recordsOf([
      decodeOtlpJson(
        bodyOf([
          record({
            fields: {
              requestId: 'r1',
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: '00f067aa0ba902b7',
              traceFlags: '01',
            },
          }),
        ]),
      ),
    ]);
    expect(rec).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
    });
    expect(rec?.attributes).toEqual({ requestId: 'r1', 'hydra.layer': 'APP' });
  });

  it('keeps trace-like fields that are not valid ids as attributes and sends no ids', () => {
    const [rec] = recordsOf([
      decodeOtlpJson(bodyOf([record({ fields: { trace_id: 'not-hex', span_id: '0000000000000000' } })])),
    ]);
    expect(rec?.attributes).toMatchObject({ trace_id: 'not-hex', span_id: '0000000000000000' });
    expect(rec?.traceId).toBe('');
    expect(rec?.spanId).toBe('');
    expect(recordTrace({ trace_id: '0'.repeat(32), span_id: '1'.repeat(16) })).toBeUndefined();
  });

  it('non-finite doubles, bigints, dates, bytes and deep values stay valid OTLP', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 40; i++) at = at.d = {} as Record<string, unknown>;
    const fields = {
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      bi: 12n,
      huge: 2n ** 70n,
      when: new Date(0),
      bytes: new Uint8Array([1, 2, 3]),
      deep,
      fn: () => 1,
    } as unknown as Fields;
    const [rec] = recordsOf([decodeOtlpJson(bodyOf([record({ fields })]))]);
    expect(rec?.attributes).toMatchObject({
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      ninf: Number.NEGATIVE_INFINITY,
      bi: 12,
      huge: (2n ** 70n).toString(),
      when: '1970-01-01T00:00:00.000Z',
      bytes: 'bytes:AQID',
    });
    expect(rec?.attributes).not.toHaveProperty('fn');
    expect(anyValue(deep, 30)).toContain('[Depth]');
  });

  it('the caller and the kind of a record are attributes', () => {
    const [rec] = recordsOf([
      decodeOtlpJson(
        bodyOf([
          record({
            kind: 'audit',
            caller: { file: '/app/src/pay.ts', line: 12, column: 5, function: 'charge' },
          }),
        ]),
      ),
    ]);
    expect(rec?.attributes).toEqual({
      'hydra.layer': 'APP',
      'hydra.kind': 'audit',
      'code.file.path': '/app/src/pay.ts',
      'code.line.number': 12,
      'code.column.number': 5,
      'code.function.name': 'charge',
    });
  });

  it('a batch is one request: one resource, one scope, the records in order', () => {
    const req = decodeOtlpJson(
      bodyOf([record({ message: 'a' }), record({ message: 'b', fields: { k: 1 } }), record({ message: '' })]),
    );
    expect(req.resources).toHaveLength(1);
    expect(req.resources[0]?.attributes).toEqual({ 'service.name': 'checkout', 'host.cpus': 2, debug: true });
    expect(req.resources[0]?.scopes.map((s) => [s.name, s.version])).toEqual([['hydra-logger', '0.1.0']]);
    expect(recordsOf([req]).map((r) => r.body)).toEqual(['a', 'b', '']);
  });

  it('the strict check refuses what protobufjs alone would accept (unknown keys, base64 ids, numbers as strings)', () => {
    const good = JSON.parse(bodyOf([record({})]).toString());
    expect(strictProblems(ExportLogsServiceRequest, good)).toEqual([]);
    const lr = good.resourceLogs[0].scopeLogs[0].logRecords[0];
    const bad = structuredClone(good);
    Object.assign(bad.resourceLogs[0].scopeLogs[0].logRecords[0], {
      severity_number: 9,
      traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64'),
      severityNumber: '9',
      timeUnixNano: 1.5,
    });
    expect(strictProblems(ExportLogsServiceRequest, bad)).toHaveLength(4);
    expect(lr.body).toEqual({ stringValue: 'hello' });
  });
});
