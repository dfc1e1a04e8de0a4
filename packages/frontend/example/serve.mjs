// A runnable example: `npm run build && node packages/frontend/example/serve.mjs`, then open
// http://127.0.0.1:8080/ . One HTTP server serves the page, the SDK's script-tag build and the
// bridge (WebSocket, ingest, dashboard); browser records are logged by this logger to the terminal.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketBridgePlugin } from '@hydra-logger/bridge';
import { HydraLogger } from 'hydra-logger';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const files = {
  '/': ['text/html', join(here, 'index.html')],
  '/hydra-frontend.iife.js': ['text/javascript', join(here, '..', 'dist', 'hydra-frontend.iife.js')],
};

const logger = new HydraLogger();
const bridge = new WebSocketBridgePlugin({ persist: { dir: join(here, '.hydra-bridge') } });
logger.addPlugin('bridge', bridge);
const server = createServer((req, res) => {
  const f = files[req.url ?? ''];
  if (f === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': f[0] }).end(readFileSync(f[1]));
});
bridge.attach(server);
server.listen(port, '127.0.0.1', () => console.log(`open http://127.0.0.1:${port}/`));
process.once('SIGINT', async () => {
  await bridge.close();
  server.close();
  await logger.close();
});
