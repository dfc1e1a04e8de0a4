/**
 * `node --expose-gc bench/agents.mjs [--agents 1000] [--messages 200000] [--runs 5] [--smoke]
 * [--impl path/to/agents/dist/index.js]` (after `npm run build`): the cost of multi-agent tracking.
 * `--impl` loads another build of the package (to compare two versions in alternating runs).
 *
 * 1,000 agents, each talking to 5 neighbours, ten messages per conversation. Each message is sent,
 * received and processed (three records: send and process at INFO, receive at DEBUG, all written
 * as json lines to a file). Two ways, alternating, same logger configuration:
 *
 *   logged   the same records (identical fields, captured from a tracker beforehand, copied into a
 *            fresh object per record) logged straight through the logger's AGENTS layer: what
 *            logging them costs without a tracker;
 *   tracked  tracker.send / received / processed: the records plus the tracking (graph, histograms,
 *            conversations, detectors).
 *
 * Prints messages per second of each, the tracking cost in percent (median of the runs; from wall
 * time, and from the process's CPU time, which a busy machine disturbs less), the CPU time of the
 * tracker alone per message (its records discarded), and the
 * heap and the tracker's tables after the runs (bounded whatever the number of messages). Output is
 * verified: each run's file holds 3 lines per message.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HydraLogger } from 'hydra-logger';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '5' },
    smoke: { type: 'boolean', default: false },
    impl: { type: 'string' },
  },
});
const { AgentTracker } = await import(
  values.impl === undefined ? '@hydra-logger/agents' : pathToFileURL(values.impl).href
);
const AGENTS = Number(values.agents);
const N = values.smoke ? 5_000 : Number(values.messages);
const RUNS = values.smoke ? 1 : Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'hydra-bench-agents-'));

// The traffic: message i goes from agent (i mod AGENTS) to one of its 5 neighbours.
const from = new Array(N);
const to = new Array(N);
const conv = new Array(N);
for (let i = 0; i < N; i++) {
  const a = i % AGENTS;
  from[i] = `agent-${a}`;
  to[i] = `agent-${(a + 1 + ((i * 7) % 5)) % AGENTS}`;
  conv[i] = `conv-${Math.floor(i / 10)}`;
}

function newLogger(file) {
  return new HydraLogger({
    config: {
      layers: {
        DEFAULT: {
          level: 'DEBUG',
          destinations: [{ type: 'file', path: file, format: 'json', level: 'DEBUG' }],
        },
      },
    },
  });
}

function newTracker(logger) {
  const t = new AgentTracker({ logger, origin: 'bench' });
  for (let a = 0; a < AGENTS; a++) t.registerAgent({ id: `agent-${a}`, role: 'worker', state: 'working' });
  return t;
}

// The records a tracker writes for this traffic, captured once (a sink that keeps the fields).
const captured = [];
{
  const capture = new AgentTracker({ origin: 'bench', detectors: false });
  for (let a = 0; a < AGENTS; a++)
    capture.registerAgent({ id: `agent-${a}`, role: 'worker', state: 'working' });
  capture.useSink((level, message, fields) => captured.push([level, message, fields]));
  for (let i = 0; i < N; i++) {
    const id = capture.send(from[i], to[i], { conversationId: conv[i], tokens: 12 });
    capture.received(id);
    capture.processed(id, { ok: true });
  }
}

async function runLogged(run) {
  const file = join(dir, `logged-${run}.log`);
  const logger = newLogger(file);
  const layer = logger.layer('AGENTS');
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < captured.length; i++) {
    const [level, message, fields] = captured[i];
    // A fresh object per record, as a program building these fields itself would make.
    const f = { ...fields };
    if (level === 20) layer.info(message, f);
    else if (level === 10) layer.debug(message, f);
    else layer.warning(message, f);
  }
  await logger.flush();
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = cpuNs(c0);
  await logger.close();
  return { ns, cpu, file };
}

/** CPU time (user + system, all threads) since `c0`, ns: what a run cost, whatever else the machine ran. */
function cpuNs(c0) {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) * 1000;
}

let lastTracker;
async function runTracked(run) {
  const file = join(dir, `tracked-${run}.log`);
  const logger = newLogger(file);
  const tracker = newTracker(logger);
  await logger.flush();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const id = tracker.send(from[i], to[i], { conversationId: conv[i], tokens: 12 });
    tracker.received(id);
    tracker.processed(id, { ok: true });
  }
  await logger.flush();
  const ns = Number(process.hrtime.bigint() - t0);
  const cpu = cpuNs(c0);
  await logger.close();
  tracker.close();
  lastTracker = tracker;
  return { ns, cpu, file };
}

/** The tracker alone (its records discarded by an empty sink): CPU ns per message, median of 5 runs after a warm-up. */
function aloneCpuNsPerMsg() {
  const res = [];
  for (let r = 0; r < 6; r++) {
    const t = new AgentTracker({ origin: 'bench' });
    for (let a = 0; a < AGENTS; a++) t.registerAgent({ id: `agent-${a}`, role: 'worker', state: 'working' });
    t.useSink(() => {});
    global.gc?.();
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const id = t.send(from[i], to[i], { conversationId: conv[i], tokens: 12 });
      t.received(id);
      t.processed(id, { ok: true });
    }
    if (r > 0) res.push(cpuNs(c0) / N);
    t.close();
  }
  return Math.round(median(res));
}

function lines(file) {
  return readFileSync(file, 'utf8').split('\n').length - 1;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const logged = [];
const tracked = [];
const loggedCpu = [];
const trackedCpu = [];
for (let r = 0; r < RUNS + 1; r++) {
  global.gc?.();
  const a = await runLogged(r);
  global.gc?.();
  const b = await runTracked(r);
  if (lines(a.file) !== 3 * N) throw new Error(`logged run wrote ${lines(a.file)} lines, expected ${3 * N}`);
  // The tracked file also holds the registrations.
  if (lines(b.file) !== 3 * N + AGENTS)
    throw new Error(`tracked run wrote ${lines(b.file)} lines, expected ${3 * N + AGENTS}`);
  rmSync(a.file);
  rmSync(b.file);
  if (r === 0) continue; // warm-up
  logged.push(a.ns);
  tracked.push(b.ns);
  loggedCpu.push(a.cpu);
  trackedCpu.push(b.cpu);
}
const perSec = (ns) => Math.round(N / (ns / 1e9));
const ratios = logged.map((l, i) => tracked[i] / l);
const cpuRatios = loggedCpu.map((l, i) => trackedCpu[i] / l);
global.gc?.();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
const s = lastTracker.stats();
const out = {
  agents: AGENTS,
  messages: N,
  runs: RUNS,
  loggedMsgsPerSec: perSec(median(logged)),
  trackedMsgsPerSec: perSec(median(tracked)),
  recordsPerSecTracked: perSec(median(tracked)) * 3,
  trackingCostPct: Math.round((median(ratios) - 1) * 1000) / 10,
  // The same from CPU time (user + system of the process): steadier than wall time on a busy machine.
  cpuNsPerMsgLogged: Math.round(median(loggedCpu) / N),
  cpuNsPerMsgTracked: Math.round(median(trackedCpu) / N),
  trackingCostPctCpu: Math.round((median(cpuRatios) - 1) * 1000) / 10,
  cpuNsPerMsgTrackerAlone: aloneCpuNsPerMsg(),
  heapMb: Math.round(heapMb),
  tracker: {
    agents: s.agents,
    edges: s.edges,
    pendingMessages: s.pendingMessages,
    conversations: s.conversations,
    evicted: s.evicted,
  },
};
console.log(JSON.stringify(out, null, 2));
rmSync(dir, { recursive: true, force: true });
