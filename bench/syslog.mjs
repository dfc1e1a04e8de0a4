/**
 * `node bench/syslog.mjs [--n N] [--runs N]` (after `npm run build`): records/s delivered to a
 * local syslog TCP receiver, hydra-logger's `syslog` destination (RFC 5424, fields as
 * STRUCTURED-DATA, LF framing) against pino with `pino-syslog` (RFC 5424, the record as JSON in MSG)
 * piped into `pino-socket` (TCP), the same framing, in pino's transport worker thread.
 *
 * Each contender runs in a child process (this file with `--child`); the receiver is a node:net
 * server in this process that splits lines and counts every record by its `seq` (each run is
 * verified: exactly n records, every seq once). The time runs from the first log call until the
 * receiver has counted the last record. Rounds interleave the contenders; medians are printed.
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    child: { type: 'string' },
  },
});

const fields = { userId: 42, requestId: 'req-abc123', path: '/api/v1/items', status: 200, durationMs: 12.5 };

if (values.child !== undefined) await child(JSON.parse(values.child));
else await main();

async function child(spec) {
  let log;
  let flush;
  if (spec.lib === 'hydra') {
    const { HydraLogger } = await import('hydra-logger');
    const logger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: {
            level: 'INFO',
            destinations: [
              {
                type: 'syslog',
                name: 'out',
                host: '127.0.0.1',
                port: spec.port,
                protocol: 'tcp',
                framing: 'lf',
                appName: 'bench',
                // Large enough that nothing is dropped: every record must arrive.
                maxQueueBytes: 512 * 1024 * 1024,
              },
            ],
          },
        },
      },
    });
    log = (i) => logger.info('request handled', { ...fields, seq: i });
    flush = async () => {
      await logger.flush();
      return logger.getPerformanceMetrics().destinations.out;
    };
  } else {
    const { default: pino } = await import('pino');
    const transport = pino.transport({
      pipeline: [
        { target: 'pino-syslog', options: { modern: true, newline: true, appname: 'bench' } },
        { target: 'pino-socket', options: { mode: 'tcp', address: '127.0.0.1', port: spec.port } },
      ],
    });
    const logger = pino(transport);
    log = (i) => logger.info({ ...fields, seq: i }, 'request handled');
    flush = () => new Promise((resolve) => logger.flush(() => resolve({})));
  }
  const ask = (key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m === key) {
          process.off('message', on);
          resolve();
        }
      };
      process.on('message', on);
    });
  process.send({ ready: true });
  await ask('go');
  for (let i = 0; i < spec.n; ) {
    const end = Math.min(spec.n, i + 1000);
    for (; i < end; i++) log(i);
    await tick();
  }
  process.send({ logged: true });
  const stop = ask('stop');
  const stats = await flush();
  process.send({ flushed: true, stats });
  await stop;
  process.exit(0);
}

async function main() {
  const N = Number(values.n);
  const RUNS = Number(values.runs);
  // The receiver: counts records per connection round by the `seq` in each line.
  let current;
  const server = net.createServer((s) => {
    let rest = '';
    s.setEncoding('utf8');
    s.on('data', (text) => {
      const r = current;
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        // hydra: [hydra@32473 … seq="7"]; pino-syslog: the record as JSON, "seq":7.
        const m = /seq(?:="|":)(\d+)/.exec(line);
        if (m === null || !/^<\d+>1 /.test(line)) throw new Error(`bad line ${line}`);
        const seq = Number(m[1]);
        if (r.seqs[seq] === 1) r.dup++;
        r.seqs[seq] = 1;
        if (++r.count >= N) r.done();
      }
    });
    s.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;

  const next = (c, key) =>
    new Promise((resolve, reject) => {
      const on = (m) => {
        if (m && key in m) {
          c.off('message', on);
          resolve(m);
        }
      };
      c.on('message', on);
      c.once('exit', (code) => reject(new Error(`child exited (${code}) before ${key}`)));
    });

  async function round(lib) {
    const spec = { lib, port, n: N };
    const c = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(spec)], { stdio: 'inherit' });
    await next(c, 'ready');
    const all = new Promise((resolve) => {
      current = { count: 0, dup: 0, seqs: new Uint8Array(N), done: resolve };
    });
    const t0 = performance.now();
    c.send('go');
    await next(c, 'logged');
    const { stats } = await next(c, 'flushed');
    await all;
    const wall = performance.now() - t0;
    c.send('stop');
    await new Promise((r) => c.once('exit', r));
    const seen = current;
    if (seen.count !== N || seen.dup !== 0 || seen.seqs.some((x) => x !== 1))
      throw new Error(
        `${lib}: receiver counted ${seen.count} records, ${seen.dup} duplicates, ${N} expected`,
      );
    if (lib === 'hydra' && (stats.delivered !== N || Object.keys(stats.dropped).length > 0))
      throw new Error(`${lib}: ${JSON.stringify(stats)}`);
    return (N / wall) * 1000;
  }

  console.error(
    `${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version}; ${N} records × ${RUNS} runs`,
  );
  const results = { hydra: [], pino: [] };
  for (let r = 0; r < RUNS; r++)
    for (const lib of ['hydra', 'pino']) {
      const x = await round(lib);
      results[lib].push(x);
      console.error(`run ${r + 1} ${lib} → syslog tcp: ${x.toFixed(0)} records/s`);
    }
  server.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('| contender | records/s delivered to a syslog TCP receiver (first call → all received) |');
  console.log('|---|---:|');
  console.log(`| hydra-logger syslog (tcp, lf) | ${median(results.hydra).toFixed(0)} |`);
  console.log(`| pino + pino-syslog + pino-socket (tcp) | ${median(results.pino).toFixed(0)} |`);
  console.log(`\nrecords/s, hydra / pino: ${(median(results.hydra) / median(results.pino)).toFixed(2)}`);
}
