/**
 * GELF receivers for tests, all on 127.0.0.1 port 0:
 * - `graygelf`'s UDP server (a GELF server from npm: plain, gzip, zlib and chunked datagrams);
 * - a raw UDP listener of our own that reassembles chunks strictly (magic 0x1e 0x0f, 8-byte message
 *   id, sequence number and count, every chunk exactly once, count ≤ 128), gunzips and parses, and
 *   keeps every datagram for byte checks;
 * - a TCP listener for NUL-framed GELF (graygelf's server has no TCP);
 * - an HTTP listener taking POST /gelf (one message per request, gzip by Content-Encoding).
 */
import dgram from 'node:dgram';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);

export type GelfMessage = Record<string, unknown>;

/** Waits (bounded) until `pred()` holds. */
export async function until(pred: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function decode(payload: Buffer): GelfMessage {
  const json =
    payload[0] === 0x1f && payload[1] === 0x8b
      ? zlib.gunzipSync(payload)
      : payload[0] === 0x78
        ? zlib.inflateSync(payload)
        : payload;
  return JSON.parse(json.toString('utf8')) as GelfMessage;
}

/** graygelf's UDP server. */
export interface GraygelfServer {
  port: number;
  messages: GelfMessage[];
  errors: unknown[];
  close(): Promise<void>;
}

export async function startGraygelf(): Promise<GraygelfServer> {
  const GrayGelfServer = require('graygelf/server') as () => {
    listen(port: number, address: string): unknown;
    on(ev: string, fn: (x: unknown) => void): void;
    close(): void;
    _udp: dgram.Socket;
  };
  const srv = GrayGelfServer();
  const messages: GelfMessage[] = [];
  const errors: unknown[] = [];
  srv.on('message', (m) => messages.push(m as GelfMessage));
  srv.on('error', (e) => errors.push(e));
  srv.listen(0, '127.0.0.1');
  await new Promise<void>((res) => srv._udp.once('listening', () => res()));
  const port = srv._udp.address().port;
  return { port, messages, errors, close: async () => srv.close() };
}

/** What the raw UDP listener saw. */
export interface RawGelfUdp {
  port: number;
  /** Every datagram, as received. */
  datagrams: Buffer[];
  /** Complete messages: the reassembled (and, if gzip, compressed) payload and the parsed JSON. */
  messages: { payload: Buffer; chunks: number; message: GelfMessage }[];
  /** Protocol violations seen (bad magic, duplicate chunk, count > 128, count mismatch, bad JSON). */
  violations: string[];
  close(): Promise<void>;
}

export async function startRawGelfUdp(): Promise<RawGelfUdp> {
  const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  const datagrams: Buffer[] = [];
  const messages: RawGelfUdp['messages'] = [];
  const violations: string[] = [];
  const pending = new Map<string, { count: number; parts: (Buffer | undefined)[]; got: number }>();
  sock.on('message', (d: Buffer) => {
    datagrams.push(d);
    if (d[0] === 0x1e) {
      if (d[1] !== 0x0f) return void violations.push(`bad magic ${d.subarray(0, 2).toString('hex')}`);
      if (d.length < 12) return void violations.push('chunk shorter than its header');
      const id = d.subarray(2, 10).toString('hex');
      const seq = d[10] as number;
      const count = d[11] as number;
      if (count < 1 || count > 128) return void violations.push(`sequence count ${count}`);
      if (seq >= count) return void violations.push(`sequence number ${seq} of ${count}`);
      let p = pending.get(id);
      if (p === undefined) {
        p = { count, parts: new Array(count).fill(undefined), got: 0 };
        pending.set(id, p);
      }
      if (p.count !== count) return void violations.push(`count changed ${p.count} → ${count} for ${id}`);
      if (p.parts[seq] !== undefined) return void violations.push(`duplicate chunk ${seq} of ${id}`);
      p.parts[seq] = d.subarray(12);
      if (++p.got === count) {
        pending.delete(id);
        const payload = Buffer.concat(p.parts as Buffer[]);
        try {
          messages.push({ payload, chunks: count, message: decode(payload) });
        } catch (e) {
          violations.push(`undecodable message ${id}: ${(e as Error).message}`);
        }
      }
      return;
    }
    try {
      messages.push({ payload: d, chunks: 1, message: decode(d) });
    } catch (e) {
      violations.push(`undecodable datagram: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  return {
    port: sock.address().port,
    datagrams,
    messages,
    violations,
    close: () => new Promise<void>((res) => sock.close(() => res())),
  };
}

/** A TCP listener for NUL-framed GELF. */
export interface GelfTcp {
  port: number;
  messages: GelfMessage[];
  /** Raw frames (without the NUL). */
  frames: Buffer[];
  violations: string[];
  connections: number;
  close(): Promise<void>;
}

export async function startGelfTcp(): Promise<GelfTcp> {
  const out: GelfTcp = {
    port: 0,
    messages: [],
    frames: [],
    violations: [],
    connections: 0,
    close: async () => {},
  };
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    out.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let rest: Buffer = Buffer.alloc(0);
    s.on('data', (b: Buffer) => {
      rest = rest.length === 0 ? b : Buffer.concat([rest, b]);
      for (let i = rest.indexOf(0); i >= 0; i = rest.indexOf(0)) {
        const frame = rest.subarray(0, i);
        rest = rest.subarray(i + 1);
        out.frames.push(frame);
        try {
          out.messages.push(JSON.parse(frame.toString('utf8')) as GelfMessage);
        } catch (e) {
          out.violations.push(`bad frame: ${(e as Error).message}`);
        }
      }
    });
    s.on('error', () => {});
  });
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  out.port = (srv.address() as net.AddressInfo).port;
  out.close = () =>
    new Promise<void>((res) => {
      for (const s of sockets) s.destroy();
      srv.close(() => res());
    });
  return out;
}

/** An HTTP listener for GELF HTTP: POST /gelf, one JSON message per request (gzip allowed). */
export interface GelfHttp {
  port: number;
  messages: GelfMessage[];
  requests: { path: string; method: string; encoding: string | undefined; type: string | undefined }[];
  violations: string[];
  close(): Promise<void>;
}

export async function startGelfHttp(): Promise<GelfHttp> {
  const out: GelfHttp = { port: 0, messages: [], requests: [], violations: [], close: async () => {} };
  const srv = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      out.requests.push({
        path: req.url ?? '',
        method: req.method ?? '',
        encoding: req.headers['content-encoding'],
        type: req.headers['content-type'],
      });
      if (req.method !== 'POST' || req.url !== '/gelf') {
        out.violations.push(`${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(parts);
      try {
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        const text = body.toString('utf8');
        // Graylog takes one message per request; accept NDJSON too and count each line.
        for (const line of text.split('\n')) if (line.trim() !== '') out.messages.push(JSON.parse(line));
        res.writeHead(202).end();
      } catch (e) {
        out.violations.push(`bad body: ${(e as Error).message}`);
        res.writeHead(400).end();
      }
    });
  });
  srv.keepAliveTimeout = 60_000;
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  out.port = (srv.address() as net.AddressInfo).port;
  out.close = () =>
    new Promise<void>((res) => {
      srv.closeAllConnections();
      srv.close(() => res());
    });
  return out;
}
