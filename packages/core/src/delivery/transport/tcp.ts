import type net from 'node:net';
import { nodeRequire } from '../../internal/builtins.js';
import { SendError, type Transport } from '../types.js';

/**
 * How messages are delimited on a stream: `octet-counting` (`<length> <message>`, RFC 6587 §3.4.1),
 * `lf` (message + `\n`, RFC 6587 §3.4.2: the message must hold no LF) or `nul` (message + `\0`, GELF TCP).
 */
export type StreamFraming = 'octet-counting' | 'lf' | 'nul';

/** TLS settings; the server's certificate is verified unless `rejectUnauthorized` is `false`. */
export interface TransportTls {
  ca?: string | Buffer | (string | Buffer)[] | undefined;
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
}

export interface TcpTransportOptions {
  host: string;
  port: number;
  framing: StreamFraming;
  /** Set: TLS over the connection. */
  tls?: TransportTls | undefined;
}

const LF = Buffer.from('\n');
const NUL = Buffer.from([0]);

/** One message with its framing, as separate buffers (no copy of the message). */
export function frame(framing: StreamFraming, message: Buffer, out: Buffer[]): void {
  if (framing === 'octet-counting') out.push(Buffer.from(`${message.length} `), message);
  else out.push(message, framing === 'lf' ? LF : NUL);
}

/**
 * TCP or TLS: one connection, opened on the first send and again after any error, a close by the
 * server, or a timeout. A batch is written with one `write` of all its framed messages; the send
 * resolves when Node hands the bytes to the kernel. That is all TCP tells a sender: bytes written
 * to a connection whose peer then dies are lost without any error here (no application-level
 * acknowledgement in syslog or GELF over TCP). A failed or aborted write is retried by the engine
 * on a new connection, so a batch cut in the middle may arrive twice in part (at least once).
 * The socket is unref'd while idle, so an open connection does not keep a program alive.
 */
export class TcpTransport implements Transport {
  private socket: net.Socket | undefined;
  /** Set when the current socket can no longer be written (error, end or close from the server). */
  private dead = true;
  private closed = false;

  constructor(private readonly o: TcpTransportOptions) {}

  async send(batch: readonly Buffer[], signal: AbortSignal): Promise<void> {
    if (this.closed) throw new SendError('transport closed', { retryable: false, reason: 'closed' });
    const socket = this.dead || this.socket === undefined ? await this.connect(signal) : this.socket;
    const parts: Buffer[] = [];
    for (const m of batch) frame(this.o.framing, m, parts);
    const data = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    socket.ref();
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.drop(socket);
          reject(new SendError(`write to ${this.where()} timed out`, { retryable: true, reason: 'timeout' }));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        const onClose = () => {
          signal.removeEventListener('abort', onAbort);
          reject(this.failure(new Error('connection closed during the write'), 'ECONNRESET'));
        };
        socket.once('close', onClose);
        socket.write(data, (err) => {
          signal.removeEventListener('abort', onAbort);
          socket.off('close', onClose);
          if (err) {
            this.drop(socket);
            reject(this.failure(err));
          } else resolve();
        });
      });
    } finally {
      socket.unref();
    }
  }

  close(): void {
    this.closed = true;
    const s = this.socket;
    this.socket = undefined;
    this.dead = true;
    if (s !== undefined) s.end(() => s.destroy());
  }

  private where(): string {
    return `${this.o.tls === undefined ? 'tcp' : 'tls'}://${this.o.host}:${this.o.port}`;
  }

  private failure(err: NodeJS.ErrnoException, code?: string): SendError {
    const c = code ?? err.code ?? 'network';
    return new SendError(`${this.where()}: ${err.message}`, {
      retryable: true,
      reason: 'network',
      code: c,
      cause: err,
    });
  }

  private drop(socket: net.Socket): void {
    if (this.socket === socket) {
      this.dead = true;
      this.socket = undefined;
    }
    socket.destroy();
  }

  private connect(signal: AbortSignal): Promise<net.Socket> {
    if (this.socket !== undefined) this.drop(this.socket);
    const t = this.o.tls;
    const net = nodeRequire('node:net') as typeof import('node:net');
    const socket =
      t === undefined
        ? net.connect({ host: this.o.host, port: this.o.port })
        : (nodeRequire('node:tls') as typeof import('node:tls')).connect({
            host: this.o.host,
            port: this.o.port,
            ...(t.ca !== undefined && { ca: t.ca }),
            ...(t.cert !== undefined && { cert: t.cert }),
            ...(t.key !== undefined && { key: t.key }),
            rejectUnauthorized: t.rejectUnauthorized !== false,
            ...(t.servername !== undefined
              ? { servername: t.servername }
              : net.isIP(this.o.host) === 0 && { servername: this.o.host }),
          });
    this.socket = socket;
    this.dead = false;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    // Anything from the server ends this connection for writing: syslog and GELF servers send
    // nothing, so data or a FIN means it is going away; the next send opens a new one.
    const kill = () => {
      if (this.socket === socket) {
        this.dead = true;
        this.socket = undefined;
      }
    };
    socket.on('error', kill);
    socket.on('end', () => {
      kill();
      socket.destroy();
    });
    socket.on('close', kill);
    socket.on('data', () => {});
    return new Promise<net.Socket>((resolve, reject) => {
      const done = (err?: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', done);
        socket.off(t === undefined ? 'connect' : 'secureConnect', ok);
        if (err === undefined) return resolve(socket);
        this.drop(socket);
        reject(err instanceof SendError ? err : this.failure(err));
      };
      const ok = () => done();
      const onAbort = () =>
        done(new SendError(`connect to ${this.where()} timed out`, { retryable: true, reason: 'timeout' }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', done);
      socket.once(t === undefined ? 'connect' : 'secureConnect', ok);
    });
  }
}

/** A {@link TcpTransport} (the network chunk's export). */
export const createTcpTransport = (o: TcpTransportOptions): Transport => new TcpTransport(o);
