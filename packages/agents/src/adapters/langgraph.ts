/**
 * LangGraph.js / LangChain JS adapter: `@hydra-logger/agents/langchain`. A LangChain callback
 * handler that maps a LangGraph run onto an {@link AgentTracker}: graph nodes become agents, the
 * run's steps from one agent node to the next become messages (send, received, processed), LLM
 * calls their tokens and tool calls their records. Imported only through its own subpath, so the
 * package needs `@langchain/core` only when this file is used.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { AgentTracker } from '../tracker.js';

/** How a node appears as an agent (every key optional). */
export interface LangGraphAgentInfo {
  /** Agent id (default: the node's name). */
  id?: string;
  name?: string;
  role?: string;
  parentId?: string;
  version?: string;
}

/** The LLM call the `cost` option prices. */
export interface LangChainUsage {
  model: string | undefined;
  inputTokens: number;
  outputTokens: number;
}

export interface HydraLangChainHandlerOptions {
  /**
   * Which graph nodes are agents: every node (default; names starting with `__` never are), a list
   * of node names, a map of node name → how it appears, or a function (return `false` or
   * `undefined` for a node that is not an agent). Nodes that are not agents are transparent: a step
   * through them still counts as one message between the agents around them, and their LLM and
   * tool calls count for the agent that ran before them.
   */
  agents?:
    | string[]
    | Record<string, LangGraphAgentInfo>
    | ((node: string) => LangGraphAgentInfo | boolean | undefined);
  /** The supervisor node: registered with role `supervisor`, and the parent of every other agent. */
  supervisor?: string;
  /** Role of agents without one (default `agent`). */
  role?: string;
  /** Conversation id of runs without a `thread_id` (default: the id of the graph's run). */
  conversationId?: string;
  /** Message type of a step from one agent node to another (default `handoff`). */
  messageType?: string;
  /** The agent LLM and tool calls made outside any agent node count for (default: not counted). */
  defaultAgent?: string;
  /** Price of an LLM call in USD (e.g. from your provider's price list); default: no cost. */
  cost?: (usage: LangChainUsage) => number | undefined;
}

/** What the handler saw and could not map (`handler.stats()`). */
export interface LangChainHandlerStats {
  graphRuns: number;
  nodeRuns: number;
  handoffs: number;
  llmCalls: number;
  toolCalls: number;
  /** LLM and tool calls outside any agent node, without `defaultAgent`: not counted. */
  unattributed: number;
}

type Meta = Record<string, unknown> | undefined;

/** One run LangChain reported (a graph, a node, or anything inside a node). */
interface Run {
  kind: 'graph' | 'node' | 'other';
  /** The agent this run's LLM and tool calls count for. */
  agentId: string | undefined;
  /** The graph run this run belongs to (itself for a graph). */
  root: string;
  /** `langgraph_checkpoint_ns`: one per node run, inherited by what runs inside. */
  ns: string | undefined;
  conv: string;
  // A node run of an agent:
  node?: { agentId: string; scope: Scope; step: number; messages: string[] };
  // An LLM or tool call:
  start?: number;
  model?: string | undefined;
  provider?: string | undefined;
  tool?: string;
}

/** The steps of one graph (or subgraph) run: which agents ran at which step. */
interface Scope {
  key: string;
  root: string;
  steps: { step: number; agents: string[] }[];
}

/**
 * A LangChain callback handler that tracks a LangGraph run (or any LangChain run) with an
 * {@link AgentTracker}. Pass it in `callbacks` of `graph.invoke`/`graph.stream`/`model.invoke`:
 *
 * - each agent node (see the `agents` option) is registered as an agent (role, parent), `working`
 *   while it runs, then `completed`, or `failed` when it throws;
 * - a step from one agent node to the next (supervisor → worker, worker → supervisor; several when
 *   branches run in parallel) is a message: sent by the agent of the previous step, received when
 *   the node starts, processed when it ends (`ok: false` with the error when it throws), in the
 *   conversation of the run's `thread_id`;
 * - an LLM call inside a node is the agent's `llmCall`, with the model and the token usage the
 *   model reported (`usage_metadata`, or `llmOutput.tokenUsage`), priced by `cost`;
 * - a tool call inside a node is the agent's tool call (name, duration, failure).
 *
 * A node that runs again right after itself is not a message (no self-edges).
 */
export class HydraLangChainHandler extends BaseCallbackHandler {
  name = 'HydraLangChainHandler';
  readonly tracker: AgentTracker;
  readonly #options: HydraLangChainHandlerOptions;
  readonly #runs = new Map<string, Run>();
  readonly #scopes = new Map<string, Scope>();
  readonly #registered = new Set<string>();
  readonly #stats: LangChainHandlerStats = {
    graphRuns: 0,
    nodeRuns: 0,
    handoffs: 0,
    llmCalls: 0,
    toolCalls: 0,
    unattributed: 0,
  };

  constructor(tracker: AgentTracker, options: HydraLangChainHandlerOptions = {}) {
    // Handled in line: the tracker's work is synchronous and the run's figures are complete when it resolves.
    super({ _awaitHandler: true });
    if (tracker === null || typeof tracker !== 'object' || typeof tracker.send !== 'function')
      throw new TypeError('HydraLangChainHandler: tracker must be an AgentTracker');
    if (options === null || typeof options !== 'object')
      throw new TypeError('HydraLangChainHandler: options must be an object');
    const a = options.agents;
    if (a !== undefined && !Array.isArray(a) && typeof a !== 'object' && typeof a !== 'function')
      throw new TypeError(
        'HydraLangChainHandler: options.agents must be a list of node names, a map or a function',
      );
    if (options.cost !== undefined && typeof options.cost !== 'function')
      throw new TypeError('HydraLangChainHandler: options.cost must be a function');
    this.tracker = tracker;
    this.#options = options;
  }

  stats(): LangChainHandlerStats {
    return { ...this.#stats };
  }

  // LangChain's callback manager calls handleChainStart with (chain, inputs, runId, parentRunId,
  // tags, metadata, runType, runName); its declaration names the 4th to 8th parameters in another
  // order, so they are read by position here.
  override handleChainStart(
    _chain: unknown,
    _inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Meta,
    _runType?: string,
    runName?: string,
  ): void {
    const parent = parentRunId === undefined ? undefined : this.#runs.get(parentRunId);
    const node = str(metadata?.langgraph_node);
    const ns = str(metadata?.langgraph_checkpoint_ns) ?? str(metadata?.checkpoint_ns);
    if (parent === undefined) {
      // A run with no parent we know: a graph (or a chain) run of its own.
      const conv = str(metadata?.thread_id) ?? this.#options.conversationId ?? runId;
      this.#runs.set(runId, {
        kind: 'graph',
        agentId: this.#options.defaultAgent,
        root: runId,
        ns,
        conv,
      });
      this.#stats.graphRuns++;
      return;
    }
    const isNode =
      node !== undefined &&
      node === runName &&
      ns !== parent.ns &&
      !node.startsWith('__') &&
      !(tags ?? []).includes('langsmith:hidden');
    if (!isNode) {
      this.#runs.set(runId, {
        kind: 'other',
        agentId: parent.agentId,
        root: parent.root,
        ns,
        conv: parent.conv,
      });
      return;
    }
    this.#stats.nodeRuns++;
    const info = this.#agentInfo(node);
    const scope = this.#scope(parent.root, ns);
    const step = typeof metadata?.langgraph_step === 'number' ? metadata.langgraph_step : 0;
    if (info === undefined) {
      // Not an agent: transparent; what runs inside counts for the agent of the previous step.
      const prev = previousStep(scope, step);
      this.#runs.set(runId, {
        kind: 'node',
        agentId: prev?.agents.at(-1) ?? parent.agentId,
        root: parent.root,
        ns,
        conv: parent.conv,
      });
      return;
    }
    const agentId = this.#register(node, info);
    const sources = previousStep(scope, step)?.agents ?? [];
    let current = scope.steps.at(-1);
    if (current === undefined || current.step !== step) {
      current = { step, agents: [] };
      scope.steps.push(current);
      if (scope.steps.length > 2) scope.steps.shift();
    }
    if (!current.agents.includes(agentId)) current.agents.push(agentId);
    const messages: string[] = [];
    const t = this.tracker;
    for (const from of sources) {
      if (from === agentId) continue;
      const id = t.send(from, agentId, {
        type: this.#options.messageType ?? 'handoff',
        conversationId: parent.conv,
      });
      t.received(id);
      messages.push(id);
      this.#stats.handoffs++;
    }
    t.setState(agentId, 'working', { reason: `node ${node} started` });
    this.#runs.set(runId, {
      kind: 'node',
      agentId,
      root: parent.root,
      ns,
      conv: parent.conv,
      node: { agentId, scope, step, messages },
    });
  }

  override handleChainEnd(_outputs: unknown, runId: string): void {
    this.#endChain(runId, undefined);
  }

  override handleChainError(err: unknown, runId: string): void {
    this.#endChain(runId, err ?? new Error('node failed'));
  }

  override handleChatModelStart(
    llm: { id?: string[] },
    _messages: unknown,
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Meta,
    runName?: string,
  ): void {
    this.#llmStart(llm, runId, parentRunId, extraParams, metadata, runName);
  }

  override handleLLMStart(
    llm: { id?: string[] },
    _prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Meta,
    runName?: string,
  ): void {
    this.#llmStart(llm, runId, parentRunId, extraParams, metadata, runName);
  }

  override handleLLMEnd(output: unknown, runId: string): void {
    const r = this.#take(runId);
    if (r === undefined) return;
    const { input, output: out } = usageOf(output);
    this.#llmDone(r, input, out, undefined);
  }

  override handleLLMError(err: unknown, runId: string): void {
    const r = this.#take(runId);
    if (r === undefined) return;
    this.#llmDone(r, 0, 0, err ?? new Error('LLM call failed'));
  }

  override handleToolStart(
    tool: { id?: string[]; name?: string },
    _input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Meta,
    runName?: string,
  ): void {
    const parent = parentRunId === undefined ? undefined : this.#runs.get(parentRunId);
    this.#runs.set(runId, {
      kind: 'other',
      agentId: parent?.agentId ?? this.#options.defaultAgent,
      root: parent?.root ?? runId,
      ns: parent?.ns,
      conv: parent?.conv ?? this.#options.conversationId ?? runId,
      start: performance.now(),
      tool: runName ?? str(tool?.name) ?? str(tool?.id?.at(-1)) ?? 'tool',
    });
  }

  override handleToolEnd(_output: unknown, runId: string): void {
    this.#toolDone(runId, undefined);
  }

  override handleToolError(err: unknown, runId: string): void {
    this.#toolDone(runId, err ?? new Error('tool failed'));
  }

  // --- internals -------------------------------------------------------------------------------

  #llmStart(
    llm: { id?: string[] },
    runId: string,
    parentRunId: string | undefined,
    extra: Record<string, unknown> | undefined,
    metadata: Meta,
    runName: string | undefined,
  ): void {
    const parent = parentRunId === undefined ? undefined : this.#runs.get(parentRunId);
    const params = (extra?.invocation_params ?? {}) as Record<string, unknown>;
    this.#runs.set(runId, {
      kind: 'other',
      agentId: parent?.agentId ?? this.#options.defaultAgent,
      root: parent?.root ?? runId,
      ns: parent?.ns,
      conv: parent?.conv ?? this.#options.conversationId ?? runId,
      start: performance.now(),
      model:
        str(params.model) ??
        str(params.model_name) ??
        str(params.modelName) ??
        str(metadata?.ls_model_name) ??
        runName ??
        str(llm?.id?.at(-1)),
      provider: str(metadata?.ls_provider),
    });
  }

  #llmDone(r: Run, inputTokens: number, outputTokens: number, error: unknown): void {
    if (r.agentId === undefined) {
      this.#stats.unattributed++;
      return;
    }
    this.#stats.llmCalls++;
    const costUsd =
      error === undefined ? this.#options.cost?.({ model: r.model, inputTokens, outputTokens }) : undefined;
    this.tracker.llmCall(r.agentId, {
      ...(r.model === undefined ? {} : { model: r.model }),
      ...(r.provider === undefined ? {} : { provider: r.provider }),
      inputTokens,
      outputTokens,
      ...(typeof costUsd === 'number' ? { costUsd } : {}),
      durationMs: Math.round((performance.now() - (r.start ?? 0)) * 1000) / 1000,
      conversationId: r.conv,
      ...(error === undefined ? {} : { ok: false, error }),
    });
  }

  #toolDone(runId: string, error: unknown): void {
    const r = this.#take(runId);
    if (r === undefined) return;
    if (r.agentId === undefined) {
      this.#stats.unattributed++;
      return;
    }
    this.#stats.toolCalls++;
    this.tracker.recordToolCall(r.agentId, {
      name: r.tool ?? 'tool',
      durationMs: performance.now() - (r.start ?? 0),
      conversationId: r.conv,
      ...(error === undefined ? {} : { ok: false, error }),
    });
  }

  #endChain(runId: string, error: unknown): void {
    const r = this.#take(runId);
    if (r === undefined) return;
    if (r.kind === 'graph') {
      for (const [k, s] of this.#scopes) if (s.root === runId) this.#scopes.delete(k);
      return;
    }
    const n = r.node;
    if (n === undefined) return;
    const t = this.tracker;
    for (const id of n.messages) t.processed(id, error === undefined ? { ok: true } : { ok: false, error });
    if (error === undefined) t.setState(n.agentId, 'completed');
    else t.setState(n.agentId, 'failed', { reason: errorText(error) });
  }

  #take(runId: string): Run | undefined {
    const r = this.#runs.get(runId);
    if (r !== undefined) this.#runs.delete(runId);
    return r;
  }

  #scope(root: string, ns: string | undefined): Scope {
    // The graph a node belongs to: its checkpoint namespace without its own last segment.
    const cut = ns === undefined ? -1 : ns.lastIndexOf('|');
    const key = `${root}|${cut < 0 ? '' : (ns as string).slice(0, cut)}`;
    let s = this.#scopes.get(key);
    if (s === undefined) {
      s = { key, root, steps: [] };
      this.#scopes.set(key, s);
    }
    return s;
  }

  #agentInfo(node: string): LangGraphAgentInfo | undefined {
    const a = this.#options.agents;
    let info: LangGraphAgentInfo | undefined;
    if (a === undefined) info = {};
    else if (Array.isArray(a)) info = a.includes(node) ? {} : undefined;
    else if (typeof a === 'function') {
      const r = a(node);
      info = r === true ? {} : r === false || r === undefined ? undefined : r;
    } else info = Object.hasOwn(a, node) ? (a[node] ?? {}) : undefined;
    return info;
  }

  #register(node: string, info: LangGraphAgentInfo): string {
    const id = info.id ?? node;
    if (this.#registered.has(id)) return id;
    this.#registered.add(id);
    const sup = this.#options.supervisor;
    const role = info.role ?? (node === sup ? 'supervisor' : (this.#options.role ?? 'agent'));
    const parentId = info.parentId ?? (sup !== undefined && node !== sup ? sup : undefined);
    this.tracker.registerAgent({
      id,
      name: info.name ?? node,
      role,
      ...(parentId === undefined ? {} : { parentId }),
      ...(info.version === undefined ? {} : { version: info.version }),
      metadata: { 'langgraph.node': node },
    });
    return id;
  }
}

function previousStep(scope: Scope, step: number): { step: number; agents: string[] } | undefined {
  for (let i = scope.steps.length - 1; i >= 0; i--) {
    const s = scope.steps[i] as { step: number; agents: string[] };
    if (s.step < step) return s;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Token usage of an LLM result: the messages' `usage_metadata`, else `llmOutput.tokenUsage`. */
function usageOf(output: unknown): { input: number; output: number } {
  const o = output as {
    generations?: { message?: { usage_metadata?: { input_tokens?: unknown; output_tokens?: unknown } } }[][];
    llmOutput?: Record<string, unknown>;
  };
  let input = 0;
  let out = 0;
  let seen = false;
  for (const gens of o?.generations ?? [])
    for (const g of gens ?? []) {
      const u = g?.message?.usage_metadata;
      if (u === undefined) continue;
      seen = true;
      input += num(u.input_tokens);
      out += num(u.output_tokens);
    }
  if (seen) return { input, output: out };
  const tu = (o?.llmOutput?.tokenUsage ?? o?.llmOutput?.estimatedTokenUsage) as
    | { promptTokens?: unknown; completionTokens?: unknown }
    | undefined;
  return { input: num(tu?.promptTokens), output: num(tu?.completionTokens) };
}

function num(v: unknown): number {
  return typeof v === 'number' && v > 0 ? v : 0;
}
