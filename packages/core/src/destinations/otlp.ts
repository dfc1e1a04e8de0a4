import { type Checker, isObject, show } from '../config/checker.js';
import type { DeliverySettings, NetworkTls } from '../config/types.js';
import { otlpAnswer, otlpBody, otlpEnvelope, otlpLogRecord } from '../delivery/encode/otlp.js';
import { createNetworkDestination } from '../delivery/engine.js';
import { hydraVersion, otlpSettings } from '../delivery/otlp-settings.js';
import { createHttpTransport } from '../delivery/transport/http.js';
import type { LogRecord } from '../record/record.js';
import {
  COMPRESS_OPTION,
  checkDelivery,
  DELIVERY_OPTIONS,
  HEADERS_OPTION,
  TLS_OPTION,
  urlOption,
} from './delivery-options.js';
import type { DestinationType, OptionCheck } from './type.js';

/**
 * `{ type: 'otlp' }`: OTLP/HTTP JSON (`ExportLogsServiceRequest`) to an OpenTelemetry Collector;
 * `endpoint`, `headers` and `resource` default from the `OTEL_*` environment variables.
 */
export interface OtlpOptions extends DeliverySettings {
  endpoint?: string;
  headers?: Record<string, string>;
  resource?: Record<string, string | number | boolean>;
  compress?: 'gzip' | 'none';
  tls?: NetworkTls;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    otlp: OtlpOptions;
  }
}

const resource: OptionCheck = (v, at, c) => {
  if (v === undefined) return;
  if (!isObject(v)) {
    c.fail(at, `expected an object of resource attributes (e.g. { 'service.name': 'api' }), got ${show(v)}`);
    return;
  }
  for (const [k, x] of Object.entries(v))
    if (!(typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))))
      c.fail(`${at}.${k}`, `expected a string, a finite number or a boolean, got ${show(x)}`);
};

/**
 * `{ type: 'otlp' }`: records as OTLP/HTTP JSON `ExportLogsServiceRequest`s (one per batch) POSTed
 * to an OpenTelemetry Collector (or any OTLP/HTTP receiver). `endpoint`, `headers`, `resource`,
 * `compress` and `timeoutMs` default from the `OTEL_EXPORTER_OTLP_*`, `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` variables of the logger's environment; batching, retries (`Retry-After`
 * honoured), health and the spool are the delivery engine's, as for `http` (docs/destinations.md).
 * Records need no formatter: each becomes one OTLP `LogRecord` (delivery/encode/otlp.ts). This file
 * is in the network chunk (chunks/network.ts), loaded the first time a config names the type.
 */
export const otlpType: DestinationType = {
  name: 'otlp',
  options: {
    endpoint: urlOption(false, ' (the full path, e.g. http://collector:4318/v1/logs)'),
    headers: HEADERS_OPTION,
    resource,
    compress: COMPRESS_OPTION,
    ...TLS_OPTION,
    ...DELIVERY_OPTIONS,
  },
  check(d: Record<string, unknown>, p: string, c: Checker) {
    checkDelivery(d, p, c);
    if (d.tls !== undefined && typeof d.endpoint === 'string' && d.endpoint.startsWith('http:'))
      c.fail(`${p}.tls`, 'takes effect only with an https:// endpoint');
  },
  create(d, ctx, id, minLevel) {
    // The environment is read here, when the pipeline is built (an invalid OTEL_* variable throws, naming it).
    const s = otlpSettings(
      {
        endpoint: d.endpoint as string | undefined,
        headers: d.headers as Record<string, string> | undefined,
        resource: d.resource as Record<string, string | number | boolean> | undefined,
        compress: d.compress as 'gzip' | 'none' | undefined,
        timeoutMs: d.timeoutMs as number | undefined,
      },
      ctx.env,
    );
    const envelope = otlpEnvelope(s.resource, { name: 'hydra-logger', version: hydraVersion() });
    // Records in the batch being sent: the engine sends one batch at a time per destination.
    let sending = 0;
    const http = createHttpTransport({
      url: s.endpoint,
      method: 'POST',
      // OTLP/HTTP JSON is `application/json`; the body is one request per batch (otlpBody), sent as
      // the transport's single message.
      headers: { ...s.headers, 'content-type': 'application/json' },
      body: 'ndjson',
      compress: s.compress,
      tls: d.tls as NetworkTls | undefined,
      // A Collector may keep only part of a batch and say so in its 2xx answer (partialSuccess).
      answer: (body) => otlpAnswer(body, sending),
    });
    return createNetworkDestination({
      type: 'otlp',
      id,
      minLevel,
      formatter: undefined,
      encode: (record: LogRecord) => otlpLogRecord(record, Date.now()),
      transport: {
        send: (batch, signal) => {
          sending = batch.length;
          return http.send([otlpBody(envelope, batch)], signal);
        },
        close: () => http.close(),
      },
      delivery: { ...(d as DeliverySettings), ...(s.timeoutMs !== undefined && { timeoutMs: s.timeoutMs }) },
      context: ctx,
    });
  },
};
