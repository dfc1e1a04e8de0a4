import type { Checker } from '../config/checker.js';
import { isObject, show } from '../config/checker.js';
import type { DeliverySettings, NetworkTls } from '../config/types.js';
import { encodeGelf, gelfUdpDatagrams } from '../delivery/encode/gelf.js';
import { createNetworkDestination } from '../delivery/engine.js';
import { createHttpTransport } from '../delivery/transport/http.js';
import { createTcpTransport } from '../delivery/transport/tcp.js';
import { createUdpTransport } from '../delivery/transport/udp.js';
import type { Transport } from '../delivery/types.js';
import { COMPRESS_OPTION, checkDelivery, DELIVERY_OPTIONS, TLS_OPTION } from './delivery-options.js';
import { formatterFor } from './formatter-for.js';
import { HOST_OPTION, onlyFormat, PORT_OPTION } from './syslog.js';
import type { DestinationType } from './type.js';

/** `{ type: 'gelf' }`: GELF 1.1 to Graylog over UDP (chunked), TCP (NUL-framed) or HTTP. Default port 12201. */
export interface GelfOptions extends DeliverySettings {
  host?: string;
  port?: number;
  protocol?: 'udp' | 'tcp' | 'http';
  /** gzip each message (UDP, HTTP); default `none`. */
  compress?: 'gzip' | 'none';
  /** UDP: bytes per datagram (default 1420); a message needing more than 128 chunks is dropped as `oversize`. */
  chunkSize?: number;
  tls?: NetworkTls;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    gelf: GelfOptions;
  }
}

const GELF_PROTOCOLS = ['udp', 'tcp', 'http'];
/** Datagram sizes `chunkSize` takes: room for the 12-byte chunk header and some data, at most one UDP payload. */
const MIN_CHUNK = 64;
const MAX_CHUNK = 65_507;
const DEFAULT_CHUNK = 1420;

/**
 * `{ type: 'gelf' }`: GELF 1.1 messages to Graylog (or any GELF input) over UDP (default, port
 * 12201; chunked past `chunkSize`, gzip optional), TCP (NUL-framed, TLS with `tls`, never
 * compressed) or HTTP (POST `/gelf`, one message per request, https with `tls`, gzip optional).
 * Delivery by the delivery engine; this type lives in the network chunk, loaded the first time a
 * config names it (docs/destinations.md).
 */
export const gelfType: DestinationType = {
  name: 'gelf',
  options: {
    host: HOST_OPTION,
    port: PORT_OPTION,
    protocol: (v, at, c) => c.oneOf(v, GELF_PROTOCOLS, at),
    compress: COMPRESS_OPTION,
    chunkSize: (v, at, c) => {
      if (
        v !== undefined &&
        !(typeof v === 'number' && Number.isInteger(v) && v >= MIN_CHUNK && v <= MAX_CHUNK)
      )
        c.fail(
          at,
          `expected an integer from ${MIN_CHUNK} to ${MAX_CHUNK} (bytes per UDP datagram), got ${show(v)}`,
        );
    },
    ...TLS_OPTION,
    ...DELIVERY_OPTIONS,
  },
  check(d: Record<string, unknown>, p: string, c: Checker) {
    checkDelivery(d, p, c);
    onlyFormat('gelf')(d, p, c);
    const protocol = d.protocol ?? 'udp';
    if (d.chunkSize !== undefined && protocol !== 'udp')
      c.fail(`${p}.chunkSize`, `takes effect only with protocol "udp", this one is ${show(protocol)}`);
    if (d.compress === 'gzip' && protocol === 'tcp')
      c.fail(
        `${p}.compress`,
        'GELF over TCP is not compressed (NUL-framed JSON); use "udp" or "http" for gzip',
      );
    if (d.tls !== undefined && protocol === 'udp')
      c.fail(`${p}.tls`, 'takes effect only with protocol "tcp" or "http" (GELF over UDP has no TLS)');
    const batch = d.batch;
    if (
      protocol === 'http' &&
      isObject(batch) &&
      typeof batch.maxRecords === 'number' &&
      batch.maxRecords > 1
    )
      c.fail(`${p}.batch.maxRecords`, 'GELF over HTTP sends one message per request; leave it out or set 1');
  },
  create(d, ctx, id, minLevel) {
    const protocol = (d.protocol as 'udp' | 'tcp' | 'http' | undefined) ?? 'udp';
    const host = (d.host as string | undefined) ?? '127.0.0.1';
    const port = (d.port as number | undefined) ?? 12201;
    const gzip = d.compress === 'gzip';
    const tls = d.tls as NetworkTls | undefined;
    let delivery = d as DeliverySettings;
    let transport: Transport;
    if (protocol === 'udp')
      transport = createUdpTransport({
        host,
        port,
        toDatagrams: gelfUdpDatagrams((d.chunkSize as number | undefined) ?? DEFAULT_CHUNK, gzip),
      });
    else if (protocol === 'tcp') transport = createTcpTransport({ host, port, framing: 'nul', tls });
    else {
      const h = host.includes(':') ? `[${host}]` : host;
      transport = createHttpTransport({
        url: `${tls === undefined ? 'http' : 'https'}://${h}:${port}/gelf`,
        method: 'POST',
        headers: {},
        body: 'ndjson',
        compress: gzip ? 'gzip' : 'none',
        tls,
      });
      delivery = { ...delivery, batch: { ...delivery.batch, maxRecords: 1 } };
    }
    return createNetworkDestination({
      type: 'gelf',
      id,
      minLevel,
      formatter: formatterFor(d, { format: 'gelf', colorMode: 'never', stackLines: false }, ctx),
      encode: encodeGelf,
      transport,
      delivery,
      context: ctx,
    });
  },
};
