/**
 * One B5 measurement of bench/bridge.mjs in a process of its own (so the logger with the bridge and
 * the one without never share a JIT state): `node --expose-gc bench/bridge/b5-run.mjs <with|without|attached>
 * <records> <runs>` (`attached`: the bridge on the logger, no subscriber). A warm-up run, then `runs` timed runs of a logger writing JSON lines to
 * /dev/null (with the bridge: a WebSocketBridgePlugin and one subscribed client in a child process,
 * which checks every offset). Prints one JSON line: records/s (wall clock) and per CPU second of
 * this process, for each run, and what the client got.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketBridgePlugin } from '../../packages/bridge/dist/index.js';
import { HydraLogger } from '../../packages/core/dist/index.js';

const [mode, totalArg, runsArg] = process.argv.slice(2);
// `attached`: the bridge on the logger, nobody subscribed (what keeping the ring costs).
const withBridge = mode === 'with' || mode === 'attached';
const withClient = mode === 'with';
const total = Number(totalArg);
const runs = Number(runsArg);
const here = path.dirname(fileURLToPath(import.meta.url));
const fields = { userId: 'u-1234', requestId: 'r-42', path: '/api/items', status: 200, durationMs: 12.5 };

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
const ask = (child, msg, key) => {
  const p = once(child, key);
  child.send(msg);
  return p;
};

async function run() {
  const logger = new HydraLogger({
    config: { layers: { DEFAULT: { destinations: [{ type: 'file', path: '/dev/null', format: 'json' }] } } },
  });
  let child;
  let plugin;
  if (withBridge) {
    plugin = new WebSocketBridgePlugin();
    logger.addPlugin('bridge', plugin);
    const { port } = await plugin.listen({ port: 0 });
    if (withClient) {
      child = fork(path.join(here, 'clients.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await once(child, 'up');
      await ask(child, { cmd: 'connect', port, n: 1, verifyEvery: 10 }, 'connected');
    }
  }
  const first = plugin?.bridge.stats().ring.next ?? 0;
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    logger.info('APP', 'request handled', fields);
    if (i % 1_000 === 999) await new Promise((r) => setImmediate(r));
  }
  await logger.flush();
  const secs = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  let client;
  if (child) {
    await ask(child, { cmd: 'wait', to: first + total - 1 }, 'waited');
    const { report } = await ask(child, { cmd: 'report' }, 'report');
    client = { records: report.records[0], gapped: report.gapped, errors: report.errorCount };
    child.send({ cmd: 'exit' });
  }
  await logger.close();
  return { rate: total / secs, cpuRate: total / ((c.user + c.system) / 1e6), client };
}

await run();
const out = [];
for (let r = 0; r < runs; r++) out.push(await run());
process.stdout.write(`${JSON.stringify(out)}\n`);
