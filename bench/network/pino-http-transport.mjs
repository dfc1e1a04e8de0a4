// A minimal pino transport to an HTTP intake, for bench/network.mjs (pino has no built-in one):
// pino-abstract-transport splits the stream into lines; they are POSTed as NDJSON in batches of
// `batch` lines over one keep-alive connection (node:http), one request at a time, like
// hydra-logger's `http` destination. No retries: the benchmark's receiver always answers 200.
import http from 'node:http';
import build from 'pino-abstract-transport';

export default async function (opts) {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (lines) =>
    new Promise((resolve, reject) => {
      const body = `${lines.join('\n')}\n`;
      const req = http.request(
        {
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return build(
    async (source) => {
      let batch = [];
      for await (const line of source) {
        batch.push(line);
        if (batch.length >= opts.batch) {
          const b = batch;
          batch = [];
          await post(b);
        }
      }
      if (batch.length > 0) await post(batch);
      agent.destroy();
    },
    { parse: 'lines' },
  );
}
