// A small multi-agent system tracked by @hydra-logger/agents: a supervisor hands a task to a
// researcher and a writer, they call a model and a tool, answer back; the critic and the writer
// then get into a loop, which the ping-pong detector reports. Run it (after `npm run build`):
//
//   npx tsx examples/agents.ts        (or compile it with esbuild/tsc and run it with node)
//
// docs/agents.md walks through it; packages/agents/test/example.test.ts runs it.
import { type AgentAlert, MultiAgentSystemPlugin } from '@hydra-logger/agents';
import { HydraLogger } from 'hydra-logger';

const logger = new HydraLogger({
  config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
});
const agents = new MultiAgentSystemPlugin({ detectors: { pingPongMessages: 8 } });
logger.addPlugin('agents', agents);
const tracker = agents.tracker;

const alerts: AgentAlert[] = [];
tracker.on('alert', (a: AgentAlert) => alerts.push(a));

const supervisor = tracker.registerAgent({ id: 'supervisor', name: 'Supervisor', role: 'supervisor' });
const researcher = tracker.registerAgent({ id: 'researcher', role: 'llm', parentId: 'supervisor' });
const writer = tracker.registerAgent({ id: 'writer', role: 'llm', parentId: 'supervisor' });
const critic = tracker.registerAgent({ id: 'critic', role: 'llm', parentId: 'supervisor' });

supervisor.setState('working', { reason: 'new request' });
for (const [worker, task] of [
  [researcher, 'find sources'],
  [writer, 'draft the summary'],
] as const) {
  const id = supervisor.send(worker.id, { type: 'task', conversationId: 'req-1', taskId: task, tokens: 40 });
  worker.received(id);
  worker.setState('working');
  await worker.run(async () => {
    logger.info('APP', `working on: ${task}`); // carries gen_ai.agent.id of the worker
    worker.llmCall({ model: 'gpt-4o-mini', inputTokens: 900, outputTokens: 300, costUsd: 0.0003 });
    await worker.toolCall('search', async () => ['source-1', 'source-2']);
  });
  worker.processed(id, { ok: true });
  const reply = worker.send('supervisor', { type: 'result', conversationId: 'req-1', tokens: 120 });
  supervisor.processed(reply);
  worker.setState('completed');
}

// The critic and the writer bounce the draft back and forth: a loop.
for (let i = 0; i < 8; i++) {
  if (i % 2 === 0) critic.send('writer', { type: 'revise', conversationId: 'draft-1' });
  else writer.send('critic', { type: 'revised', conversationId: 'draft-1' });
}
supervisor.setState('completed');

const graph = tracker.getCommunicationGraph();
console.log('nodes:', graph.nodes.map((n) => `${n.id} (${n.state})`).join(', '));
for (const e of graph.edges) console.log(`  ${e.from} → ${e.to}: ${e.count} messages, ${e.tokens} tokens`);
console.log('alerts:', alerts.map((a) => a.message).join('; '));
console.log('writer:', JSON.stringify(tracker.getAgentAnalytics('writer')?.tokens));

// Checks (the example's test runs this file).
if (graph.nodes.length !== 4) throw new Error(`expected 4 agents, got ${graph.nodes.length}`);
if (!alerts.some((a) => a.kind === 'ping_pong')) throw new Error('the loop was not reported');
const lines = (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
if (!lines.some((l) => l.message === 'working on: find sources' && l['gen_ai.agent.id'] === 'researcher'))
  throw new Error('records inside run() lack the agent');
await logger.close();
console.log('example ok: agents');
