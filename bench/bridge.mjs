/**
 * `node --expose-gc bench/bridge.mjs [--smoke] [--only B1,B3]` (after `npm run build`; `npm run
 * bench:bridge` does both): the live bridge (@hydra-logger/bridge) on loopback. The bridge (and
 * its logger) run in this process; the WebSocket clients in a child process (bench/bridge/clients.mjs),
 * so the client side's work is not counted as the bridge's. Every figure is verified: the clients
 * count what they receive and check offsets frame by frame (no hole, no overlap, every gap explicit).
 *
 * B1  latency: 10,000 records/s from a logger to 100 subscribed clients; p50/p99/p99.9 emit → receive
 * B2  fan-out: records published as fast as the clients take them, 100 clients; deliveries/s
 * B3  10,000 idle clients held; server memory per client
 * B4  100 random disconnects (reconnect with the cursor) during a 100,000-record stream, 100 clients
 * B5  logger cost: records/s of a logger with the bridge attached (one subscribed client) ÷ without
 * `--smoke`: a short run of each, for tests (figures not meaningful).
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBridge, WebSocketBridgePlugin } from '../packages/bridge/dist/index.js';
import { HydraLogger } from '../packages/core/dist/index.js';

const { values } = parseArgs({
  options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const SMOKE = values.smoke;
const ONLY = values.only?.split(',');
const here = path.dirname(fileURLToPath(import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const gc = () => globalThis.gc?.();
const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => `${n.toFixed(2)} ms`;
const results = {};
let failed = false;

function check(ok, what) {
  if (!ok) {
    failed = true;
    console.error(`VERIFICATION FAILED: ${what}`);
  }
}

async function clientsProcess() {
  const child = fork(path.join(here, 'bridge', 'clients.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await once(child, 'up');
  return child;
}

/** Tells a clients process to exit and waits until it has: the next case starts on a quiet machine. */
function retire(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise((ok) => child.once('exit', ok));
  child.send({ cmd: 'exit' });
  return gone;
}

function once(child, key) {
  return new Promise((ok, fail) => {
    const on = (m) => {
      if (m?.failed) {
        child.off('message', on);
        fail(new Error(m.failed));
      } else if (m && key in m) {
        child.off('message', on);
        ok(m);
      }
    };
    child.on('message', on);
  });
}

async function ask(child, msg, key) {
  const p = once(child, key);
  child.send(msg);
  return p;
}

const record = (i) => ({
  time: Date.now(),
  level: 20,
  levelName: 'INFO',
  layer: 'APP',
  message: 'request handled',
  fields: { i, t: now(), userId: 'u-1234', path: '/api/items', status: 200, durationMs: 12.5 },
  bindings: undefined,
  context: undefined,
  error: undefined,
  caller: undefined,
});

const devnullLogger = () =>
  new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: '/dev/null', format: 'json' }] } } },
  });

/**
 * Emits `total` records at `rate` records/s through `emit(i)`, paced on the clock (catching up if
 * late), every millisecond (a timer: the pacing itself does not spin a core).
 */
async function paced(rate, total, emit) {
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (i < due) emit(i++);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * `k` client processes used as one (B1): each gets its share of the clients, and their reports are
 * merged, latencies from every sample. One process for 100 clients was most of a core busy on
 * this machine, and the time a frame waited in its event loop was counted as the bridge's latency.
 */
async function clientProcesses(k) {
  const children = await Promise.all(Array.from({ length: k }, () => clientsProcess()));
  const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  return {
    all: (msg, key) =>
      Promise.all(children.map((c, j) => ask(c, typeof msg === 'function' ? msg(j) : msg, key))),
    exit: () => Promise.all(children.map(retire)),
    async report() {
      const reports = (
        await Promise.all(children.map((c) => ask(c, { cmd: 'report', raw: true }, 'report')))
      ).map((r) => r.report);
      const sum = (f) => reports.reduce((a, r) => a + f(r), 0);
      const lat = reports.flatMap((r) => r.raw?.latencies ?? []).sort((a, b) => a - b);
      const all = [...lat, ...reports.flatMap((r) => r.raw?.warmup ?? [])].sort((a, b) => a - b);
      return {
        cpuSeconds: sum((r) => r.cpuSeconds),
        records: reports.flatMap((r) => r.records),
        gapped: sum((r) => r.gapped),
        gaps: sum((r) => r.gaps),
        errors: reports.flatMap((r) => r.errors).slice(0, 10),
        errorCount: sum((r) => r.errorCount),
        loopDelay: {
          p99: Math.max(...reports.map((r) => r.loopDelay.p99)),
          max: Math.max(...reports.map((r) => r.loopDelay.max)),
        },
        latency: {
          n: lat.length,
          p50: q(lat, 0.5),
          p99: q(lat, 0.99),
          p999: q(lat, 0.999),
          max: lat.at(-1),
          withWarmup: { n: all.length, p50: q(all, 0.5), p99: q(all, 0.99), max: all.at(-1) },
        },
      };
    },
  };
}

async function b1() {
  const rate = 10_000;
  const total = SMOKE ? 2_000 : 100_000;
  const n = SMOKE ? 10 : 100;
  const measure = SMOKE ? 2 : 10;
  // The first second's records are not timed: both processes compile their code and size their
  // heaps then (their latencies are reported apart, as "with the warm-up").
  const warmup = SMOKE ? 200 : rate;
  const logger = devnullLogger();
  // 100 clients from one address: over the default per-IP limit (64).
  const plugin = new WebSocketBridgePlugin({ limits: { maxConnectionsPerIp: 1_000 } });
  logger.addPlugin('bridge', plugin);
  const { port } = await plugin.listen({ port: 0 });
  const procs = SMOKE ? 1 : 2;
  const clients = await clientProcesses(procs);
  await clients.all({ cmd: 'connect', port, n: n / procs, measure: measure / procs, warmup }, 'connected');
  const first = plugin.bridge.stats().ring.next;
  // What the cases before left (B3's 10,000 connections) is collected before this one is timed.
  gc();
  const serverDelay = monitorEventLoopDelay({ resolution: 1 });
  serverDelay.enable();
  const cpu0 = process.cpuUsage();
  await paced(rate, total, (i) =>
    logger.info('APP', 'request handled', {
      i,
      t: now(),
      userId: 'u-1234',
      path: '/api/items',
      status: 200,
      durationMs: 12.5,
    }),
  );
  await clients.all({ cmd: 'wait', to: first + total - 1 }, 'waited');
  const cpu = process.cpuUsage(cpu0);
  const report = await clients.report();
  const fan = plugin.bridge.stats().fanout;
  serverDelay.disable();
  console.log(
    `B1 detail: server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, clients' ${procs} processes CPU ${report.cpuSeconds.toFixed(2)} s, ${int(fan.batches)} batches serialized, ${int(fan.frames)} frames sent, gaps ${JSON.stringify(fan.gaps)}; event-loop delay p99 / max: server ${ms(serverDelay.percentile(99) / 1e6)} / ${ms(serverDelay.max / 1e6)}, clients ${ms(report.loopDelay.p99)} / ${ms(report.loopDelay.max)}; with the warm-up: p50 ${ms(report.latency.withWarmup.p50)}, p99 ${ms(report.latency.withWarmup.p99)}, max ${ms(report.latency.withWarmup.max)}; load ${os.loadavg()[0].toFixed(1)}`,
  );
  // A client that cannot keep up falls behind and gets explicit gaps: every offset is delivered or in one.
  const accounted = report.records.reduce((a, b) => a + b, 0) + report.gapped;
  check(
    report.errorCount === 0 && accounted === total * n,
    `B1: every offset delivered or in an explicit gap (${accounted} of ${total * n}; ${JSON.stringify(report.errors)})`,
  );
  await clients.exit();
  await logger.close();
  results.B1 = {
    rate,
    total,
    clients: n,
    measuredClients: measure,
    ...report.latency,
    deliveries: report.records.reduce((a, b) => a + b, 0),
  };
  console.log(
    `B1 ${int(rate)} records/s to ${n} clients, ${int(total)} records (the first ${int(warmup)} not timed): latency p50 ${ms(report.latency.p50)}, p99 ${ms(report.latency.p99)}, p99.9 ${ms(report.latency.p999)}, max ${ms(report.latency.max)} (${int(report.latency.n)} records timed at ${measure} clients in ${procs} processes; ${int(report.gapped)} deliveries missed in ${report.gaps} explicit slow_consumer gaps, ${report.errorCount} holes or overlaps; target p99 < 10 ms: ${report.latency.p99 < 10 ? 'met' : 'NOT met'})`,
  );
}

async function b2() {
  const n = SMOKE ? 10 : 100;
  const total = SMOKE ? 5_000 : 100_000;
  const bridge = createBridge({
    limits: { ringMaxRecords: total, ringMaxBytes: 512 * 1024 * 1024, maxConnectionsPerIp: 1_000 },
  });
  const { port } = await bridge.listen({ port: 0 });
  const child = await clientsProcess();
  await ask(child, { cmd: 'connect', port, n, verifyEvery: 20 }, 'connected');
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const done = ask(child, { cmd: 'wait', to: total - 1, timeoutMs: 600_000 }, 'waited');
  for (let i = 0; i < total; i++) {
    bridge.publish(record(i));
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  const { waited } = await done;
  const cpu = process.cpuUsage(cpu0);
  const { report } = await ask(child, { cmd: 'report' }, 'report');
  const deliveries = report.records.reduce((a, b) => a + b, 0);
  check(
    deliveries === total * n && report.errorCount === 0 && report.gaps === 0,
    `B2: ${n} clients × ${total} records delivered, no gap (${deliveries}, ${JSON.stringify(report.errors)})`,
  );
  const secs = (waited - t0) / 1000;
  const st = bridge.stats().fanout;
  await retire(child);
  await bridge.close();
  results.B2 = {
    clients: n,
    records: total,
    seconds: secs,
    deliveriesPerSecond: deliveries / secs,
    serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
    batches: st.batches,
    frames: st.frames,
  };
  console.log(
    `B2 fan-out to ${n} clients: ${int(deliveries)} deliveries in ${secs.toFixed(2)} s = ${int(deliveries / secs)} deliveries/s (server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, ${int(st.batches)} batches serialized for ${int(st.frames)} frames; target ≥ 1,000,000/s: ${deliveries / secs >= 1e6 ? 'met' : 'NOT met'})`,
  );
}

async function b3() {
  const n = SMOKE ? 500 : 10_000;
  const bridge = createBridge({ limits: { maxConnections: n + 100, maxConnectionsPerIp: n + 100 } });
  const { port } = await bridge.listen({ port: 0 });
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const m0 = process.memoryUsage();
  const child = await clientsProcess();
  await ask(child, { cmd: 'connect', port, n }, 'connected');
  await new Promise((r) => setTimeout(r, 500));
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const m1 = process.memoryUsage();
  const held = bridge.stats().connections.websocket;
  // They are live: one record reaches each.
  const first = bridge.stats().ring.next;
  bridge.publish(record(0));
  await ask(child, { cmd: 'wait', to: first }, 'waited');
  const { report } = await ask(child, { cmd: 'report' }, 'report');
  check(
    held === n && report.records.every((r) => r === 1),
    `B3: ${n} clients held (${held}) and each got the record`,
  );
  await retire(child);
  await bridge.close();
  const perRss = (m1.rss - m0.rss) / n;
  const perHeap = (m1.heapUsed + m1.external - m0.heapUsed - m0.external) / n;
  results.B3 = { clients: n, held, rssPerClient: perRss, heapAndExternalPerClient: perHeap };
  console.log(
    `B3 ${int(held)} idle clients held: ${(perRss / 1024).toFixed(1)} KB RSS per client, ${(perHeap / 1024).toFixed(1)} KB heap+external per client (aim ≤ 50 KB: ${perRss <= 50 * 1024 ? 'met' : 'NOT met'})`,
  );
}

async function b4() {
  const n = SMOKE ? 10 : 100;
  const total = SMOKE ? 5_000 : 100_000;
  const bounces = SMOKE ? 10 : 100;
  const rate = 20_000;
  const bridge = createBridge({ limits: { maxConnectionsPerIp: 1_000 } });
  const { port } = await bridge.listen({ port: 0 });
  const child = await clientsProcess();
  await ask(child, { cmd: 'connect', port, n, verifyEvery: 10 }, 'connected');
  const bounced = ask(
    child,
    { cmd: 'bounce', count: bounces, overMs: (total / rate) * 1000 * 0.8 },
    'bounced',
  );
  await paced(rate, total, (i) => bridge.publish(record(i)));
  await bounced;
  await ask(child, { cmd: 'wait', to: total - 1 }, 'waited');
  const { report } = await ask(child, { cmd: 'report' }, 'report');
  await retire(child);
  await bridge.close();
  // Every client: records + explicitly gapped offsets = every offset; no hole, no overlap (checked per frame).
  const accounted = report.records.reduce((a, b) => a + b, 0) + report.gapped;
  check(
    report.errorCount === 0 && accounted === total * n,
    `B4: every offset delivered or in a gap (${accounted} of ${total * n}; ${JSON.stringify(report.errors)})`,
  );
  results.B4 = {
    clients: n,
    records: total,
    disconnects: report.connects - n,
    silentLosses: report.errorCount === 0 ? total * n - accounted : 'see errors',
    gaps: report.gaps,
    gapped: report.gapped,
  };
  console.log(
    `B4 ${report.connects - n} random disconnects during ${int(total)} records to ${n} clients: ${int(report.records.reduce((a, b) => a + b, 0))} delivered, ${int(report.gapped)} in ${report.gaps} explicit gaps, ${report.errorCount} holes or overlaps, ${total * n - accounted} silent losses (target 0: ${report.errorCount === 0 && accounted === total * n ? 'met' : 'NOT met'})`,
  );
}

/**
 * B5: each configuration in a process of its own (bench/bridge/b5-run.mjs: a warm-up run, then
 * timed runs), alternating, so that neither logger runs on code the other one's calls shaped.
 */
async function b5() {
  const total = SMOKE ? 20_000 : 200_000;
  const rounds = SMOKE ? 1 : 5;
  const perProcess = SMOKE ? 1 : 3;
  const measure = (mode) =>
    new Promise((ok, fail) => {
      const child = fork(path.join(here, 'bridge', 'b5-run.mjs'), [mode, String(total), String(perProcess)], {
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.on('exit', (code) =>
        code === 0
          ? ok(JSON.parse(out.trim().split('\n').at(-1)))
          : fail(new Error(`b5-run ${mode} exited ${code}`)),
      );
    });
  const ratios = [];
  const cpuRatios = [];
  const attachedRatios = [];
  const rates = { without: [], with: [] };
  for (let r = 0; r < rounds; r++) {
    const a = await measure('without');
    const b = await measure('with');
    // The bridge on the logger with nobody subscribed: what keeping the ring costs, apart.
    const z = await measure('attached');
    for (let k = 0; k < a.length; k++) attachedRatios.push((z[k]?.rate ?? 0) / (a[k]?.rate ?? 1));
    for (let k = 0; k < a.length; k++) {
      const x = a[k];
      const y = b[k];
      // The logger may outrun one client by more than the ring: what it missed must be in explicit gaps.
      check(
        y.client.records + y.client.gapped === total && y.client.errors === 0,
        `B5: the client got every record or an explicit gap for it (${y.client.records} + ${y.client.gapped} of ${total})`,
      );
      rates.without.push(x.rate);
      rates.with.push(y.rate);
      ratios.push(y.rate / x.rate);
      cpuRatios.push(y.cpuRate / x.cpuRate);
    }
    const m = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    console.log(
      `B5 round ${r + 1}: ${int(m(a.map((x) => x.rate)))} records/s without, ${int(m(b.map((x) => x.rate)))} with = ${(m(b.map((x) => x.rate)) / m(a.map((x) => x.rate))).toFixed(2)}× (medians of ${perProcess} runs per process; per CPU second ${(m(b.map((x) => x.cpuRate)) / m(a.map((x) => x.cpuRate))).toFixed(2)}×; the client got ${int(b.at(-1).client.records)} records + ${int(b.at(-1).client.gapped)} in gaps; load ${os.loadavg()[0].toFixed(1)})`,
    );
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(ratios);
  const cpuRatio = median(cpuRatios);
  results.B5 = {
    records: total,
    runs: ratios.length,
    without: median(rates.without),
    with: median(rates.with),
    ratio,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    cpuRatio,
    attachedRatio: median(attachedRatios),
  };
  console.log(
    `B5 the bridge attached with no subscriber (the ring alone): ${median(attachedRatios).toFixed(2)}× (median of ${attachedRatios.length} runs)`,
  );
  console.log(
    `B5 logger to /dev/null, ${int(total)} records, ${ratios.length} runs (${rounds} processes of each, alternating): ${int(median(rates.without))} records/s without the bridge, ${int(median(rates.with))} with it (one subscribed client) = ${ratio.toFixed(2)}× (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}; per CPU second of the logger's process ${cpuRatio.toFixed(2)}×; target ≥ 0.8×: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
  );
}

console.log(
  `bench/bridge${SMOKE ? ' (smoke)' : ''}: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, load average ${os.loadavg()[0].toFixed(1)}${globalThis.gc ? '' : ' (run with --expose-gc for steadier memory figures)'}`,
);
// B3 first: its memory baseline is taken before the other cases have grown the heap.
for (const [name, fn] of Object.entries({ B3: b3, B1: b1, B2: b2, B4: b4, B5: b5 })) {
  if (ONLY !== undefined && !ONLY.includes(name)) continue;
  // The previous case's garbage (B3: 10,000 connections) collected before this one starts.
  gc();
  await fn();
}
console.log(`\n${JSON.stringify(results)}`);
if (failed) process.exitCode = 1;
