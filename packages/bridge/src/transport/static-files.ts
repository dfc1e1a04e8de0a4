import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { replyError } from './http-reply.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The dashboard's Content-Security-Policy: its own scripts, styles and images only (no inline
 * code, no other origin), WebSocket and fetch to its own origin, never framed.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves `rel` (a path below the dashboard, `''` for the page itself) from `dir`: only plain
 * names (letters, digits, `._-/`), never outside `dir`, `index.html` for the root. 404 when the
 * dashboard is not built or the file does not exist.
 */
export function serveStatic(dir: string, rel: string, res: ServerResponse): void {
  if (!/^[A-Za-z0-9._/-]*$/.test(rel) || rel.split('/').includes('..')) {
    replyError(res, 404, 'bad_request', 'not found');
    return;
  }
  const file = normalize(join(dir, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel));
  if (file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
    replyError(res, 404, 'bad_request', 'not found');
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    replyError(
      res,
      404,
      'bad_request',
      rel === '' ? 'the dashboard is not built (npm run build in @hydra-logger/bridge)' : 'not found',
    );
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    'content-security-policy': DASHBOARD_CSP,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  });
  createReadStream(file).pipe(res);
}
