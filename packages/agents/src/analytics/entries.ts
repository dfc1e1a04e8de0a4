import type { Fields } from 'hydra-logger';
import { Histogram } from './histogram.js';

/** One agent's state and counters (internal). */
export interface AgentEntry {
  id: string;
  name: string;
  role: string | undefined;
  version: string | undefined;
  parentId: string | undefined;
  metadata: Fields | undefined;
  implicit: boolean;
  state: string;
  stateSince: number;
  stateTimes: Map<string, number>;
  messagesIn: number;
  messagesOut: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  messageTokens: number;
  costUsd: number;
  llmCalls: number;
  toolCalls: number;
  latency: Histogram;
  lastSeen: number;
  /** Agents this one waits for (wait-for graph). */
  waitingFor: Set<string> | undefined;
  // Fan-out storm detector: the current window, its messages and distinct recipients.
  fanWindow: number;
  fanMessages: number;
  fanRecipients: number;
  /** The stateSince value for which a stuck alert was raised (one alert per stay in a state). */
  stuckAlerted: number;
  budgetAlerted: number;
  /** Publish tick of the last change (live deltas). */
  tick: number;
  /** Its edges to other agents, by receiver id (one look-up per message, no key built). */
  out: Map<string, Edge>;
  /** Evicted from the table (entries that still point to it look it up again). */
  gone: boolean;
}

export function newAgent(id: string, now: number, implicit: boolean): AgentEntry {
  return {
    id,
    name: id,
    role: undefined,
    version: undefined,
    parentId: undefined,
    metadata: undefined,
    implicit,
    state: implicit ? 'unknown' : 'submitted',
    stateSince: now,
    stateTimes: new Map(),
    messagesIn: 0,
    messagesOut: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    messageTokens: 0,
    costUsd: 0,
    llmCalls: 0,
    toolCalls: 0,
    latency: new Histogram(),
    lastSeen: now,
    waitingFor: undefined,
    fanWindow: -1,
    fanMessages: 0,
    fanRecipients: 0,
    stuckAlerted: -1,
    budgetAlerted: 0,
    tick: 0,
    out: new Map(),
    gone: false,
  };
}

/** Messages from one agent to another (internal). */
export interface Edge {
  from: string;
  to: string;
  count: number;
  errors: number;
  tokens: number;
  bytes: number;
  latency: Histogram;
  lastAt: number;
  /** The tracker's message sequence number of the last message on this edge. */
  lastSeq: number;
  /** Rate windows: index of the current one, its count, the previous one's count. */
  rateWin: number;
  rateCur: number;
  ratePrev: number;
  /** The edge the other way (null: none yet). */
  reverse: Edge | null;
  // Ping-pong detector: the conversation being watched on this pair, alternating messages seen, since when.
  ppConv: string | undefined;
  ppTurns: number;
  ppStart: number;
  /** Fan-out detector: the sender's window in which this edge was last counted as a distinct recipient. */
  fanWindow: number;
  tick: number;
  evicted: boolean;
  /** The sender's entry (whose `out` map holds this edge) and the receiver's. */
  src: AgentEntry;
  dst: AgentEntry;
}

export function newEdge(src: AgentEntry, dst: AgentEntry): Edge {
  return {
    from: src.id,
    to: dst.id,
    count: 0,
    errors: 0,
    tokens: 0,
    bytes: 0,
    latency: new Histogram(),
    lastAt: 0,
    lastSeq: 0,
    rateWin: -1,
    rateCur: 0,
    ratePrev: 0,
    reverse: null,
    ppConv: undefined,
    ppTurns: 0,
    ppStart: 0,
    fanWindow: -1,
    tick: 0,
    evicted: false,
    src,
    dst,
  };
}

/** Counts a message in the edge's rate windows. */
export function countRate(e: Edge, t: number, windowMs: number): void {
  const w = Math.floor(t / windowMs);
  if (w === e.rateWin) e.rateCur++;
  else {
    e.ratePrev = w === e.rateWin + 1 ? e.rateCur : 0;
    e.rateCur = 1;
    e.rateWin = w;
  }
}

/** Messages per second over the last window (the previous window weighted by how much of it is still in range). */
export function rateOf(e: Edge, now: number, windowMs: number): number {
  const w = Math.floor(now / windowMs);
  const frac = (now - w * windowMs) / windowMs;
  let n: number;
  if (w === e.rateWin) n = e.rateCur + e.ratePrev * (1 - frac);
  else if (w === e.rateWin + 1) n = e.rateCur * (1 - frac);
  else n = 0;
  return Math.round((n / (windowMs / 1000)) * 100) / 100;
}
