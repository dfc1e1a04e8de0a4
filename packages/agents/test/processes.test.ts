import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HydraLogger } from 'hydra-logger';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentTracker, MultiAgentSystemPlugin } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const HOUR = 3_600_000;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** A child process running test/fixtures/agent-process.mjs (the built packages), its clock skewed. */
function agentProcess(
  origin: string,
  skewMs: number,
  central: AgentTracker,
  lines: Record<string, unknown>[],
) {
  const child = spawn(process.execPath, [join(here, 'fixtures', 'agent-process.mjs')], {
    env: { ...process.env, SKEW_MS: String(skewMs), ORIGIN: origin },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  // Each json line the child's logger writes reaches the central tracker.
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    central.ingest(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const closed = new Promise<number | null>((ok) => child.on('close', ok));
  return {
    send: (c: unknown) => child.stdin?.write(`${JSON.stringify(c)}\n`),
    end: () => child.stdin?.end(),
    closed,
  };
}

async function until<T>(f: () => T | undefined, what: string): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('several processes, one tracker', () => {
  it('two child processes with clocks two hours apart: one graph, the conversation in causal order', async () => {
    const central = new AgentTracker({ origin: 'central' });
    const lines: Record<string, unknown>[] = [];
    const a = agentProcess('proc-a', +HOUR, central, lines); // an hour ahead
    const b = agentProcess('proc-b', -HOUR, central, lines); // an hour behind
    const sent = (from: string, n: number) =>
      until(() => {
        const s = lines.filter(
          (l) => l['gen_ai.operation.name'] === 'send_message' && l['gen_ai.agent.id'] === from,
        );
        return s.length >= n ? (s[n - 1]?.['messaging.message.id'] as string) : undefined;
      }, `message ${n} from ${from}`);
    a.send({ cmd: 'register', id: 'planner', role: 'supervisor' });
    b.send({ cmd: 'register', id: 'coder', role: 'llm' });
    a.send({ cmd: 'send', from: 'planner', to: 'coder', conv: 'c1', type: 'task' });
    const m1 = await sent('planner', 1);
    // The message id travels with the message (here: through the parent) to the other process.
    b.send({ cmd: 'received', id: m1, agent: 'coder' });
    b.send({ cmd: 'processed', id: m1, agent: 'coder' });
    b.send({ cmd: 'send', from: 'coder', to: 'planner', conv: 'c1', type: 'result' });
    const m2 = await sent('coder', 1);
    a.send({ cmd: 'received', id: m2, agent: 'planner' });
    a.send({ cmd: 'processed', id: m2, agent: 'planner' });
    a.send({ cmd: 'exit' });
    b.send({ cmd: 'exit' });
    a.end();
    b.end();
    expect(await a.closed).toBe(0);
    expect(await b.closed).toBe(0);

    const g = central.getCommunicationGraph();
    expect(g.nodes.map((n) => [n.id, n.role]).sort()).toEqual([
      ['coder', 'llm'],
      ['planner', 'supervisor'],
    ]);
    expect(g.edges.map((e) => [e.from, e.to, e.count]).sort()).toEqual([
      ['coder', 'planner', 1],
      ['planner', 'coder', 1],
    ]);
    const conv = central.getConversation('c1');
    const steps = conv.map((e) => `${e.kind} ${e.messageId === m1 ? 'm1' : 'm2'} ${e.agentId}@${e.origin}`);
    expect(steps).toEqual([
      'send m1 planner@proc-a',
      'receive m1 coder@proc-b',
      'process m1 coder@proc-b',
      'send m2 coder@proc-b',
      'receive m2 planner@proc-a',
      'process m2 planner@proc-a',
    ]);
    // The wall clocks alone would have put the coder's work before the planner's request.
    const byTime = [...conv].sort((x, y) => x.time - y.time).map((e) => `${e.kind} ${e.agentId}`);
    expect(byTime[0]).not.toBe('send planner');
    expect(central.stats().ingested.applied).toBe(lines.length);
  });

  it('records of another tracker reaching the plugin logger (as the bridge ingest logs them) join its graph', async () => {
    const remoteLines: string[] = [];
    const remoteLogger = new HydraLogger({
      config: {
        layers: {
          DEFAULT: {
            destinations: [{ type: 'stream', format: 'json', stream: (l: string) => remoteLines.push(l) }],
          },
        },
      },
    });
    const remote = new AgentTracker({ logger: remoteLogger, origin: 'worker-1' });
    const id = remote.send('scout', 'hq', { conversationId: 'k' });
    remote.processed(id);
    const logger = new HydraLogger({ config: { layers: { DEFAULT: { destinations: [{ type: 'null' }] } } } });
    const plugin = new MultiAgentSystemPlugin();
    logger.addPlugin('agents', plugin);
    for (const line of remoteLines) {
      const {
        timestamp: _t,
        level: _l,
        layer,
        message,
        ...fields
      } = JSON.parse(line) as Record<string, unknown>;
      logger.info(layer as string, message as string, fields);
    }
    expect(plugin.getCommunicationGraph().edges).toMatchObject([{ from: 'scout', to: 'hq', count: 1 }]);
    expect(plugin.tracker.getConversation('k').map((e) => e.kind)).toEqual(['send', 'process']);
    await logger.close();
    await remoteLogger.close();
  });
});
