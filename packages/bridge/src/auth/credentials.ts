import type { IncomingMessage } from 'node:http';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../protocol/frames.js';

/** Name of the cookie that may carry a bridge token. */
export const TOKEN_COOKIE = 'hydra_token';

/**
 * A bridge token carried by the request: a `Sec-WebSocket-Protocol` entry `hydra.token.<token>`,
 * `Authorization: Bearer <token>`, the `hydra_token` cookie, or (when `query` is true: SSE and
 * ingest, whose browser APIs cannot set headers) the `token` query parameter.
 */
export function tokenFromRequest(req: IncomingMessage, query: boolean): string | undefined {
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string')
    for (const p of protocols.split(',')) {
      const t = p.trim();
      if (t.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return t.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice(7).trim();
  const cookie = req.headers.cookie;
  if (typeof cookie === 'string')
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE)
        return decodeURIComponent(part.slice(eq + 1).trim());
    }
  if (query) {
    const t = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    if (t !== null && t !== '') return t;
  }
  return undefined;
}

/** Whether the peer is this machine (127.0.0.0/8 or ::1). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}
