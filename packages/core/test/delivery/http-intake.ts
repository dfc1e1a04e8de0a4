import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

/** What the intake does with one request: answer with a status (and headers), hang, or cut the connection. */
export type Fault = { status: number; headers?: Record<string, string> } | { stall: true } | { reset: true };

export interface IntakeRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  records: unknown[];
}

/**
 * A real node:http log intake on 127.0.0.1 for the tests. Each request asks `fault()` first: a
 * fault answers (or stalls, or resets) without counting the records; otherwise the records (NDJSON
 * or a JSON array, gzip understood) are counted and it answers 200. `kill()` closes the server and
 * every connection; `start(port)` listens again (on the same port).
 */
export class Intake {
  readonly requests: IntakeRequest[] = [];
  readonly records: Record<string, unknown>[] = [];
  /** Requests seen, faulted or not. */
  hits = 0;
  fault: (hit: number, req: http.IncomingMessage) => Fault | undefined = () => undefined;
  #server: http.Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #waiters: (() => void)[] = [];
  port = 0;

  async start(port = 0): Promise<this> {
    const server = http.createServer((req, res) => this.#handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/ingest`;
  }

  /** Stops listening and cuts every connection (a receiver that died). */
  async kill(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s === undefined) return;
    for (const sock of this.#sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Resolves once `pred()` holds (checked after every request), or rejects after `ms`. */
  until(pred: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(t);
          resolve();
        } else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }

  #notify(): void {
    const w = this.#waiters.splice(0);
    for (const f of w) f();
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const hit = ++this.hits;
    const f = this.fault(hit, req);
    if (f !== undefined && 'reset' in f) {
      req.socket.destroy();
      this.#notify();
      return;
    }
    if (f !== undefined && 'stall' in f) {
      this.#notify();
      return; // never answers; kill() or the client's timeout ends it
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (f !== undefined) {
        res.writeHead(f.status, f.headers);
        res.end();
        this.#notify();
        return;
      }
      let buf = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') buf = zlib.gunzipSync(buf);
      const body = buf.toString('utf8');
      const records = body.trimStart().startsWith('[')
        ? (JSON.parse(body) as unknown[])
        : body
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as unknown);
      this.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        records,
      });
      for (const r of records) this.records.push(r as Record<string, unknown>);
      res.writeHead(200);
      res.end();
      this.#notify();
    });
  }
}

/** Resolves once `pred()` holds, polling (for figures that change without a request), or rejects after `ms`. */
export async function waitFor(pred: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
