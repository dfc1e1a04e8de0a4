import type dgram from 'node:dgram';
import { nodeRequire } from '../../internal/builtins.js';
import { SendError, type SendResult, type Transport } from '../types.js';

/**
 * Turns one message into the datagrams that carry it (GELF: gzip, then chunks), or `'oversize'`
 * when it cannot be sent (counted as a drop under that reason, never retried).
 */
export type ToDatagrams = (
  message: Buffer,
) => readonly Buffer[] | 'oversize' | Promise<readonly Buffer[] | 'oversize'>;

export interface UdpTransportOptions {
  host: string;
  port: number;
  /** Default: the message is one datagram. */
  toDatagrams?: ToDatagrams;
}

/** The largest UDP payload over IPv4 (65,535 − 8 − 20). */
export const MAX_UDP_PAYLOAD = 65_507;

/**
 * UDP: each message is sent as its own datagram(s) from one unconnected socket. A send resolves
 * once every datagram was handed to the kernel; whether the server received it cannot be known
 * (UDP has no acknowledgement, a lost or refused datagram is invisible to the sender). The host is
 * resolved once and again after a failure.
 */
export class UdpTransport implements Transport {
  private socket: dgram.Socket | undefined;
  private socketFamily: 4 | 6 = 4;
  private address: { address: string; family: 4 | 6 } | undefined;
  private closed = false;
  private readonly toDatagrams: ToDatagrams | undefined;

  constructor(private readonly o: UdpTransportOptions) {
    this.toDatagrams = o.toDatagrams;
  }

  async send(batch: readonly Buffer[], signal: AbortSignal): Promise<undefined | SendResult> {
    if (this.closed) throw new SendError('transport closed', { retryable: false, reason: 'closed' });
    const target = await this.resolve(signal);
    const socket = this.open(target.family);
    let oversize = 0;
    let failed = 0;
    let sent = 0;
    let firstError: NodeJS.ErrnoException | undefined;
    for (const message of batch) {
      if (signal.aborted) break;
      const grams =
        this.toDatagrams === undefined
          ? message.length > MAX_UDP_PAYLOAD
            ? 'oversize'
            : [message]
          : await this.toDatagrams(message);
      if (grams === 'oversize') {
        oversize++;
        continue;
      }
      // Datagrams of one message go out together; their callbacks run in order.
      const results = await Promise.all(
        grams.map(
          (g) =>
            new Promise<NodeJS.ErrnoException | null>((res) =>
              socket.send(g, this.o.port, target.address, (err) => res(err)),
            ),
        ),
      );
      const err = results.find((e) => e !== null) ?? undefined;
      if (err === undefined) sent++;
      else if (err.code === 'EMSGSIZE') oversize++;
      else {
        failed++;
        firstError ??= err;
      }
    }
    const notTried = batch.length - sent - oversize - failed;
    if (sent === 0 && failed + notTried > 0) {
      // Nothing went out: the whole batch can be retried without sending anything twice.
      this.address = undefined;
      if (firstError !== undefined)
        throw new SendError(`udp send to ${this.o.host}:${this.o.port} failed: ${firstError.message}`, {
          retryable: true,
          reason: 'network',
          code: firstError.code ?? 'network',
          cause: firstError,
        });
      throw new SendError('udp send aborted', { retryable: true, reason: 'timeout' });
    }
    // Part of the batch went out: retrying would send that part twice, so what failed is counted.
    const dropped: Record<string, number> = {};
    if (oversize > 0) dropped.oversize = oversize;
    if (failed + notTried > 0) dropped.network = failed + notTried;
    if (failed > 0) this.address = undefined;
    return Object.keys(dropped).length === 0 ? undefined : { dropped };
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
    this.socket = undefined;
  }

  private open(family: 4 | 6): dgram.Socket {
    if (this.socket !== undefined && this.socketFamily === family) return this.socket;
    this.socket?.close();
    const { createSocket } = nodeRequire('node:dgram') as typeof import('node:dgram');
    const s = createSocket(family === 6 ? 'udp6' : 'udp4');
    s.on('error', () => {
      // Send errors arrive in send callbacks; an error event (bind failure) closes the socket.
      if (this.socket === s) this.socket = undefined;
      s.close();
    });
    s.unref();
    this.socket = s;
    this.socketFamily = family;
    return s;
  }

  private async resolve(signal: AbortSignal): Promise<{ address: string; family: 4 | 6 }> {
    if (this.address !== undefined) return this.address;
    const ip = (nodeRequire('node:net') as typeof import('node:net')).isIP(this.o.host);
    if (ip !== 0) {
      this.address = { address: this.o.host, family: ip as 4 | 6 };
      return this.address;
    }
    try {
      const dns = nodeRequire('node:dns') as typeof import('node:dns');
      const r = await dns.promises.lookup(this.o.host);
      if (signal.aborted) throw new SendError('udp lookup aborted', { retryable: true, reason: 'timeout' });
      this.address = { address: r.address, family: r.family === 6 ? 6 : 4 };
      return this.address;
    } catch (e) {
      if (e instanceof SendError) throw e;
      const err = e as NodeJS.ErrnoException;
      throw new SendError(`cannot resolve ${this.o.host}: ${err.message}`, {
        retryable: true,
        reason: 'network',
        code: err.code ?? 'ENOTFOUND',
        cause: e,
      });
    }
  }
}

/** A {@link UdpTransport} (the network chunk's export). */
export const createUdpTransport = (o: UdpTransportOptions): Transport => new UdpTransport(o);
