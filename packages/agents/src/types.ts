import type { Fields } from 'hydra-logger';

/** `registerAgent`'s object form. */
export interface AgentInfo {
  id: string;
  /** Display name (default: the id). */
  name?: string;
  /** What the agent does: `llm`, `supervisor`, `tool`, … */
  role?: string;
  version?: string;
  /** The agent that created this one (shown as the parent in the graph). */
  parentId?: string;
  /** Anything else worth keeping (model, team, …): logged with the registration, shown by analytics. */
  metadata?: Fields;
  /** The initial state (default `submitted`). */
  state?: string;
}

/** What `agent.send(toId, message)` takes. Every key is optional. */
export interface SendOptions {
  /** A message type (`task`, `result`, `question`, …). */
  type?: string;
  conversationId?: string;
  taskId?: string;
  /** Size of the message's body, bytes. */
  bytes?: number;
  /** Size of the message, tokens. */
  tokens?: number;
  /**
   * The message's content: logged only with the tracker's `captureContent: true`, and then redacted
   * by the logger like any field (secrets, PII patterns). Without it only its size is kept.
   */
  content?: unknown;
  /** The sender now waits for the receiver's answer (an edge of the wait-for graph, for deadlock detection). */
  awaitReply?: boolean;
}

/** What `processed(messageId, outcome)` takes. */
export interface ProcessOutcome {
  ok?: boolean;
  error?: unknown;
}

/** A latency summary, ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** `getAgentAnalytics(id)`. */
export interface AgentAnalytics {
  id: string;
  name: string;
  role: string | undefined;
  version: string | undefined;
  parentId: string | undefined;
  metadata: Fields | undefined;
  state: string;
  /** How long the agent has been in its current state, ms. */
  stateAgeMs: number;
  /** Time spent in each state, ms (the current one up to now). */
  timeInStateMs: Record<string, number>;
  messagesIn: number;
  messagesOut: number;
  /** Messages it processed with `ok: false`, failed tool calls, and failed LLM calls. */
  errors: number;
  /** Send → processed latency of the messages this agent processed. */
  latencyMs: LatencySummary;
  tokens: { input: number; output: number; total: number; messages: number };
  costUsd: number;
  llmCalls: number;
  toolCalls: number;
  /** Agents it is waiting for (wait-for graph). */
  waitingFor: string[];
  /** Whether it was seen only as the other end of a message (never registered). */
  implicit: boolean;
}

/** `getAgentAnalytics()` without an id. */
export interface SystemAnalytics {
  agents: AgentAnalytics[];
  totals: {
    agents: number;
    messages: number;
    errors: number;
    tokens: number;
    costUsd: number;
    alerts: number;
  };
}

/** One node of `getCommunicationGraph()`. */
export interface GraphNode {
  id: string;
  name: string;
  role: string | undefined;
  parentId: string | undefined;
  state: string;
  messagesIn: number;
  messagesOut: number;
  errors: number;
}

/** One edge of `getCommunicationGraph()`: messages from `from` to `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  count: number;
  /** Messages per second over the last `rateWindowMs`. */
  rate: number;
  /** 95th percentile of send → processed latency, ms. */
  p95Ms: number;
  errors: number;
  tokens: number;
  bytes: number;
}

export interface CommunicationGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Edges evicted since the tracker started (the table is capped at `maxEdges`). */
  evictedEdges: number;
}

/** One event of `getConversation(id)`. */
export interface ConversationEvent {
  /** Lamport time: causal order across processes, whatever their clocks say. */
  lamport: number;
  /** Wall-clock time of the process that recorded it (ms since 1970; may be skewed between processes). */
  time: number;
  /** The tracker (process) that recorded it. */
  origin: string;
  kind: 'send' | 'receive' | 'process' | 'llm' | 'tool' | 'state';
  agentId: string;
  messageId?: string;
  from?: string;
  to?: string;
  type?: string;
  ok?: boolean;
  detail?: string;
}

/** The detectors' alerts. */
export type AlertKind = 'ping_pong' | 'fan_out_storm' | 'stuck' | 'deadlock' | 'budget_exceeded';

export interface AgentAlert {
  kind: AlertKind;
  /** The agents involved (for a deadlock: the cycle, in wait-for order). */
  agents: string[];
  message: string;
  time: number;
  conversationId?: string;
  details: Record<string, unknown>;
}
