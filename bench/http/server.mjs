/**
 * One server of the HTTP benchmark (bench/http.mjs), in a process of its own: node:http with the
 * contender's middleware in front of a handler that answers a small JSON body. The logger writes
 * JSON lines to `file` (buffered, both libraries). Messages from the parent: 'cpu' (CPU time so far),
 * 'stop' (flush, count the lines, report, exit).
 *   node bench/http/server.mjs <none|hydra|hydra-unredacted|pino-http> <file>
 */
import fs from 'node:fs';
import http from 'node:http';

const [contender, file] = process.argv.slice(2);
const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const handler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(body);
};

let listener;
let flush = async () => {};
if (contender === 'none') listener = handler;
else if (contender === 'hydra' || contender === 'hydra-unredacted') {
  const { HydraLogger } = await import('hydra-logger');
  const { httpLogger } = await import('hydra-logger/http');
  const logger = new HydraLogger({
    // hydra-unredacted: the logger's own redaction off (it scans every string of every record for
    // secrets; pino-http has nothing of the kind). The middleware still redacts query secrets.
    enableSanitization: contender === 'hydra',
    config: {
      layers: { DEFAULT: { destinations: [{ type: 'file', path: file, format: 'json', mode: 'buffered' }] } },
    },
  });
  const log = httpLogger(logger);
  listener = (req, res) => log(req, res, () => handler(req, res));
  flush = () => logger.close();
} else if (contender === 'pino-http') {
  const { default: pino } = await import('pino');
  const { default: pinoHttp } = await import('pino-http');
  const dest = pino.destination({ dest: file, sync: false, minLength: 4096 });
  const log = pinoHttp({ logger: pino(dest) });
  listener = (req, res) => {
    log(req, res);
    handler(req, res);
  };
  flush = async () => dest.flushSync();
} else throw new Error(`unknown contender ${contender}`);

const server = http.createServer({ keepAliveTimeout: 60_000 }, listener);
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', async (msg) => {
  if (msg === 'cpu') process.send({ cpu: process.cpuUsage() });
  else if (msg === 'stop') {
    server.closeAllConnections();
    server.close();
    await flush();
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    process.send({ lines: lines.length, sample: lines.at(-1) ?? null });
    process.exit(0);
  }
});
