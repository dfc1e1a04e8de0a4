/**
 * `node --expose-gc bench/agents.mjs [--agents 1000] [--messages 200000] [--runs 5] [--smoke]
 * [--impl path/to/agents/dist/index.js] [--form handles|ids]` (after `npm run build`): the cost
 * of multi-agent tracking.
 * `--impl` loads another build of the package (to compare two versions in alternating runs).
 *
 * 1,000 agents, each talking to 5 neighbours, ten messages per conversation. Each message is sent,
 * received and processed (three records: send and process at INFO, receive at DEBUG, all written
 * as json lines to a file). Two ways, alternating, same logger configuration:
 *
 *   logged   the same records logged straight through the logger's AGENTS layer, each record's
 *            fields built in a fresh object literal (message ids and Lamport times captured from a
 *            tracker beforehand, the rest from the traffic): what logging them costs without a
 *            tracker. The fields are checked equal to the tracker's for every record, and the
 *            logged file's lines equal the tracked file's (timestamps aside);
 *   tracked  agent.send (the sender's handle; `--form ids`: tracker.send(fromId, toId)), then
 *            tracker.received / processed: the records plus the tracking (graph, histograms,
 *            conversations, detectors).
 *
 * Prints messages per second of each, the tracking cost in percent (median of the runs; from wall
 * time, and from the process's CPU time, which a busy machine disturbs less), the CPU time of the
 * tracker alone per message (its records discarded), and the
 * heap and the tracker's tables after the runs (bounded whatever the number of messages). Output is
 * verified: each run's file holds 3 lines per message, and the first runs' files hold the same lines.
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
    form: { type: 'string', default: 'handles' },
  },
});
const { AgentTracker } = await import(
  values.impl === undefined ? '@hydra-logger/agents' : pathToFileURL(values.impl).href
);
const AGENTS = Number(values.agents);
const FORM = values.form;
if (FORM !== 'handles' && FORM !== 'ids') throw new Error(`--form: expected handles or ids, got ${FORM}`);
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

/** A tracker with the agents registered; `handles[a]` is agent a's handle. */
function newTracker(options) {
  const tracker = new AgentTracker({ origin: 'bench', ...options });
  const handles = [];
  for (let a = 0; a < AGENTS; a++)
    handles.push(tracker.registerAgent({ id: `agent-${a}`, role: 'worker', state: 'working' }));
  return { tracker, handles };
}

/**
 * The traffic through a tracker: each message sent (by its sender's handle, or with `--form ids`
 * by `tracker.send(fromId, toId)`), received and processed.
 */
function traffic({ tracker, handles }) {
  if (FORM === 'ids')
    for (let i = 0; i < N; i++) {
      const id = tracker.send(from[i], to[i], { conversationId: conv[i], tokens: 12 });
      tracker.received(id);
      tracker.processed(id, { ok: true });
    }
  else
    for (let i = 0; i < N; i++) {
      const id = handles[i % AGENTS].send(to[i], { conversationId: conv[i], tokens: 12 });
      tracker.received(id);
      tracker.processed(id, { ok: true });
    }
}

// The records a tracker writes for this traffic. What varies per message (its id and the three
// Lamport times) is captured once from a tracker; the rest comes from the traffic itself. The
// baseline builds each record's fields in a fresh object literal, as a program logging these
// records itself would (keys in the tracker's order). Checked twice: the fields built here equal
// the captured ones for every record, and each run's logged file holds the tracked file's lines
// (timestamps aside).
const ids = new Array(N);
const lamports = new Float64Array(3 * N);
{
  const capture = new AgentTracker({ origin: 'bench', detectors: false });
  for (let a = 0; a < AGENTS; a++)
    capture.registerAgent({ id: `agent-${a}`, role: 'worker', state: 'working' });
  const got = [];
  capture.useSink((level, message, fields) => got.push([level, message, fields]));
  for (let i = 0; i < N; i++) {
    got.length = 0;
    const id = capture.send(from[i], to[i], { conversationId: conv[i], tokens: 12 });
    capture.received(id);
    capture.processed(id, { ok: true });
    ids[i] = id;
    for (let k = 0; k < 3; k++) lamports[3 * i + k] = got[k][2]['hydra.lamport'];
    const want = [
      [20, 'message sent', sendFields(i)],
      [10, 'message received', receiveFields(i)],
      [20, 'message processed', processFields(i)],
    ];
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `baseline record differs from the tracker's: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`,
      );
  }
}

function sendFields(i) {
  return {
    'gen_ai.operation.name': 'send_message',
    'gen_ai.agent.id': from[i],
    'gen_ai.agent.name': from[i],
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'send',
    'messaging.message.id': ids[i],
    'messaging.destination.name': to[i],
    'hydra.lamport': lamports[3 * i],
    'hydra.agents.origin': 'bench',
    'gen_ai.conversation.id': conv[i],
    'hydra.message.tokens': 12,
  };
}
function receiveFields(i) {
  return {
    'gen_ai.operation.name': 'receive_message',
    'gen_ai.agent.id': to[i],
    'gen_ai.agent.name': to[i],
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'receive',
    'messaging.message.id': ids[i],
    'hydra.lamport': lamports[3 * i + 1],
    'hydra.agents.origin': 'bench',
    'hydra.message.from': from[i],
    'gen_ai.conversation.id': conv[i],
  };
}
function processFields(i) {
  return {
    'gen_ai.operation.name': 'process_message',
    'gen_ai.agent.id': to[i],
    'gen_ai.agent.name': to[i],
    'messaging.system': 'hydra.agents',
    'messaging.operation.type': 'process',
    'messaging.message.id': ids[i],
    'hydra.lamport': lamports[3 * i + 2],
    'hydra.agents.origin': 'bench',
    'hydra.message.from': from[i],
    'gen_ai.conversation.id': conv[i],
    'hydra.ok': true,
  };
}

async function runLogged(run) {
  const file = join(dir, `logged-${run}.log`);
  const logger = newLogger(file);
  const layer = logger.layer('AGENTS');
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    layer.info('message sent', sendFields(i));
    layer.debug('message received', receiveFields(i));
    layer.info('message processed', processFields(i));
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
  const t = newTracker({ logger });
  const tracker = t.tracker;
  await logger.flush();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  traffic(t);
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
    const t = newTracker({});
    t.tracker.useSink(() => {});
    global.gc?.();
    const c0 = process.cpuUsage();
    traffic(t);
    if (r > 0) res.push(cpuNs(c0) / N);
    t.tracker.close();
  }
  return Math.round(median(res));
}

function lines(file) {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}
/** A json line without its timestamp. */
const untimed = (line) => line.replace(/^\{"timestamp":"[^"]*",/, '{');

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
  const la = lines(a.file);
  // The tracked file also holds the registrations; the rest is the same records.
  const lb = lines(b.file).slice(AGENTS);
  if (la.length !== 3 * N) throw new Error(`logged run wrote ${la.length} lines, expected ${3 * N}`);
  if (lb.length !== 3 * N)
    throw new Error(`tracked run wrote ${lb.length + AGENTS} lines, expected ${3 * N + AGENTS}`);
  if (r === 0)
    for (let i = 0; i < la.length; i++)
      if (untimed(la[i]) !== untimed(lb[i]))
        throw new Error(`line ${i} differs:\n logged  ${la[i]}\n tracked ${lb[i]}`);
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
  form: FORM,
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
