import type { IncomingMessage } from 'node:http';
import { HydraLogger } from 'hydra-logger';
import WebSocket from 'ws';
import { type Bridge, type BridgeOptions, createBridge, WebSocketBridgePlugin } from '../src/index.js';

export type Frame = Record<string, unknown> & { type: string };

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A real `ws` client that records every frame it gets, and how it was closed. */
export class TestClient {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  /** HTTP status when the upgrade was refused. */
  status: number | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    this.opened = new Promise((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('unexpected-response', (_req, res: IncomingMessage) => {
        this.status = res.statusCode;
        res.resume();
        fail(new Error(`HTTP ${res.statusCode}`));
      });
      ws.once('error', fail);
    });
    this.opened.catch(() => {});
    ws.on('error', () => {});
    this.closed = new Promise((ok) =>
      ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        ok(code);
      }),
    );
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  of(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  next(type: string, after = 0): Promise<Frame> {
    return waitFor(() => this.frames.slice(after).find((f) => f.type === type), `a ${type} frame`);
  }

  /** Records received for `sub`, in order. */
  records(sub = 's'): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f.type === 'records' && f.sub === sub)
      .flatMap((f) => f.records as Record<string, unknown>[]);
  }

  close(): void {
    this.ws.close();
  }
}

export interface ConnectOptions {
  path?: string;
  protocols?: string[];
  headers?: Record<string, string>;
  autoPong?: boolean;
}

export function connect(port: number, options: ConnectOptions = {}): TestClient {
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}${options.path ?? '/hydra/ws'}`,
    options.protocols ?? ['hydra.v1'],
    { headers: options.headers ?? {}, autoPong: options.autoPong ?? true },
  );
  return new TestClient(ws);
}

/** A connected client that got its hello. */
export async function ready(port: number, options: ConnectOptions = {}): Promise<TestClient> {
  const c = connect(port, options);
  await c.opened;
  await c.next('hello');
  return c;
}

/** A logger writing JSON lines to memory, with a bridge plugin listening on a free port. */
export async function loggerWithBridge(options: BridgeOptions = {}) {
  const logger = new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
  });
  const plugin = new WebSocketBridgePlugin(options);
  logger.addPlugin('bridge', plugin);
  const { port } = await plugin.listen({ port: 0 });
  const lines = () => logger.memory()?.lines() ?? [];
  return { logger, plugin, bridge: plugin.bridge, port, lines };
}

/** A bridge without a logger, listening on a free port. */
export async function standalone(options: BridgeOptions = {}): Promise<{ bridge: Bridge; port: number }> {
  const bridge = createBridge(options);
  const { port } = await bridge.listen({ port: 0 });
  return { bridge, port };
}

/** A record as a logger's plugin sees it. */
export function record(i: number, layer = 'APP', level = 20, fields?: Record<string, unknown>) {
  const names: Record<number, string> = { 10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR' };
  return {
    time: 1_700_000_000_000 + i,
    level,
    levelName: (names[level] ?? 'INFO') as 'INFO',
    layer,
    message: `m${i}`,
    fields: { i, ...fields },
    bindings: undefined,
    context: undefined,
    error: undefined,
    caller: undefined,
  };
}
