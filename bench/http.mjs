/**
 * `node bench/http.mjs [--requests N] [--concurrency N] [--runs N]` (after `npm run build`):
 * per-request cost of request logging middleware, hydra-logger/http (with the logger's redaction on,
 * the default, and off) against pino-http and against no logger, in the same run. Each contender is a node:http server in a child process
 * (bench/http/server.mjs) writing JSON lines to a file; this process sends keep-alive requests at
 * a fixed concurrency. The figure compared is the server's CPU time per request (process.cpuUsage
 * of the server over the measured requests: on a shared machine the wall clock measures the
 * neighbours too), requests/s beside it. Rounds interleave the contenders; medians are printed.
 * The output is verified: one completion line per request, with the request id and status.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '5' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const RUNS = Number(values.runs);
const WARMUP = Math.min(2_000, REQUESTS);
const CONTENDERS = ['none', 'hydra', 'hydra-unredacted', 'pino-http'];
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-bench-http-'));

const ask = (child, msg, key) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m && key in m) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    if (msg !== undefined) child.send(msg);
  });

/** `count` GET requests over `CONCURRENCY` keep-alive connections; resolves when all are answered. */
function load(port, agent, count) {
  let sent = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (sent === count) return;
      sent++;
      http
        .get({ host: '127.0.0.1', port, path: '/api/items?page=2', agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            if (++done === count) resolve();
            else next();
          });
        })
        .on('error', reject);
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

async function round(contender, r) {
  const file = path.join(tmp, `${contender}-${r}.log`);
  const child = fork(path.join(here, 'http/server.mjs'), [contender, file], { stdio: 'inherit' });
  const { port } = await ask(child, undefined, 'port');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  await load(port, agent, WARMUP);
  const c0 = (await ask(child, 'cpu', 'cpu')).cpu;
  const t0 = performance.now();
  await load(port, agent, REQUESTS);
  const wall = performance.now() - t0;
  const c1 = (await ask(child, 'cpu', 'cpu')).cpu;
  agent.destroy();
  const { lines, sample } = await ask(child, 'stop', 'lines');
  const expected = contender === 'none' ? 0 : WARMUP + REQUESTS;
  if (lines !== expected) throw new Error(`${contender}: ${lines} lines written, ${expected} expected`);
  if (contender !== 'none') {
    const rec = JSON.parse(sample);
    const ok = contender.startsWith('hydra')
      ? typeof rec.requestId === 'string' && rec.status === 200 && rec.path === '/api/items?page=2'
      : rec.res?.statusCode === 200 && rec.req?.url === '/api/items?page=2';
    if (!ok) throw new Error(`${contender}: unexpected line ${sample}`);
  }
  fs.rmSync(file, { force: true });
  const cpuUs = c1.user + c1.system - (c0.user + c0.system);
  return { cpuPerRequestUs: cpuUs / REQUESTS, rps: (REQUESTS / wall) * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = Object.fromEntries(CONTENDERS.map((c) => [c, []]));
console.error(
  `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}; ` +
    `${REQUESTS} requests × ${RUNS} runs, concurrency ${CONCURRENCY}`,
);
for (let r = 0; r < RUNS; r++)
  for (const c of CONTENDERS) {
    const x = await round(c, r);
    results[c].push(x);
    console.error(
      `run ${r + 1} ${c}: ${x.cpuPerRequestUs.toFixed(1)} µs CPU/request, ${x.rps.toFixed(0)} req/s`,
    );
  }
fs.rmSync(tmp, { recursive: true, force: true });

const cpu = (c) => median(results[c].map((x) => x.cpuPerRequestUs));
const rps = (c) => median(results[c].map((x) => x.rps));
const over = (c) => cpu(c) - cpu('none');
console.log('| server | CPU µs / request | overhead µs / request | req/s |');
console.log('|---|---:|---:|---:|');
for (const c of CONTENDERS)
  console.log(
    `| ${c} | ${cpu(c).toFixed(1)} | ${c === 'none' ? '–' : over(c).toFixed(1)} | ${rps(c).toFixed(0)} |`,
  );
console.log('');
console.log(
  `hydra-logger/http overhead / pino-http overhead: ${(over('hydra') / over('pino-http')).toFixed(2)}`,
);
console.log(`hydra CPU per request / no logger: ${(cpu('hydra') / cpu('none')).toFixed(2)}`);
console.log(`pino-http CPU per request / no logger: ${(cpu('pino-http') / cpu('none')).toFixed(2)}`);
console.log(`req/s hydra / pino-http: ${(rps('hydra') / rps('pino-http')).toFixed(2)}`);
