/**
 * `node bench/network.mjs [--n N] [--runs N]` (after `npm run build`): network destinations.
 *
 * 1. Log-call cost: time spent inside `logger.info()` with an `http` destination against the same
 *    logger writing a file (target: ≤ 1.2×). Calls are made in chunks of 1,000 with a turn of the
 *    event loop between chunks (as in a server), and only the time inside the calls is counted.
 * 2. Delivery: records/s from the first log call until the receiver has counted every record,
 *    hydra-logger's `http` destination against pino with a minimal HTTP transport
 *    (bench/network/pino-http-transport.mjs: pino-abstract-transport in pino's worker thread,
 *    NDJSON batches of the same size over one keep-alive connection).
 *
 * Each contender runs in a child process; the receiver is a node:http server in this process that
 * parses and counts every record (each run is verified: exactly n records, every seq once).
 * Rounds interleave the contenders; medians are printed.
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
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    batch: { type: 'string', default: '1000' },
  },
});
const N = Number(values.n);
const RUNS = Number(values.runs);
const BATCH = Number(values.batch);
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-bench-net-'));

// The receiver: one counter per path (one path per round).
const received = new Map();
const waiters = new Map();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const seen = received.get(req.url) ?? { count: 0, seqs: new Uint8Array(N), dup: 0 };
    received.set(req.url, seen);
    for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
      if (line === '') continue;
      const rec = JSON.parse(line);
      if (rec.msg !== 'request handled' && rec.message !== 'request handled')
        throw new Error(`bad record ${line}`);
      if (seen.seqs[rec.seq] === 1) seen.dup++;
      seen.seqs[rec.seq] = 1;
      seen.count++;
    }
    res.end();
    if (seen.count >= N) waiters.get(req.url)?.();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const next = (child, key) =>
  new Promise((resolve, reject) => {
    const on = (m) => {
      if (m && key in m) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before ${key}`)));
  });

async function round(lib, dest, r) {
  const route = `/${lib}-${dest}-${r}`;
  const file = path.join(tmp, `${lib}-${r}.log`);
  const spec = { lib, dest, url: `${base}${route}`, file, n: N, chunk: 1_000, batch: BATCH };
  const child = fork(path.join(here, 'network/child.mjs'), [JSON.stringify(spec)], { stdio: 'inherit' });
  await next(child, 'ready');
  const all = dest === 'http' ? new Promise((resolve) => waiters.set(route, resolve)) : undefined;
  const t0 = performance.now();
  child.send('go');
  const { nsPerCall } = await next(child, 'logged');
  const { stats } = await next(child, 'flushed');
  if (all !== undefined) await all;
  const wall = performance.now() - t0;
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  if (dest === 'http') {
    const seen = received.get(route);
    if (seen.count !== N || seen.dup !== 0 || seen.seqs.some((x) => x !== 1))
      throw new Error(
        `${lib}: receiver counted ${seen.count} records, ${seen.dup} duplicates, ${N} expected`,
      );
    if (lib === 'hydra' && (stats.delivered !== N || Object.keys(stats.dropped).length > 0))
      throw new Error(`${lib}: ${JSON.stringify(stats)}`);
    received.delete(route);
  } else {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    if (lines !== N) throw new Error(`${lib} file: ${lines} lines, ${N} expected`);
    fs.rmSync(file, { force: true });
  }
  return { nsPerCall, recordsPerSec: (N / wall) * 1000 };
}

const CONTENDERS = [
  ['hydra', 'file'],
  ['hydra', 'http'],
  ['pino', 'http'],
];
console.error(
  `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}; ${N} records × ${RUNS} runs, batches of ${BATCH}`,
);
const results = Object.fromEntries(CONTENDERS.map(([l, d]) => [`${l}-${d}`, []]));
for (let r = 0; r < RUNS; r++)
  for (const [lib, dest] of CONTENDERS) {
    const x = await round(lib, dest, r);
    results[`${lib}-${dest}`].push(x);
    console.error(
      `run ${r + 1} ${lib} → ${dest}: ${x.nsPerCall.toFixed(0)} ns/call, ${x.recordsPerSec.toFixed(0)} records/s`,
    );
  }
server.close();
fs.rmSync(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = (k) => median(results[k].map((x) => x.nsPerCall));
const rps = (k) => median(results[k].map((x) => x.recordsPerSec));
console.log('| contender | ns per log call | records/s (first call → all received) |');
console.log('|---|---:|---:|');
for (const k of Object.keys(results)) console.log(`| ${k} | ${ns(k).toFixed(0)} | ${rps(k).toFixed(0)} |`);
console.log('');
console.log(
  `log-call cost, hydra http / hydra file: ${(ns('hydra-http') / ns('hydra-file')).toFixed(2)} (target ≤ 1.2)`,
);
console.log(
  `records/s delivered, hydra http / pino http transport: ${(rps('hydra-http') / rps('pino-http')).toFixed(2)}`,
);
