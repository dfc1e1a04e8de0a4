// OpenTelemetry both ways: the active span's ids on every record, records into the program's own
// OTel SDK (`otel`), and OTLP/HTTP straight to a Collector (`otlp`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { HydraLogger } from 'hydra-logger';

// The program's OpenTelemetry setup (NodeSDK.start() registers the same three things). The log
// exporter would be an OTLP exporter in production; here it keeps the records in memory.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider();
trace.setGlobalTracerProvider(tracerProvider);
const exporter = new InMemoryLogRecordExporter();
const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
logs.setGlobalLoggerProvider(loggerProvider);

// A stand-in for a Collector's OTLP/HTTP receiver (http://collector:4318/v1/logs in production).
const bodies: string[] = [];
const collector = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    bodies.push(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/logs`;

const logger = new HydraLogger({
  config: {
    layers: {
      DEFAULT: {
        destinations: [
          { type: 'memory', format: 'json', name: 'lines' },
          { type: 'otel' },
          { type: 'otlp', endpoint, resource: { 'service.name': 'checkout' } },
        ],
      },
    },
  },
});

const tracer = trace.getTracer('checkout');
let traceId = '';
await tracer.startActiveSpan('place-order', async (span) => {
  traceId = span.spanContext().traceId;
  await new Promise((r) => setTimeout(r, 1)); // the span stays active across awaits
  logger.info('order placed', { orderId: 'A-1' });
  span.end();
});
logger.info('no span here');
await logger.flush(); // the otlp batch is delivered when this resolves

// 1. Trace correlation: the record made inside the span carries its ids, in every format.
const [inside, outside] = (logger.memory('lines')?.lines() ?? []).map((l) => JSON.parse(l));
if (inside.trace_id !== traceId || inside.trace_flags !== '01' || 'trace_id' in outside)
  throw new Error(`trace fields: ${JSON.stringify([inside, outside])}`);

// 2. otel: the SDK got both records; the first with the span as its context.
const emitted = exporter.getFinishedLogRecords();
if (
  emitted.length !== 2 ||
  emitted[0]?.spanContext?.traceId !== traceId ||
  emitted[0]?.body !== 'order placed'
)
  throw new Error('otel records');

// 3. otlp: one ExportLogsServiceRequest with both records, the first with the span's ids.
const request = JSON.parse(bodies[0] ?? '{}');
const records = request.resourceLogs[0].scopeLogs[0].logRecords;
if (records.length !== 2 || records[0].traceId !== traceId || records[0].severityText !== 'INFO')
  throw new Error(`otlp body: ${bodies[0]}`);

await logger.close();
await loggerProvider.shutdown();
await tracerProvider.shutdown();
collector.close();
console.log('example ok: opentelemetry');
