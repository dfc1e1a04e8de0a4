import type { Checker } from '../config/checker.js';
import { show } from '../config/checker.js';
import type { DeliverySettings, NetworkTls } from '../config/types.js';
import { encodeSyslog, syslogWireFormatter } from '../delivery/encode/syslog.js';
import { createNetworkDestination } from '../delivery/engine.js';
import { createTcpTransport } from '../delivery/transport/tcp.js';
import { createUdpTransport } from '../delivery/transport/udp.js';
import type { FormatOptions } from '../formats/formatter.js';
import { checkDelivery, DELIVERY_OPTIONS, TLS_OPTION } from './delivery-options.js';
import type { DestinationConfig, DestinationType, OptionCheck } from './type.js';

/**
 * `{ type: 'syslog' }`: RFC 5424 (fields as STRUCTURED-DATA) or RFC 3164 to a syslog server (rsyslog,
 * syslog-ng) over UDP, TCP (octet counting or LF framing, RFC 6587) or TLS. Default port 514 (6514 for TLS).
 */
export interface SyslogOptions extends DeliverySettings {
  host?: string;
  port?: number;
  protocol?: 'udp' | 'tcp' | 'tls';
  framing?: 'octet-counting' | 'lf';
  tls?: NetworkTls;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    syslog: SyslogOptions;
  }
}

const SYSLOG_PROTOCOLS = ['udp', 'tcp', 'tls'];
const FRAMINGS = ['octet-counting', 'lf'];

/** `host`: a host name or IP address (default `127.0.0.1`). */
export const HOST_OPTION: OptionCheck = (v, at, c) => {
  if (v !== undefined && (typeof v !== 'string' || v === '' || /\s/.test(v)))
    c.fail(at, `expected a host name or IP address, got ${show(v)}`);
};

/** `port`: 1–65535. */
export const PORT_OPTION: OptionCheck = (v, at, c) => {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65_535))
    c.fail(at, `expected a port number from 1 to 65535, got ${show(v)}`);
};

/** A network type formats its own wire format: `format` may only name it. */
export function onlyFormat(name: string): (d: Record<string, unknown>, p: string, c: Checker) => void {
  return (d, p, c) => {
    if (d.format !== undefined && d.format !== name)
      c.fail(`${p}.format`, `a "${name}" destination sends the ${name} format, got ${show(d.format)}`);
  };
}

/** The syslog format's options of a destination (the keys every destination takes). */
export function syslogFormatOptions(d: DestinationConfig): FormatOptions {
  return {
    color: false,
    ...(d.appName !== undefined && { appName: d.appName as string }),
    ...(d.hostname !== undefined && { hostname: d.hostname as string }),
    ...(d.facility !== undefined && { facility: d.facility as number }),
    ...(d.rfc !== undefined && { rfc: d.rfc as '5424' | '3164' }),
  };
}

/**
 * `{ type: 'syslog' }`: RFC 5424 (fields as STRUCTURED-DATA) or RFC 3164 messages to a syslog
 * server over UDP (default, port 514), TCP (port 514; octet-counting framing by default, or LF) or
 * TLS (port 6514, certificates verified). Delivery (queue, batches, reconnect, retries, health,
 * spool) by the delivery engine; this type lives in the network chunk, loaded the first time a
 * config names it (docs/destinations.md).
 */
export const syslogType: DestinationType = {
  name: 'syslog',
  options: {
    host: HOST_OPTION,
    port: PORT_OPTION,
    protocol: (v, at, c) => c.oneOf(v, SYSLOG_PROTOCOLS, at),
    framing: (v, at, c) => c.oneOf(v, FRAMINGS, at),
    ...TLS_OPTION,
    ...DELIVERY_OPTIONS,
  },
  check(d: Record<string, unknown>, p: string, c: Checker) {
    checkDelivery(d, p, c);
    onlyFormat('syslog')(d, p, c);
    const protocol = d.protocol ?? 'udp';
    if (d.framing !== undefined && protocol === 'udp')
      c.fail(
        `${p}.framing`,
        `takes effect only with protocol "tcp" or "tls" (a UDP datagram is one message)`,
      );
    if (d.tls !== undefined && protocol !== 'tls')
      c.fail(`${p}.tls`, `takes effect only with protocol "tls", this one is ${show(protocol)}`);
  },
  create(d, ctx, id, minLevel) {
    const protocol = (d.protocol as 'udp' | 'tcp' | 'tls' | undefined) ?? 'udp';
    const host = (d.host as string | undefined) ?? '127.0.0.1';
    const port = (d.port as number | undefined) ?? (protocol === 'tls' ? 6514 : 514);
    const transport =
      protocol === 'udp'
        ? createUdpTransport({ host, port })
        : createTcpTransport({
            host,
            port,
            framing: (d.framing as 'octet-counting' | 'lf' | undefined) ?? 'octet-counting',
            tls: protocol === 'tls' ? ((d.tls as NetworkTls | undefined) ?? {}) : undefined,
          });
    return createNetworkDestination({
      type: 'syslog',
      id,
      minLevel,
      formatter: syslogWireFormatter(syslogFormatOptions(d), ctx.formatters),
      encode: encodeSyslog,
      transport,
      delivery: d as DeliverySettings,
      context: ctx,
    });
  },
};
