/**
 * The clients of bench/bridge.mjs, in a process of their own (forked, commands over IPC): real `ws`
 * WebSocket clients of the bridge. Each client checks what it gets: `records` and `gap` frames of
 * its subscription must follow each other offset by offset (no hole, no overlap); the records of
 * a frame are counted from its `from`/`to` (every offset is a record: no filter), and every
 * `verifyEvery`-th frame is parsed in full to check that count. Clients marked `measure` parse
 * every frame and take each record's latency: receive time minus the record's `t` field (both
 * `performance.timeOrigin + performance.now()`, the same clock in both processes).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

const clients = [];
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const latencies = [];
/** Latencies of the records sent while both processes warm up (`warmup`: records with a lower `i`). */
const warmupLatencies = [];

class Client {
  constructor(port, measure, verifyEvery, warmup = 0) {
    this.port = port;
    this.warmup = warmup;
    this.measure = measure;
    this.verifyEvery = verifyEvery;
    this.records = 0;
    this.gapped = 0;
    this.gaps = 0;
    this.frames = 0;
    this.errors = [];
    this.next = undefined;
    this.epoch = undefined;
    this.connects = 0;
    this.done = undefined;
  }

  open(since) {
    this.connects++;
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/hydra/ws`, ['hydra.v1'], {
      perMessageDeflate: false,
      // The bridge sends JSON text it encoded itself; each client checks offsets, not UTF-8.
      skipUTF8Validation: true,
    });
    this.ws = ws;
    return new Promise((ok, fail) => {
      ws.once('error', fail);
      ws.once('close', (code, reason) => fail(new Error(`closed before hello: ${code} ${reason}`)));
      ws.on('message', (data) => {
        // The head of the frame says what it is; a records frame is decoded in full only when checked.
        const head = data.toString('latin1', 0, Math.min(data.length, 128));
        if (head.startsWith('{"type":"records"')) return this.#records(head, data);
        const f = JSON.parse(data.toString());
        if (f.type === 'hello') {
          this.epoch = f.epoch;
          ws.send(JSON.stringify({ type: 'subscribe', sub: 's', since: since ?? 'latest' }));
          ok();
        } else if (f.type === 'gap') {
          this.#range(f.from, f.to);
          this.gaps++;
          this.gapped += f.count;
        } else if (f.type === 'error') this.errors.push(f.message);
      });
    });
  }

  #range(from, to) {
    if (this.next !== undefined && from !== this.next)
      this.errors.push(
        `frame from ${from} after ${this.next - 1}: ${from > this.next ? 'a silent hole' : 'an overlap'}`,
      );
    this.next = to + 1;
  }

  #records(head, data) {
    const now = performance.timeOrigin + performance.now();
    const i = head.indexOf('"from":');
    const j = head.indexOf(',"to":', i);
    const k = head.indexOf(',', j + 6);
    const from = Number(head.slice(i + 7, j));
    const to = Number(head.slice(j + 6, k));
    this.#range(from, to);
    this.frames++;
    if (this.measure || this.frames % this.verifyEvery === 0) {
      const f = JSON.parse(data.toString());
      if (f.records.length !== to - from + 1)
        this.errors.push(`frame ${from}-${to} held ${f.records.length} records`);
      if (this.measure)
        for (const r of f.records) (r.i < this.warmup ? warmupLatencies : latencies).push(now - r.t);
    }
    this.records += to - from + 1;
  }

  /**
   * Drops the connection (no close handshake) and reconnects with its cursor: the last offset it
   * saw, or -1 when it saw none yet (the benches subscribe before a fresh stream's first record,
   * offset 0).
   */
  async bounce() {
    const old = this.ws;
    old.removeAllListeners('message');
    old.terminate();
    await this.open({ epoch: this.epoch, offset: this.next === undefined ? -1 : this.next - 1 });
  }
}

async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

process.on('message', async (m) => {
  try {
    if (m.cmd === 'connect') {
      const made = [];
      for (let i = 0; i < m.n; i++)
        made.push(new Client(m.port, i < (m.measure ?? 0), m.verifyEvery ?? 50, m.warmup));
      await inBatches(made, 200, (c) => c.open(m.since));
      clients.push(...made);
      process.send({ connected: clients.length });
    } else if (m.cmd === 'wait') {
      // Until every client has seen offsets up to m.to (records or gaps).
      const end = Date.now() + (m.timeoutMs ?? 120_000);
      while (clients.some((c) => (c.next ?? 0) <= m.to) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 2));
      process.send({ waited: performance.timeOrigin + performance.now() });
    } else if (m.cmd === 'bounce') {
      // m.count random disconnects, spread over m.overMs.
      const gap = m.overMs / m.count;
      for (let i = 0; i < m.count; i++) {
        await new Promise((r) => setTimeout(r, gap * Math.random() * 2));
        await clients[Math.floor(Math.random() * clients.length)].bounce();
      }
      process.send({ bounced: m.count });
    } else if (m.cmd === 'report') {
      latencies.sort((a, b) => a - b);
      const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
      const all = [...warmupLatencies, ...latencies].sort((a, b) => a - b);
      const qa = (p) => all[Math.min(all.length - 1, Math.floor(p * all.length))];
      process.send({
        report: {
          clients: clients.length,
          cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
          loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
          // Every sample, for a parent that merges the reports of several client processes.
          raw: m.raw ? { latencies, warmup: warmupLatencies } : undefined,
          records: clients.map((c) => c.records),
          gapped: clients.reduce((s, c) => s + c.gapped, 0),
          gaps: clients.reduce((s, c) => s + c.gaps, 0),
          connects: clients.reduce((s, c) => s + c.connects, 0),
          errors: clients.flatMap((c) => c.errors).slice(0, 10),
          errorCount: clients.reduce((s, c) => s + c.errors.length, 0),
          latency:
            latencies.length === 0
              ? undefined
              : {
                  n: latencies.length,
                  p50: q(0.5),
                  p99: q(0.99),
                  p999: q(0.999),
                  max: latencies.at(-1),
                  withWarmup: { n: all.length, p50: qa(0.5), p99: qa(0.99), max: all.at(-1) },
                },
        },
      });
    } else if (m.cmd === 'exit') process.exit(0);
  } catch (err) {
    process.send({ failed: String(err?.stack ?? err) });
  }
});
process.send({ up: true });
