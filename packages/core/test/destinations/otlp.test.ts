import { context, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { detectResources, envDetector } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValidationError, EnvironmentError, HydraLogger } from '../../src/index.js';
import {
  decodeOtlpJson,
  otlpResponseJson,
  type PlainRecord,
  type Receiver,
  recordsOf,
  startReceiver,
} from '../fixtures/otlp-receiver.js';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

function otlpLogger(
  d: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {},
  extra: Record<string, unknown>[] = [],
) {
  return new HydraLogger({
    env,
    config: {
      defaultLevel: 'trace',
      layers: {
        DEFAULT: { destinations: [{ type: 'otlp', name: 'otlp', ...d } as never, ...(extra as never[])] },
      },
    },
  });
}

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const bodies = (r: Receiver, path = '/v1/logs') =>
  r.requests.filter((q) => q.path === path).map((q) => decodeOtlpJson(q.body));

describe('otlp destination: what the OpenTelemetry SDK exporter sends for the same records', () => {
  const tracerProvider = new BasicTracerProvider();
  const saved = { ...process.env };
  let provider: LoggerProvider;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(tracerProvider);
  });
  afterAll(async () => {
    trace.disable();
    context.disable();
    logs.disable();
    process.env = saved;
    await tracerProvider.shutdown();
  });

  it('same resource, scope, severity, body, attributes, time and trace/span ids', async () => {
    receiver = await startReceiver();
    // Both sides read the resource from the same variables: the SDK with its own env detector.
    process.env.OTEL_SERVICE_NAME = 'checkout';
    process.env.OTEL_RESOURCE_ATTRIBUTES =
      'deployment.environment.name=test,team=pay%20ments,service.name=ignored';
    const resource = detectResources({ detectors: [envDetector] });
    provider = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: receiver.url('/sdk/v1/logs') }),
        }),
      ],
    });
    logs.setGlobalLoggerProvider(provider);

    // One logger, two destinations: `otlp` straight to the receiver; `otel` into the SDK above, whose
    // own OTLP/HTTP exporter sends to the same receiver.
    const log = otlpLogger({ endpoint: receiver.url() }, process.env, [{ type: 'otel', name: 'otel' }]);
    const tracer = tracerProvider.getTracer('t');
    log.trace('a trace record');
    log.debug('debugging', { step: 1 });
    tracer.startActiveSpan('checkout', (span) => {
      log.info('order placed', {
        orderId: 'A-1',
        amount: 12.5,
        count: 3,
        ok: true,
        tags: ['a', 'b'],
        nested: { k: 'v', n: [1, 2] },
        none: null,
        negative: -0.25,
        emptyList: [],
      });
      log.layer('PAYMENTS').warn('card declined', { code: 'insufficient_funds' });
      log.error(new Error('gateway down'));
      span.end();
    });
    log.critical('out of memory', { rssMb: 2048 });
    await log.flush();
    await provider.forceFlush();
    await receiver.waitFor(
      () => recordsOf(bodies(receiver as Receiver, '/sdk/v1/logs')).length === 6,
      'six SDK records',
    );

    const ours = bodies(receiver);
    const theirs = bodies(receiver, '/sdk/v1/logs');
    // Resource and scope: equal (the SDK's resource is the env detector's; ours reads the same variables).
    expect(ours[0]?.resources[0]?.attributes).toEqual({
      'service.name': 'checkout',
      'deployment.environment.name': 'test',
      team: 'pay ments',
    });
    expect(theirs[0]?.resources[0]?.attributes).toEqual(ours[0]?.resources[0]?.attributes);
    expect(ours[0]?.resources[0]?.scopes[0]).toMatchObject({ name: 'hydra-logger', version: VERSION });
    expect(theirs[0]?.resources[0]?.scopes[0]).toMatchObject({ name: 'hydra-logger', version: VERSION });

    // Records: equal field by field once decoded with the official definitions. Intended differences:
    // - observedTimeUnixNano: when each side saw the record (its own clock), never the same;
    // - in the raw JSON (not after decoding), 64-bit integers: ours are decimal strings (the protobuf
    //   JSON mapping's canonical form for int64), the SDK writes JSON numbers; both are valid OTLP/JSON;
    // - the SDK writes `droppedAttributesCount: 0`; we leave zero-valued fields out, as proto3 JSON does;
    // - without a configured resource, the SDK's default resource adds telemetry.sdk.* and names the
    //   service `unknown_service:<argv0>`; ours is only `service.name`, `unknown_service:<executable
    //   name>` (the OTel resource spec's process.executable.name). This test gives both the same one.
    const rawOurs = receiver.requests.find((q) => q.path === '/v1/logs')?.body.toString() ?? '';
    const rawTheirs =
      receiver.requests
        .find((q) => q.path === '/sdk/v1/logs' && q.body.includes('orderId'))
        ?.body.toString() ?? '';
    expect(rawOurs).toContain('{"key":"count","value":{"intValue":"3"}}');
    expect(rawTheirs).toContain('{"key":"count","value":{"intValue":3}}');
    expect(rawOurs).not.toContain('droppedAttributesCount');
    const comparable = (r: PlainRecord) => {
      // observedTimeUnixNano: when each side saw the record (its own clock), never the same.
      const { observedTimeUnixNano: _observed, ...rest } = r;
      return rest;
    };
    const a = recordsOf(ours).map(comparable);
    const b = recordsOf(theirs).map(comparable);
    expect(a).toHaveLength(6);
    expect(b).toEqual(a);

    // And what they are.
    expect(a.map((r) => [r.severityNumber, r.severityText, r.body])).toEqual([
      [1, 'TRACE', 'a trace record'],
      [5, 'DEBUG', 'debugging'],
      [9, 'INFO', 'order placed'],
      [13, 'WARNING', 'card declined'],
      [17, 'ERROR', 'gateway down'],
      [21, 'CRITICAL', 'out of memory'],
    ]);
    const inSpan = a.slice(2, 5);
    expect(new Set(inSpan.map((r) => r.traceId)).size).toBe(1);
    expect(inSpan[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inSpan[0]?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(inSpan.every((r) => r.flags === 1)).toBe(true);
    expect([a[0], a[1], a[5]].map((r) => [r?.traceId, r?.spanId, r?.flags])).toEqual([
      ['', '', 0],
      ['', '', 0],
      ['', '', 0],
    ]);
    expect(a[2]?.attributes).toEqual({
      orderId: 'A-1',
      amount: 12.5,
      count: 3,
      ok: true,
      tags: ['a', 'b'],
      nested: { k: 'v', n: [1, 2] },
      none: null,
      negative: -0.25,
      emptyList: [],
      'hydra.layer': 'DEFAULT',
    });
    expect(a[3]?.attributes).toEqual({ code: 'insufficient_funds', 'hydra.layer': 'PAYMENTS' });
    expect(a[4]?.attributes.err).toMatchObject({ type: 'Error', message: 'gateway down' });
    expect(a[5]?.timeUnixNano).toMatch(/^\d{13}000000$/);

    // Every request of ours is application/json on the default path.
    for (const q of receiver.requests.filter((x) => x.path === '/v1/logs'))
      expect(q.headers['content-type']).toBe('application/json');
    await log.close();
    await provider.shutdown();
  });
});

describe('otlp destination: settings and the OTEL_* environment', () => {
  it('OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/logs appended; the logs endpoint is used as is and wins; the option wins over both', async () => {
    receiver = await startReceiver();
    const base = receiver.url('');
    const cases: [Record<string, unknown>, NodeJS.ProcessEnv, string][] = [
      [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: base }, '/v1/logs'],
      [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: `${base}/otlp/` }, '/otlp/v1/logs'],
      [
        {},
        { OTEL_EXPORTER_OTLP_ENDPOINT: `${base}/otlp`, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${base}/mine?x=1` },
        '/mine?x=1',
      ],
      [{ endpoint: `${base}/option` }, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${base}/mine` }, '/option'],
    ];
    for (const [d, env, expected] of cases) {
      const log = otlpLogger(d, env);
      log.info('x');
      await log.flush();
      expect(receiver.requests.at(-1)?.path).toBe(expected);
      await log.close();
    }
  });

  it('headers from OTEL_EXPORTER_OTLP_HEADERS and ..._LOGS_HEADERS (percent-decoded), the option winning', async () => {
    receiver = await startReceiver();
    const log = otlpLogger(
      { endpoint: receiver.url(), headers: { 'X-Team': 'option', 'Content-Type': 'text/plain' } },
      {
        OTEL_EXPORTER_OTLP_HEADERS: ' api-key = a%20b%2Cc , x-team=general,x-general=1',
        OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-general=logs,x-team=logs',
      },
    );
    log.info('x');
    await log.flush();
    const h = receiver.requests[0]?.headers;
    expect(h?.['api-key']).toBe('a b,c');
    expect(h?.['x-general']).toBe('logs');
    expect(h?.['x-team']).toBe('option');
    // OTLP/HTTP JSON is always application/json.
    expect(h?.['content-type']).toBe('application/json');
    await log.close();
  });

  it('resource from OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME of the logger environment (not process.env), the option winning', async () => {
    receiver = await startReceiver();
    process.env.OTEL_SERVICE_NAME = 'from-process-env';
    try {
      const resourceOf = async (d: Record<string, unknown>, env: NodeJS.ProcessEnv) => {
        const log = otlpLogger({ endpoint: (receiver as Receiver).url(), ...d }, env);
        log.info('x');
        await log.flush();
        await log.close();
        const last = (receiver as Receiver).requests.at(-1);
        return decodeOtlpJson(last?.body ?? '').resources[0]?.attributes;
      };
      expect(await resourceOf({}, {})).toEqual({
        'service.name': `unknown_service:${process.argv0.split('/').at(-1)}`,
      });
      expect(
        await resourceOf(
          {},
          { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,host.name=h%3D1', OTEL_SERVICE_NAME: 'b' },
        ),
      ).toEqual({ 'service.name': 'b', 'host.name': 'h=1' });
      expect(
        await resourceOf(
          { resource: { 'service.name': 'c', 'service.instance.id': 7, canary: true } },
          { OTEL_SERVICE_NAME: 'b', OTEL_RESOURCE_ATTRIBUTES: 'region=eu' },
        ),
      ).toEqual({ 'service.name': 'c', 'service.instance.id': 7, canary: true, region: 'eu' });
    } finally {
      delete process.env.OTEL_SERVICE_NAME;
    }
  });

  it('gzip from the option or OTEL_EXPORTER_OTLP_COMPRESSION; the body still verifies', async () => {
    receiver = await startReceiver();
    for (const [d, env] of [
      [{ compress: 'gzip' }, {}],
      [{}, { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }],
      [{}, { OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_COMPRESSION: 'none' }],
    ] as [Record<string, unknown>, NodeJS.ProcessEnv][]) {
      const log = otlpLogger({ endpoint: receiver.url(), ...d }, env);
      log.info('zipped', { n: 1 });
      await log.flush();
      await log.close();
      const q = receiver.requests.at(-1);
      expect(q?.headers['content-encoding']).toBe('gzip');
      expect(recordsOf([decodeOtlpJson(q?.body ?? '')])[0]?.body).toBe('zipped');
    }
  });

  it('batches: one ExportLogsServiceRequest per batch, every record once, in order', async () => {
    receiver = await startReceiver();
    const log = otlpLogger({ endpoint: receiver.url(), batch: { maxRecords: 7 } });
    for (let i = 0; i < 50; i++) log.info('r', { seq: i });
    await log.flush();
    const reqs = bodies(receiver);
    expect(reqs).toHaveLength(8);
    expect(recordsOf(reqs).map((r) => r.attributes.seq)).toEqual([...Array(50).keys()]);
    expect(log.getPerformanceMetrics().destinations.otlp).toMatchObject({
      type: 'otlp',
      produced: 50,
      delivered: 50,
      pending: 0,
    });
    await log.close();
  });
});

describe('otlp destination: delivery', () => {
  it('a 503 with Retry-After is retried after the time the receiver asked for, with the same records', async () => {
    receiver = await startReceiver((n) =>
      n === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    // A base backoff of 1 ms: only Retry-After can make the retry wait a second.
    const log = otlpLogger({ endpoint: receiver.url(), retry: { baseMs: 1, maxMs: 10_000 } });
    log.info('first', { seq: 1 });
    log.info('second', { seq: 2 });
    await log.flush();
    await receiver.waitFor(() => (receiver as Receiver).requests.length === 2, 'the retry');
    const [a, b] = receiver.requests;
    expect(a?.body.equals(b?.body ?? Buffer.alloc(0))).toBe(true);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(recordsOf(bodies(receiver).slice(1)).map((r) => r.body)).toEqual(['first', 'second']);
    expect(log.getPerformanceMetrics().destinations.otlp).toMatchObject({ delivered: 2, pending: 0 });
    await log.close();
  });

  it('a 400 is not retried: the batch is dropped as rejected, counted', async () => {
    receiver = await startReceiver(() => ({ status: 400 }));
    const log = otlpLogger({ endpoint: receiver.url() });
    log.info('refused');
    await log.flush();
    const s = log.getPerformanceMetrics().destinations.otlp;
    expect(receiver.requests).toHaveLength(1);
    expect(s).toMatchObject({ produced: 1, delivered: 0, pending: 0 });
    expect(s?.dropped).toMatchObject({ rejected: 1 });
    await log.close();
  });
});

describe('otlp destination: the receiver keeps part of a batch (partialSuccess)', () => {
  it('rejectedLogRecords are counted as dropped (rejected) and reported with the receiver’s message; the rest as delivered', async () => {
    receiver = await startReceiver((n) =>
      n === 0
        ? {
            status: 200,
            body: otlpResponseJson({
              partialSuccess: { rejectedLogRecords: 2, errorMessage: '2 log records were too old' },
            }),
          }
        : { status: 200 },
    );
    expect(otlpResponseJson({ partialSuccess: { rejectedLogRecords: 2 } })).toBe(
      '{"partialSuccess":{"rejectedLogRecords":"2"}}',
    );
    const log = otlpLogger({ endpoint: receiver.url(), batch: { maxRecords: 5 } });
    const errors: Error[] = [];
    log.on('error', (e: Error) => errors.push(e));
    for (let i = 0; i < 5; i++) log.info('first batch', { i });
    await log.flush();
    for (let i = 0; i < 5; i++) log.info('second batch', { i });
    await log.flush();
    expect(receiver.requests).toHaveLength(2);
    const s = log.getPerformanceMetrics().destinations.otlp;
    expect(s).toMatchObject({ produced: 10, delivered: 8, pending: 0 });
    expect(s?.dropped).toEqual({ rejected: 2 });
    // One error event (the logger's write-failure report), naming the receiver's code and message.
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/OTLP_PARTIAL_SUCCESS/);
    expect(errors[0]?.message).toContain(
      'rejected 2 of 5 records (counted as dropped: rejected): 2 log records were too old',
    );
    await log.close();
  });

  it('an empty partialSuccess, an empty body or an unreadable answer deliver the batch whole', async () => {
    const answers = [
      otlpResponseJson({ partialSuccess: {} }),
      '',
      'not json',
      '{"partialSuccess":{"rejectedLogRecords":"-3"}}',
    ];
    receiver = await startReceiver((n) => ({ status: 200, body: answers[n] ?? '{}' }));
    const log = otlpLogger({ endpoint: receiver.url() });
    const errors: Error[] = [];
    log.on('error', (e: Error) => errors.push(e));
    for (let i = 0; i < answers.length; i++) {
      log.info('record', { i });
      await log.flush();
    }
    expect(receiver.requests).toHaveLength(answers.length);
    const s = log.getPerformanceMetrics().destinations.otlp;
    expect(s).toMatchObject({ produced: answers.length, delivered: answers.length, pending: 0 });
    expect(s?.dropped).toEqual({});
    expect(errors).toEqual([]);
    await log.close();
  });
});

describe('otlp destination: configuration errors', () => {
  const problem = (d: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
    try {
      otlpLogger(d, env);
    } catch (e) {
      return e as Error;
    }
    throw new Error('no error');
  };

  it('bad options name the field and what was expected', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { endpoint: 'ftp://x/v1/logs' },
        /destinations\[0\]\.endpoint: expected an http:\/\/ or https:\/\/ URL/,
      ],
      [{ endpoint: 42 }, /endpoint: expected an http/],
      [{ headers: 'k=v' }, /headers: expected an object of header name/],
      [{ headers: { 'bad name': 'x' } }, /headers\.bad name: expected a valid HTTP header name/],
      [{ headers: { a: 'x\r\ny' } }, /headers\.a: expected a string without line breaks/],
      [{ resource: ['a'] }, /resource: expected an object of resource attributes/],
      [{ resource: { a: { b: 1 } } }, /resource\.a: expected a string, a finite number or a boolean/],
      [{ resource: { a: Number.NaN } }, /resource\.a: expected a string, a finite number or a boolean/],
      [{ compress: 'brotli' }, /compress/],
      [
        { endpoint: 'http://127.0.0.1:1/v1/logs', tls: { rejectUnauthorized: false } },
        /tls: takes effect only with an https:\/\/ endpoint/,
      ],
      [{ url: 'http://x' }, /url/],
    ];
    for (const [d, re] of cases) {
      const e = problem(d);
      expect(e).toBeInstanceOf(ConfigValidationError);
      expect(e.message).toMatch(re);
    }
  });

  it('an unreadable OTEL_* variable is an EnvironmentError naming it', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'ftp://x' }, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
      [{ OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'a=%0D%0Ainjected: 1' }, 'OTEL_EXPORTER_OTLP_LOGS_HEADERS'],
      [{ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' }, 'OTEL_RESOURCE_ATTRIBUTES'],
      [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }, 'OTEL_EXPORTER_OTLP_COMPRESSION'],
      [{ OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '10s' }, 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT'],
    ];
    for (const [env, variable] of cases) {
      const e = problem({}, env);
      expect(e).toBeInstanceOf(EnvironmentError);
      expect((e as EnvironmentError).variable).toBe(variable);
      expect(e.message).toContain(variable);
    }
  });
});
