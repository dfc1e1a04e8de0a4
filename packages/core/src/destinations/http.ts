import type { Checker } from '../config/checker.js';
import type { DeliverySettings, NetworkTls } from '../config/types.js';
import { createNetworkDestination } from '../delivery/engine.js';
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
import { formatterFor } from './formatter-for.js';
import type { DestinationType } from './type.js';

/** `{ type: 'http', url }`: batches of records POSTed to an HTTP intake as NDJSON or a JSON array. */
export interface HttpOptions extends DeliverySettings {
  url: string;
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: 'ndjson' | 'json-array';
  compress?: 'gzip' | 'none';
  tls?: NetworkTls;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    http: HttpOptions;
  }
}

const METHODS = ['POST', 'PUT'];
const BODIES = ['ndjson', 'json-array'];
/** Formats whose line is one JSON value: sent as is in a `json-array` body (others as JSON strings). */
const JSON_FORMATS = new Set(['json', 'gelf']);

/**
 * `{ type: 'http', url }`: records batched and sent to an HTTP intake (`POST` by default) as NDJSON
 * (default) or a JSON array, optionally gzipped; delivery (queue, batches, retries, health, spool)
 * by the network chunk's engine, loaded on first use (docs/destinations.md).
 */
export const httpType: DestinationType = {
  name: 'http',
  options: {
    url: urlOption(true),
    method: (v, at, c) => c.oneOf(v, METHODS, at),
    headers: HEADERS_OPTION,
    body: (v, at, c) => c.oneOf(v, BODIES, at),
    compress: COMPRESS_OPTION,
    ...TLS_OPTION,
    ...DELIVERY_OPTIONS,
  },
  check(d: Record<string, unknown>, p: string, c: Checker) {
    checkDelivery(d, p, c);
    if (d.tls !== undefined && typeof d.url === 'string' && d.url.startsWith('http:'))
      c.fail(`${p}.tls`, 'takes effect only with an https:// url');
  },
  create(d, ctx, id, minLevel) {
    const formatter = formatterFor(d, { format: 'json', colorMode: 'never', stackLines: false }, ctx);
    const body = (d.body as 'ndjson' | 'json-array' | undefined) ?? 'ndjson';
    const asString = body === 'json-array' && !JSON_FORMATS.has(formatter.name);
    return createNetworkDestination({
      type: 'http',
      id,
      minLevel,
      formatter,
      encode(_record: LogRecord, line: string) {
        const text = line.endsWith('\n') ? line.slice(0, -1) : line;
        return asString ? JSON.stringify(text) : text;
      },
      transport: createHttpTransport({
        url: d.url as string,
        method: (d.method as 'POST' | 'PUT' | undefined) ?? 'POST',
        headers: (d.headers as Record<string, string> | undefined) ?? {},
        body,
        compress: (d.compress as 'gzip' | 'none' | undefined) ?? 'none',
        tls: d.tls as NetworkTls | undefined,
      }),
      delivery: d as DeliverySettings,
      context: ctx,
    });
  },
};
