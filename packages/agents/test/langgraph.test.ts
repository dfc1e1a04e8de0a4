import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { DynamicTool } from '@langchain/core/tools';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { Annotation, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { HydraLangChainHandler } from '../src/adapters/langgraph.js';
import { AgentTracker } from '../src/index.js';
import { jsonLogger } from './helpers.js';

/**
 * LangChain's FakeListChatModel, answering what a provider answers besides the text: the token
 * usage (`usage_metadata`) and, for a supervisor, the handoff as a tool call (`transfer_to_<worker>`;
 * `FINISH` ends the run).
 */
class ProviderLikeFakeModel extends FakeListChatModel {
  calls = 0;
  constructor(
    responses: string[],
    readonly routes = false,
  ) {
    super({ responses });
  }
  override _formatGeneration(text: string) {
    this.calls++;
    const usage = { input_tokens: 100 + 10 * this.calls, output_tokens: text.length + 3, total_tokens: 0 };
    usage.total_tokens = usage.input_tokens + usage.output_tokens;
    const toolCalls =
      this.routes && text !== 'FINISH'
        ? [{ name: `transfer_to_${text}`, args: {}, id: `call_${this.calls}`, type: 'tool_call' as const }]
        : [];
    return {
      // (cast: the fields' type is generic over the message structure)
      message: new AIMessage({
        content: this.routes ? '' : text,
        tool_calls: toolCalls,
        usage_metadata: usage,
      } as never),
      text,
    };
  }
}

const State = Annotation.Root({ ...MessagesAnnotation.spec });

/** A supervisor routing by tool call to a researcher (with a search tool) and a writer; both answer back. */
function supervisorGraph(routes: string[], opts: { failingWriterTool?: boolean } = {}) {
  const supervisorModel = new ProviderLikeFakeModel(routes, true);
  const researcherModel = new ProviderLikeFakeModel(['notes on the topic', 'more notes']);
  const writerModel = new ProviderLikeFakeModel(['a draft']);
  const search = new DynamicTool({
    name: 'search',
    description: 'searches the web',
    func: async (q: string) => `3 results for ${q}`,
  });
  const publish = new DynamicTool({
    name: 'publish',
    description: 'publishes a draft',
    func: async () => {
      if (opts.failingWriterTool) throw new Error('publishing service refused the draft');
      return 'published';
    },
  });
  const route = (s: typeof State.State) => {
    const last = s.messages.at(-1) as AIMessage;
    const call = last.tool_calls?.[0];
    return call === undefined ? END : call.name.replace('transfer_to_', '');
  };
  const graph = new StateGraph(State)
    .addNode('supervisor', async (s) => ({ messages: [await supervisorModel.invoke(s.messages)] }))
    .addNode('researcher', async (s) => {
      const found = await search.invoke('agent tracking');
      const answer = await researcherModel.invoke([...s.messages, new AIMessage(found)]);
      return { messages: [answer] };
    })
    .addNode('writer', async (s) => {
      const answer = await writerModel.invoke(s.messages);
      await publish.invoke(String(answer.content));
      return { messages: [answer] };
    })
    .addEdge(START, 'supervisor')
    .addConditionalEdges('supervisor', route, ['researcher', 'writer', END])
    .addEdge('researcher', 'supervisor')
    .addEdge('writer', 'supervisor')
    .compile();
  return { graph, models: { supervisorModel, researcherModel, writerModel } };
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function setup() {
  const l = jsonLogger();
  const tracker = new AgentTracker({ logger: l.logger });
  closers.push(
    () => tracker.close(),
    () => l.logger.close(),
  );
  const handler = new HydraLangChainHandler(tracker, { supervisor: 'supervisor' });
  return { ...l, tracker, handler };
}

/** The node-to-node transitions a run took, counted, from the graph's own `updates` stream. */
function transitionsOf(order: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 1; i < order.length; i++) {
    const from = order[i - 1] as string;
    const to = order[i] as string;
    if (from === to) continue;
    out.set(`${from}→${to}`, (out.get(`${from}→${to}`) ?? 0) + 1);
  }
  return out;
}

describe('LangGraph adapter: a real supervisor graph with LangChain fake chat models', () => {
  it("the tracker's graph equals the transitions the run took; tokens, tools, states, conversation", async () => {
    const { tracker, handler, lines } = setup();
    const { graph } = supervisorGraph(['researcher', 'writer', 'researcher', 'FINISH']);
    const order: string[] = [];
    const usage = new Map<string, { input: number; output: number; calls: number }>();
    const stream = await graph.stream(
      { messages: [{ role: 'user', content: 'write a report on agent tracking' }] },
      { streamMode: 'updates', callbacks: [handler], configurable: { thread_id: 'thread-1' } },
    );
    for await (const update of stream) {
      for (const [node, value] of Object.entries(update as Record<string, { messages?: BaseMessage[] }>)) {
        order.push(node);
        for (const m of value?.messages ?? []) {
          const u = (m as { usage_metadata?: { input_tokens: number; output_tokens: number } })
            .usage_metadata;
          if (u === undefined) continue;
          const acc = usage.get(node) ?? { input: 0, output: 0, calls: 0 };
          acc.input += u.input_tokens;
          acc.output += u.output_tokens;
          acc.calls++;
          usage.set(node, acc);
        }
      }
    }
    expect(order).toEqual([
      'supervisor',
      'researcher',
      'supervisor',
      'writer',
      'supervisor',
      'researcher',
      'supervisor',
    ]);

    // The graph: edges (from, to, count) are exactly the transitions of the stream.
    const g = tracker.getCommunicationGraph();
    const edges = new Map(g.edges.map((e) => [`${e.from}→${e.to}`, e.count]));
    expect(edges).toEqual(transitionsOf(order));
    expect(g.edges.every((e) => e.errors === 0)).toBe(true);
    const nodes = new Map(g.nodes.map((n) => [n.id, n]));
    expect([...nodes.keys()].sort()).toEqual(['researcher', 'supervisor', 'writer']);
    expect(nodes.get('supervisor')?.role).toBe('supervisor');
    expect(nodes.get('researcher')?.parentId).toBe('supervisor');
    expect(nodes.get('writer')?.parentId).toBe('supervisor');
    expect(nodes.get('writer')?.state).toBe('completed');

    // Tokens: what the models reported (read from the messages the stream carried).
    for (const node of ['supervisor', 'researcher', 'writer']) {
      const a = tracker.getAgentAnalytics(node);
      const u = usage.get(node);
      expect(u).toBeDefined();
      expect(a?.tokens.input).toBe(u?.input);
      expect(a?.tokens.output).toBe(u?.output);
      expect(a?.llmCalls).toBe(u?.calls);
    }
    expect(tracker.getAgentAnalytics('researcher')?.toolCalls).toBe(2);
    expect(tracker.getAgentAnalytics('writer')?.toolCalls).toBe(1);
    expect(tracker.getAgentAnalytics('supervisor')?.toolCalls).toBe(0);

    // Every handoff was received and processed (latency measured), none left in flight.
    expect(tracker.stats().pendingMessages).toBe(0);
    expect(tracker.getAgentAnalytics('supervisor')?.latencyMs.count).toBe(3);

    // The conversation is the thread, in causal order, sends matching the transitions.
    const conv = tracker.getConversation('thread-1');
    const sends = conv.filter((e) => e.kind === 'send').map((e) => `${e.from}→${e.to}`);
    expect(sends).toEqual([
      'supervisor→researcher',
      'researcher→supervisor',
      'supervisor→writer',
      'writer→supervisor',
      'supervisor→researcher',
      'researcher→supervisor',
    ]);

    // The records: OpenTelemetry names, the model's usage, the tool.
    const recs = lines();
    const chats = recs.filter((r) => r['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(7);
    expect(chats[0]).toMatchObject({
      'gen_ai.agent.id': 'supervisor',
      'gen_ai.conversation.id': 'thread-1',
      'gen_ai.usage.input_tokens': 110,
    });
    const tools = recs.filter((r) => r['gen_ai.operation.name'] === 'execute_tool');
    expect(tools.map((r) => [r['gen_ai.agent.id'], r['gen_ai.tool.name']])).toEqual([
      ['researcher', 'search'],
      ['writer', 'publish'],
      ['researcher', 'search'],
    ]);
    const sent = recs.filter((r) => r['gen_ai.operation.name'] === 'send_message');
    expect(sent).toHaveLength(6);
    expect(sent[0]).toMatchObject({
      'gen_ai.agent.id': 'supervisor',
      'messaging.destination.name': 'researcher',
      'hydra.message.type': 'handoff',
    });
    expect(handler.stats()).toMatchObject({
      graphRuns: 1,
      nodeRuns: 7,
      handoffs: 6,
      llmCalls: 7,
      toolCalls: 3,
    });
  });

  it('parallel branches (supervisor → researcher and writer at once → supervisor): one message per branch', async () => {
    const { tracker, handler } = setup();
    const model = new ProviderLikeFakeModel(['ok']);
    let rounds = 0;
    const graph = new StateGraph(State)
      .addNode('supervisor', async (s) => ({ messages: [await model.invoke(s.messages)] }))
      .addNode('researcher', async (s) => ({ messages: [await model.invoke(s.messages)] }))
      .addNode('writer', async (s) => ({ messages: [await model.invoke(s.messages)] }))
      .addEdge(START, 'supervisor')
      .addConditionalEdges('supervisor', () => (rounds++ < 2 ? ['researcher', 'writer'] : END), [
        'researcher',
        'writer',
        END,
      ])
      .addEdge('researcher', 'supervisor')
      .addEdge('writer', 'supervisor')
      .compile();
    // The graph's own task stream: tasks started before any of them finished form one superstep.
    const steps: string[][] = [];
    let finished = true;
    const stream = await graph.stream(
      { messages: [{ role: 'user', content: 'go' }] },
      { streamMode: 'tasks', callbacks: [handler], configurable: { thread_id: 'par' } },
    );
    for await (const ev of stream) {
      const e = ev as { name: string; result?: unknown; input?: unknown };
      if ('result' in e) finished = true;
      else {
        if (finished) steps.push([]);
        finished = false;
        steps.at(-1)?.push(e.name);
      }
    }
    expect(steps).toEqual([
      ['supervisor'],
      ['researcher', 'writer'],
      ['supervisor'],
      ['researcher', 'writer'],
      ['supervisor'],
    ]);
    // Every task of a step was triggered by every task of the step before (fan-out, fan-in).
    const expected = new Map<string, number>();
    for (let i = 1; i < steps.length; i++)
      for (const from of steps[i - 1] as string[])
        for (const to of steps[i] as string[])
          expected.set(`${from}→${to}`, (expected.get(`${from}→${to}`) ?? 0) + 1);
    const edges = new Map(tracker.getCommunicationGraph().edges.map((e) => [`${e.from}→${e.to}`, e.count]));
    expect(edges).toEqual(expected);
    expect(tracker.stats().pendingMessages).toBe(0);
  });

  it('a node that throws: the handoff is processed with ok: false, the agent fails, the tool failure is counted', async () => {
    const { tracker, handler, lines } = setup();
    const { graph } = supervisorGraph(['researcher', 'writer', 'FINISH'], { failingWriterTool: true });
    const order: string[] = [];
    const run = async () => {
      const stream = await graph.stream(
        { messages: [{ role: 'user', content: 'go' }] },
        { streamMode: 'updates', callbacks: [handler], configurable: { thread_id: 'thread-err' } },
      );
      for await (const update of stream) order.push(...Object.keys(update as object));
    };
    await expect(run()).rejects.toThrow('publishing service refused the draft');
    // The run took supervisor → researcher → supervisor, then failed in the writer.
    expect(order).toEqual(['supervisor', 'researcher', 'supervisor']);
    const g = tracker.getCommunicationGraph();
    const edges = new Map(g.edges.map((e) => [`${e.from}→${e.to}`, { count: e.count, errors: e.errors }]));
    expect(edges).toEqual(
      new Map([
        ['supervisor→researcher', { count: 1, errors: 0 }],
        ['researcher→supervisor', { count: 1, errors: 0 }],
        ['supervisor→writer', { count: 1, errors: 1 }],
      ]),
    );
    const w = tracker.getAgentAnalytics('writer');
    expect(w?.state).toBe('failed');
    // The failed tool call and the failed message.
    expect(w?.errors).toBe(2);
    expect(w?.toolCalls).toBe(1);
    expect(tracker.stats().pendingMessages).toBe(0);
    const recs = lines();
    const failed = recs.find((r) => r.message === 'message failed');
    expect(failed).toMatchObject({
      level: 'ERROR',
      'gen_ai.agent.id': 'writer',
      'hydra.message.from': 'supervisor',
      'hydra.ok': false,
      'error.type': 'Error',
    });
    expect(recs.find((r) => r.message === 'tool call failed')).toMatchObject({
      'gen_ai.agent.id': 'writer',
      'gen_ai.tool.name': 'publish',
    });
    expect(
      recs.find((r) => r.message === 'agent state' && r['hydra.agent.state'] === 'failed'),
    ).toMatchObject({
      'gen_ai.agent.id': 'writer',
      'hydra.agent.state_reason': 'publishing service refused the draft',
    });
  });

  it('a failed LLM call is counted as an error of the agent; cost is priced by the option', async () => {
    const { tracker, lines } = setup();
    const handler = new HydraLangChainHandler(tracker, {
      defaultAgent: 'solo',
      cost: ({ inputTokens, outputTokens }) => (inputTokens + outputTokens) / 1e6,
    });
    tracker.registerAgent({ id: 'solo' });
    const model = new ProviderLikeFakeModel(['hello']);
    await model.invoke('hi', { callbacks: [handler] });
    await expect(
      model.invoke('hi', { callbacks: [handler], thrownErrorString: 'rate limited' } as never),
    ).rejects.toThrow('rate limited');
    const a = tracker.getAgentAnalytics('solo');
    expect(a?.llmCalls).toBe(2);
    expect(a?.errors).toBe(1);
    expect(a?.tokens).toMatchObject({ input: 110, output: 8 });
    expect(a?.costUsd).toBeCloseTo(118 / 1e6, 12);
    expect(lines().find((r) => r.message === 'llm call failed')).toMatchObject({
      level: 'ERROR',
      'gen_ai.agent.id': 'solo',
      'hydra.ok': false,
    });
  });

  it('rejects a bad tracker or options with a clear error', () => {
    expect(() => new HydraLangChainHandler({} as never)).toThrow(/tracker must be an AgentTracker/);
    const t = new AgentTracker();
    expect(() => new HydraLangChainHandler(t, { agents: 3 as never })).toThrow(/options.agents/);
    expect(() => new HydraLangChainHandler(t, { cost: 1 as never })).toThrow(/options.cost/);
  });
});

describe('LangChain stays optional', () => {
  it('only the adapter (its own subpath export) imports @langchain packages', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const src = join(import.meta.dirname, '..', 'src');
    const users = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '@langchain\//.test(readFileSync(join(src, f), 'utf8')));
    expect(users).toEqual([join('adapters', 'langgraph.ts')]);
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));
    expect(pkg.exports['./langchain']).toEqual({
      types: './dist/adapters/langgraph.d.ts',
      import: './dist/adapters/langgraph.js',
    });
    expect(pkg.peerDependenciesMeta['@langchain/core'].optional).toBe(true);
  });
});
