import { HydraLogger } from 'hydra-logger';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentTracker, MultiAgentSystemPlugin } from '../src/index.js';
import { jsonLogger, manualClock } from './helpers.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function setup(opts: ConstructorParameters<typeof AgentTracker>[0] = {}, file = false) {
  const l = jsonLogger(file);
  const clock = manualClock();
  const tracker = new AgentTracker({ logger: l.logger, now: clock.now, ...opts });
  closers.push(
    () => tracker.close(),
    () => l.logger.close(),
  );
  return { ...l, tracker, clock };
}

describe('AgentTracker records', () => {
  it('writes registration, state, messages, tool and llm calls with OpenTelemetry GenAI and messaging attribute names (file bytes)', async () => {
    const { tracker, logger, fileLines, clock } = setup({}, true);
    const planner = tracker.registerAgent({
      id: 'planner',
      name: 'Planner',
      role: 'supervisor',
      version: '1.2',
    });
    const coder = tracker.registerAgent({ id: 'coder', name: 'Coder', role: 'llm', parentId: 'planner' });
    planner.setState('working', { reason: 'task accepted' });
    const id = planner.send('coder', {
      type: 'task',
      conversationId: 'c1',
      taskId: 't1',
      bytes: 120,
      tokens: 30,
    });
    clock.advance(40);
    tracker.received(id);
    clock.advance(60);
    tracker.processed(id, { ok: true });
    coder.llmCall({
      model: 'gpt-4o',
      inputTokens: 100,
      outputTokens: 50,
      costUsd: 0.0025,
      conversationId: 'c1',
    });
    const sum = coder.toolCall('add', () => 2 + 2);
    expect(sum).toBe(4);
    await logger.flush();
    const recs = fileLines().filter((r) => r.layer === 'AGENTS');
    const byOp = (op: string) => recs.filter((r) => r['gen_ai.operation.name'] === op);
    expect(byOp('create_agent').map((r) => r['gen_ai.agent.id'])).toEqual(['planner', 'coder']);
    expect(byOp('create_agent')[0]).toMatchObject({
      level: 'INFO',
      'gen_ai.agent.name': 'Planner',
      'gen_ai.agent.version': '1.2',
      'hydra.agent.role': 'supervisor',
    });
    expect(byOp('update_agent_state')[0]).toMatchObject({
      'gen_ai.agent.id': 'planner',
      'hydra.agent.state': 'working',
      'hydra.agent.previous_state': 'submitted',
      'hydra.agent.state_reason': 'task accepted',
    });
    const [sent] = byOp('send_message');
    expect(sent).toMatchObject({
      message: 'message sent',
      'gen_ai.agent.id': 'planner',
      'gen_ai.agent.name': 'Planner',
      'gen_ai.conversation.id': 'c1',
      'messaging.system': 'hydra.agents',
      'messaging.operation.type': 'send',
      'messaging.message.id': id,
      'messaging.destination.name': 'coder',
      'messaging.message.body.size': 120,
      'hydra.message.type': 'task',
      'hydra.task.id': 't1',
      'hydra.message.tokens': 30,
    });
    expect(byOp('receive_message')[0]).toMatchObject({
      level: 'DEBUG',
      'gen_ai.agent.id': 'coder',
      'hydra.message.from': 'planner',
    });
    expect(byOp('process_message')[0]).toMatchObject({
      'gen_ai.agent.id': 'coder',
      'messaging.operation.type': 'process',
      'messaging.message.id': id,
      'hydra.ok': true,
    });
    expect(byOp('chat')[0]).toMatchObject({
      'gen_ai.agent.id': 'coder',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'hydra.cost_usd': 0.0025,
    });
    expect(byOp('execute_tool')[0]).toMatchObject({ 'gen_ai.tool.name': 'add', 'hydra.ok': true });
    // The message content is not logged unless asked for.
    expect(JSON.stringify(recs)).not.toContain('hydra.message.content');
  });

  it('logs message contents only with captureContent, redacted by the logger', async () => {
    const { tracker, lines } = setup({ captureContent: true });
    tracker.registerAgent('a');
    tracker.send('a', 'b', { content: { text: 'write to ann@example.com', password: 'hunter2' } });
    tracker.logCommunication('a', 'b', 'my card is 4111 1111 1111 1111');
    const text = JSON.stringify(lines());
    expect(text).toContain('hydra.message.content');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('ann@example.com');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(text).toContain('[REDACTED]');
  });

  it('agent.run: records logged inside carry the agent attributes, across awaits', async () => {
    const { tracker, logger, lines } = setup();
    const a = tracker.registerAgent({ id: 'researcher', name: 'Researcher' });
    await a.run(async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info('APP', 'searching', { q: 'x' });
    });
    logger.info('APP', 'outside');
    const app = lines().filter((r) => r.layer === 'APP');
    expect(app[0]).toMatchObject({
      message: 'searching',
      'gen_ai.agent.id': 'researcher',
      'gen_ai.agent.name': 'Researcher',
    });
    expect(app[1]?.['gen_ai.agent.id']).toBeUndefined();
  });

  it('toolCall rethrows the tool error and logs it as a failed call', async () => {
    const { tracker, lines } = setup();
    const a = tracker.registerAgent('a');
    await expect(a.toolCall('fetch', async () => Promise.reject(new TypeError('no route')))).rejects.toThrow(
      'no route',
    );
    const r = lines().find((x) => x['gen_ai.operation.name'] === 'execute_tool');
    expect(r).toMatchObject({ level: 'ERROR', 'hydra.ok': false, 'error.type': 'TypeError' });
    expect(a.analytics()?.errors).toBe(1);
  });
});

describe('analytics, graph and conversations', () => {
  it('counts messages, latency percentiles, time in state, tokens and cost per agent', () => {
    const { tracker, clock } = setup();
    const a = tracker.registerAgent({ id: 'a', state: 'working' });
    const b = tracker.registerAgent({ id: 'b' });
    for (let i = 0; i < 100; i++) {
      const id = a.send('b', { tokens: 10 });
      clock.advance(i < 90 ? 10 : 500);
      b.processed(id, i === 99 ? { ok: false, error: new Error('boom') } : {});
    }
    b.llmCall({ model: 'm', inputTokens: 1000, outputTokens: 200, costUsd: 0.5 });
    a.setState('completed');
    const an = tracker.getAgentAnalytics('b');
    expect(an).toMatchObject({ messagesIn: 100, messagesOut: 0, errors: 1, costUsd: 0.5, llmCalls: 1 });
    expect(an?.tokens).toEqual({ input: 1000, output: 200, total: 1200, messages: 0 });
    expect(an?.latencyMs.count).toBe(100);
    // Log buckets: within ±10 %.
    expect(an?.latencyMs.p50).toBeGreaterThan(9);
    expect(an?.latencyMs.p50).toBeLessThan(11);
    expect(an?.latencyMs.p95).toBeGreaterThan(450);
    expect(an?.latencyMs.p95).toBeLessThanOrEqual(500);
    const aa = tracker.getAgentAnalytics('a');
    expect(aa?.messagesOut).toBe(100);
    expect(aa?.tokens.messages).toBe(1000);
    expect(aa?.timeInStateMs.working).toBe(90 * 10 + 10 * 500);
    expect(aa?.state).toBe('completed');
    const all = tracker.getAgentAnalytics();
    expect(all.agents.map((x) => x.id).sort()).toEqual(['a', 'b']);
    expect(all.totals).toMatchObject({ agents: 2, messages: 100, errors: 1, tokens: 1200, costUsd: 0.5 });
  });

  it('getCommunicationGraph: one edge per direction with count, rate, p95, errors and tokens', () => {
    const { tracker, clock } = setup();
    tracker.registerAgent('sup');
    for (const w of ['w1', 'w2']) {
      for (let i = 0; i < 5; i++) {
        const id = tracker.send('sup', w, { tokens: 7, conversationId: `c-${w}-${i}` });
        clock.advance(20);
        tracker.processed(id, { ok: w === 'w1' });
        tracker.send(w, 'sup', { conversationId: `c-${w}-${i}` });
      }
    }
    const g = tracker.getCommunicationGraph();
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['sup', 'w1', 'w2']);
    const e = (f: string, t: string) => g.edges.find((x) => x.from === f && x.to === t);
    expect(g.edges).toHaveLength(4);
    expect(e('sup', 'w1')).toMatchObject({ count: 5, errors: 0, tokens: 35 });
    expect(e('sup', 'w2')).toMatchObject({ count: 5, errors: 5, tokens: 35 });
    expect(e('w1', 'sup')).toMatchObject({ count: 5, tokens: 0 });
    expect(e('sup', 'w1')?.p95Ms).toBeGreaterThan(18);
    expect(e('sup', 'w1')?.p95Ms).toBeLessThanOrEqual(20);
    expect(e('sup', 'w1')?.rate).toBeGreaterThan(0);
    expect(g.nodes.find((n) => n.id === 'w1')).toMatchObject({ messagesIn: 5, messagesOut: 5 });
  });

  it('getConversation returns the conversation in causal (Lamport) order', () => {
    const { tracker } = setup();
    const m1 = tracker.send('user', 'planner', { conversationId: 'c' });
    tracker.received(m1);
    const m2 = tracker.send('planner', 'coder', { conversationId: 'c' });
    tracker.processed(m2);
    tracker.processed(m1);
    tracker.send('planner', 'other', { conversationId: 'd' });
    const c = tracker.getConversation('c');
    expect(c.map((e) => `${e.kind}:${e.messageId === m1 ? 'm1' : 'm2'}`)).toEqual([
      'send:m1',
      'receive:m1',
      'send:m2',
      'process:m2',
      'process:m1',
    ]);
    const lamports = c.map((e) => e.lamport);
    expect(lamports).toEqual([...lamports].sort((x, y) => x - y));
    expect(tracker.getConversation('nope')).toEqual([]);
  });

  it('bounded: the edge table is capped and evictions are counted', () => {
    const { tracker } = setup({ limits: { maxEdges: 100, maxPendingMessages: 50, maxConversations: 10 } });
    for (let i = 0; i < 1000; i++) tracker.send(`a${i % 30}`, `b${i}`, { conversationId: `c${i}` });
    const s = tracker.stats();
    expect(s.edges).toBeLessThanOrEqual(100);
    expect(s.evicted.edges).toBeGreaterThanOrEqual(900);
    expect(s.pendingMessages).toBe(50);
    expect(s.evicted.pendingMessages).toBe(950);
    expect(s.conversations).toBe(10);
    expect(s.evicted.conversations).toBe(990);
    expect(tracker.getCommunicationGraph().edges.length).toBe(s.edges);
  });

  it('conversations stay exact while entries and conversations are reused past the bounds', () => {
    const { tracker } = setup({ limits: { maxConversations: 3, maxConversationEvents: 7 } });
    const ids = new Map<string, string[]>();
    for (let c = 0; c < 40; c++) {
      const conv = `c${c}`;
      const list: string[] = [];
      // Three messages per conversation, the last one never processed (stays in flight).
      for (let i = 0; i < 3; i++) {
        const id = tracker.send(`a${c % 4}`, `b${i}`, { conversationId: conv, type: `t${i}` });
        tracker.received(id);
        if (i < 2) tracker.processed(id, { ok: i === 0 });
        list.push(id);
      }
      ids.set(conv, list);
    }
    expect(tracker.getConversation('c36')).toEqual([]);
    for (const conv of ['c37', 'c38', 'c39']) {
      const [m0, m1, m2] = ids.get(conv) as string[];
      const c = tracker.getConversation(conv);
      // 8 events: the 7 kept (the bound), the 8th counted.
      expect(c.map((e) => `${e.kind}:${e.messageId}:${e.ok ?? ''}`)).toEqual([
        `send:${m0}:`,
        `receive:${m0}:`,
        `process:${m0}:true`,
        `send:${m1}:`,
        `receive:${m1}:`,
        `process:${m1}:false`,
        `send:${m2}:`,
      ]);
      expect(c[6]).toMatchObject({ from: `a${Number(conv.slice(1)) % 4}`, to: 'b2', type: 't2' });
    }
    const s = tracker.stats();
    expect(s.evicted.conversations).toBe(37);
    expect(s.evicted.conversationEvents).toBe(40);
    // The unprocessed messages are still in flight, and processing one now still measures it.
    expect(s.pendingMessages).toBe(40);
    const last = (ids.get('c39') as string[])[2] as string;
    tracker.processed(last);
    expect(tracker.stats().pendingMessages).toBe(39);
    expect(tracker.getAgentAnalytics('b2')?.latencyMs.count).toBe(1);
  });

  it('a message stays findable in flight however many are sent after it, by any copy of its id', () => {
    const { tracker } = setup({ detectors: false });
    const early = tracker.send('s', 'rA', { conversationId: 'c' });
    for (let i = 0; i < 5000; i++) {
      const id = tracker.send('s', 'r', { conversationId: `k${i % 7}` });
      tracker.received(id);
      tracker.processed(id);
    }
    expect(tracker.stats().pendingMessages).toBe(1);
    // A copy of the id (another string object, as a message passed between processes would bring).
    const copy = early.split('').join('');
    tracker.received(copy);
    tracker.processed(copy);
    expect(tracker.stats().pendingMessages).toBe(0);
    expect(tracker.getAgentAnalytics('rA')?.latencyMs.count).toBe(1);
    expect(tracker.getConversation('c').map((e) => `${e.kind}:${e.messageId}`)).toEqual([
      `send:${early}`,
      `receive:${early}`,
      `process:${early}`,
    ]);
  });

  it('the message in flight the longest is forgotten first, whether sent here long ago or elsewhere', () => {
    const { tracker } = setup({ detectors: false, limits: { maxPendingMessages: 3 } });
    const a = tracker.send('s', 'rA', { conversationId: 'c' });
    tracker.received('other-origin.1.1', { agentId: 'rF' }); // sent in another process
    for (let i = 0; i < 5000; i++) {
      const id = tracker.send('s', 'r');
      tracker.processed(id);
    }
    const b = tracker.send('s', 'rB');
    expect(tracker.stats().pendingMessages).toBe(3);
    const c = tracker.send('s', 'rC'); // over the bound: `a` goes
    expect(tracker.stats().evicted.pendingMessages).toBe(1);
    for (const id of [b, c, a]) tracker.processed(id);
    expect(tracker.getAgentAnalytics('rA')?.latencyMs.count).toBe(0);
    expect(tracker.getAgentAnalytics('rB')?.latencyMs.count).toBe(1);
    expect(tracker.getAgentAnalytics('rC')?.latencyMs.count).toBe(1);
    // In flight now: the other process's message and `a`'s processing (its send was forgotten).
    expect(tracker.stats().pendingMessages).toBe(2);
    tracker.send('s', 'rD');
    tracker.send('s', 'rE'); // over the bound: the other process's message goes
    expect(tracker.stats().evicted.pendingMessages).toBe(2);
    // Its send arriving now finds nothing to complete: no latency measured for rF.
    tracker.ingest({
      'gen_ai.operation.name': 'send_message',
      'gen_ai.agent.id': 'x',
      'messaging.message.id': 'other-origin.1.1',
      'messaging.destination.name': 'rF',
      'hydra.lamport': 1,
      'hydra.agents.origin': 'other-origin',
    });
    expect(tracker.getAgentAnalytics('rF')?.latencyMs.count).toBe(0);
  });

  it("a handle sends as its agent without a look-up, and as the agent's new entry once the old one was evicted", () => {
    const { tracker, lines } = setup({ detectors: false, limits: { maxAgents: 3 } });
    const x = tracker.registerAgent({ id: 'x', name: 'Ex' });
    x.send('y', { conversationId: 'c' });
    expect(tracker.getAgentAnalytics('x')?.messagesOut).toBe(1);
    x.setState('completed'); // finished agents are forgotten first
    tracker.registerAgent({ id: 'p' });
    tracker.registerAgent({ id: 'q' }); // a fourth agent: x goes
    expect(tracker.stats().evicted.agents).toBe(1);
    expect(tracker.getAgentAnalytics('x')).toBeUndefined();
    x.send('y', { conversationId: 'c' });
    const again = tracker.getAgentAnalytics('x');
    expect(again).toMatchObject({ messagesOut: 1, implicit: true });
    expect(tracker.getCommunicationGraph().edges.find((e) => e.from === 'x' && e.to === 'y')?.count).toBe(1);
    const sent = lines().filter((l) => l['gen_ai.operation.name'] === 'send_message');
    expect(sent.map((l) => l['gen_ai.agent.name'])).toEqual(['Ex', 'x']);
  });

  it('refuses bad options with a message naming the option', () => {
    expect(() => new AgentTracker({ limits: { maxEdges: -1 } })).toThrow(
      /limits\.maxEdges: expected a number > 0/,
    );
    expect(() => new AgentTracker({ detectors: { nope: 1 } as never })).toThrow(/detectors\.nope: unknown/);
    expect(() => new AgentTracker().registerAgent({ id: '' })).toThrow(/id must be a non-empty string/);
  });
});

describe('MultiAgentSystemPlugin', () => {
  it('runs the older example unchanged: positional registerAgent, logCommunication, getAgentAnalytics', async () => {
    const logger = new HydraLogger({
      config: { layers: { DEFAULT: { destinations: [{ type: 'memory', format: 'json' }] } } },
    });
    closers.push(() => logger.close());
    const plugin = new MultiAgentSystemPlugin();
    logger.addPlugin('agents', plugin);
    plugin.registerAgent('agent_1', 'llm', { model: 'gpt-4' });
    plugin.registerAgent('agent_2', 'tool');
    plugin.logCommunication('agent_1', 'agent_2', 'Calculate 2+2');
    const all = plugin.getAgentAnalytics();
    expect(all.agents.map((a) => a.id)).toEqual(['agent_1', 'agent_2']);
    expect(plugin.getAgentAnalytics('agent_1')).toMatchObject({
      role: 'llm',
      messagesOut: 1,
      metadata: { model: 'gpt-4' },
    });
    expect(plugin.getCommunicationGraph().edges).toMatchObject([
      { from: 'agent_1', to: 'agent_2', count: 1 },
    ]);
    const lines = (logger.memory()?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['gen_ai.operation.name'])).toEqual([
      'create_agent',
      'create_agent',
      'send_message',
    ]);
    expect(lines[2]).toMatchObject({ layer: 'AGENTS', 'messaging.message.body.size': 13 });
    expect(JSON.stringify(lines)).not.toContain('Calculate');
    // agent.run through the plugin: the logger's records inside carry the agent.
    const h = plugin.tracker.agent('agent_1');
    h.run(() => logger.info('APP', 'inside'));
    const last = JSON.parse(logger.memory()?.lines().at(-1) ?? '{}');
    expect(last).toMatchObject({ message: 'inside', 'gen_ai.agent.id': 'agent_1' });
    expect(logger.getPluginInsights().agents?.insights).toMatchObject({ agents: 2, edges: 1 });
  });
});
