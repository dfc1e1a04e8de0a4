import type { Fields } from 'hydra-logger';
import { TERMINAL_STATES } from '../attributes.js';
import { agentOverBudget, BUDGET_COST, BUDGET_TOKENS } from '../detectors/budget.js';
import { findWaitCycle } from '../detectors/deadlock.js';
import { checkFanOut } from '../detectors/fan-out.js';
import { checkPingPong } from '../detectors/ping-pong.js';
import { findStuck } from '../detectors/stuck.js';
import type { AgentLimits, DetectorOptions } from '../limits.js';
import type { AlertKind, ConversationEvent } from '../types.js';
import { EdgeTable } from './edge-table.js';
import { type AgentEntry, countRate, type Edge, newAgent } from './entries.js';

/** A message between its send and its processing (internal). */
interface Pending {
  from: string | undefined;
  to: string | undefined;
  conv: string | undefined;
  sentAt: number | undefined;
  processedAt: number | undefined;
  ok: boolean;
  /** Conversation events that arrived before the send told which conversation this is. */
  later: ConversationEvent[] | undefined;
}

/** The common part of every event the model applies. */
export interface EventBase {
  time: number;
  lamport: number;
  origin: string;
}

export interface SendEvent extends EventBase {
  id: string;
  from: string;
  to: string;
  conv: string | undefined;
  type: string | undefined;
  tokens: number;
  bytes: number;
  awaitReply: boolean;
}

export interface MessageEvent extends EventBase {
  id: string;
  agentId: string | undefined;
  conv: string | undefined;
}

export interface ProcessEvent extends MessageEvent {
  ok: boolean;
}

export interface LlmEvent extends EventBase {
  agentId: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  ok: boolean;
  conv: string | undefined;
  model: string | undefined;
}

export interface ToolEvent extends EventBase {
  agentId: string;
  name: string;
  ok: boolean;
  conv: string | undefined;
}

export interface RegisterEvent extends EventBase {
  id: string;
  name: string | undefined;
  role: string | undefined;
  version: string | undefined;
  parentId: string | undefined;
  metadata: Fields | undefined;
  state: string | undefined;
}

/** How the model reports what a detector found. */
export type Raise = (
  kind: AlertKind,
  agents: string[],
  message: string,
  details: Record<string, unknown>,
  time: number,
  conv?: string,
) => void;

/**
 * The tracker's state: agents, the communication graph, messages in flight, conversations, the
 * wait-for graph, and the detectors that run on each change. Local calls and records from other
 * processes are applied the same way, so one tracker can hold the graph of many processes.
 */
export class AgentModel {
  readonly agents = new Map<string, AgentEntry>();
  readonly edges: EdgeTable;
  readonly pending = new Map<string, Pending>();
  readonly conversations = new Map<string, ConversationEvent[]>();
  readonly evicted = { agents: 0, pendingMessages: 0, conversations: 0, conversationEvents: 0 };
  readonly totals = { messages: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, budgetAlerted: 0 };
  /** Publish tick: entries changed since the last publish carry the current one. */
  tick = 1;
  #seq = 0;
  readonly #limits: AgentLimits;
  readonly #detect: DetectorOptions | undefined;
  readonly #raise: Raise;
  readonly #resting: ReadonlySet<string>;

  constructor(
    limits: AgentLimits,
    detectors: DetectorOptions | undefined,
    raise: Raise,
    resting: ReadonlySet<string>,
  ) {
    this.#limits = limits;
    this.#detect = detectors;
    this.#raise = raise;
    this.#resting = resting;
    this.edges = new EdgeTable(limits.maxEdges);
  }

  /** The agent, made (as an implicit one: only seen as the other end of a message) if needed. */
  agent(id: string, t: number): AgentEntry {
    let a = this.agents.get(id);
    if (a !== undefined) return a;
    if (this.agents.size >= this.#limits.maxAgents) this.#evictAgent();
    a = newAgent(id, t, true);
    a.tick = this.tick;
    this.agents.set(id, a);
    return a;
  }

  register(ev: RegisterEvent): AgentEntry {
    const a = this.agent(ev.id, ev.time);
    const fresh = a.implicit;
    a.implicit = false;
    if (ev.name !== undefined) a.name = ev.name;
    a.role = ev.role ?? a.role;
    a.version = ev.version ?? a.version;
    a.parentId = ev.parentId ?? a.parentId;
    a.metadata = ev.metadata ?? a.metadata;
    if (ev.state !== undefined) this.setState(a, ev.state, ev.time);
    else if (fresh) this.setState(a, 'submitted', ev.time);
    a.lastSeen = ev.time;
    a.tick = this.tick;
    return a;
  }

  setState(a: AgentEntry, state: string, t: number): string {
    const old = a.state;
    const spent = Math.max(0, t - a.stateSince);
    if (a.stateTimes.has(old) || a.stateTimes.size < this.#limits.maxStatesPerAgent)
      a.stateTimes.set(old, (a.stateTimes.get(old) ?? 0) + spent);
    else a.stateTimes.set('(other)', (a.stateTimes.get('(other)') ?? 0) + spent);
    a.state = state;
    a.stateSince = t;
    a.lastSeen = t;
    a.tick = this.tick;
    if (TERMINAL_STATES.has(state)) a.waitingFor = undefined;
    return old;
  }

  send(ev: SendEvent): Edge {
    const t = ev.time;
    const f = this.agent(ev.from, t);
    const to = this.agent(ev.to, t);
    const e = this.edges.obtain(ev.from, ev.to);
    const d = this.#detect;
    if (d !== undefined) {
      const turns = checkPingPong(e, ev.conv, t, d);
      if (turns > 0) {
        const [x, y] = ev.from < ev.to ? [ev.from, ev.to] : [ev.to, ev.from];
        this.#raise(
          'ping_pong',
          [x, y],
          `ping-pong loop: ${x} and ${y} exchanged ${turns} messages back and forth${ev.conv === undefined ? '' : ` in conversation ${ev.conv}`}`,
          { messages: turns, windowMs: d.pingPongWindowMs },
          t,
          ev.conv,
        );
      }
      const storm = checkFanOut(f, e, t, d);
      if (storm !== undefined)
        this.#raise(
          'fan_out_storm',
          [ev.from],
          `fan-out storm: ${ev.from} sent ${storm.messages} messages to ${storm.recipients} agents within ${d.fanOutWindowMs} ms`,
          { ...storm, windowMs: d.fanOutWindowMs },
          t,
        );
    }
    f.messagesOut++;
    to.messagesIn++;
    f.lastSeen = to.lastSeen = t;
    f.messageTokens += ev.tokens;
    e.count++;
    e.tokens += ev.tokens;
    e.bytes += ev.bytes;
    e.lastAt = t;
    e.lastSeq = ++this.#seq;
    countRate(e, t, this.#limits.rateWindowMs);
    e.tick = f.tick = to.tick = this.tick;
    this.totals.messages++;
    // A message answers the receiver's wait for its sender, unless it is a request itself.
    if (to.waitingFor?.has(ev.from) === true && !ev.awaitReply) to.waitingFor.delete(ev.from);
    if (ev.awaitReply) this.wait(f, ev.to, t, true);
    let p = this.pending.get(ev.id);
    if (p === undefined) p = this.#newPending(ev.id);
    p.from = ev.from;
    p.to = ev.to;
    p.conv = ev.conv;
    p.sentAt = t;
    if (ev.conv !== undefined) {
      const c: ConversationEvent = {
        lamport: ev.lamport,
        time: t,
        origin: ev.origin,
        kind: 'send',
        agentId: ev.from,
        messageId: ev.id,
        from: ev.from,
        to: ev.to,
      };
      if (ev.type !== undefined) c.type = ev.type;
      this.#conversation(ev.conv, c);
      if (p.later !== undefined) for (const c of p.later) this.#conversation(ev.conv, c);
    }
    p.later = undefined;
    if (p.processedAt !== undefined) this.#finish(ev.id, p);
    return e;
  }

  /** The sender and receiver of a message in flight, if this tracker saw its send. */
  message(
    id: string,
  ): { from: string | undefined; to: string | undefined; conv: string | undefined } | undefined {
    return this.pending.get(id);
  }

  receive(ev: MessageEvent): void {
    let p = this.pending.get(ev.id);
    if (p === undefined) p = this.#newPending(ev.id);
    if (p.to === undefined && ev.agentId !== undefined) p.to = ev.agentId;
    const agentId = p.to ?? ev.agentId ?? '';
    const a = this.agents.get(agentId);
    if (a !== undefined) a.lastSeen = ev.time;
    this.#messageEvent(p, ev, 'receive', agentId, undefined);
  }

  process(ev: ProcessEvent): void {
    let p = this.pending.get(ev.id);
    if (p === undefined) p = this.#newPending(ev.id);
    if (p.to === undefined && ev.agentId !== undefined) p.to = ev.agentId;
    p.processedAt = ev.time;
    p.ok = ev.ok;
    this.#messageEvent(p, ev, 'process', p.to ?? ev.agentId ?? '', ev.ok);
    if (p.sentAt !== undefined) this.#finish(ev.id, p);
  }

  llm(ev: LlmEvent): void {
    const a = this.agent(ev.agentId, ev.time);
    a.llmCalls++;
    a.inputTokens += ev.inputTokens;
    a.outputTokens += ev.outputTokens;
    a.costUsd += ev.costUsd;
    if (!ev.ok) {
      a.errors++;
      this.totals.errors++;
    }
    a.lastSeen = ev.time;
    a.tick = this.tick;
    const tot = this.totals;
    tot.inputTokens += ev.inputTokens;
    tot.outputTokens += ev.outputTokens;
    tot.costUsd += ev.costUsd;
    if (ev.conv !== undefined)
      this.#conversation(ev.conv, {
        lamport: ev.lamport,
        time: ev.time,
        origin: ev.origin,
        kind: 'llm',
        agentId: ev.agentId,
        ok: ev.ok,
        ...(ev.model === undefined ? {} : { detail: ev.model }),
      });
    const d = this.#detect;
    if (d === undefined) return;
    const over = agentOverBudget(a, d);
    if (over & BUDGET_TOKENS)
      this.#raise(
        'budget_exceeded',
        [a.id],
        `token budget exceeded: ${a.id} used ${a.inputTokens + a.outputTokens} tokens (budget ${d.tokensPerAgent})`,
        { budget: 'tokensPerAgent', used: a.inputTokens + a.outputTokens, limit: d.tokensPerAgent },
        ev.time,
      );
    if (over & BUDGET_COST)
      this.#raise(
        'budget_exceeded',
        [a.id],
        `cost budget exceeded: ${a.id} spent $${a.costUsd.toFixed(4)} (budget $${d.costUsdPerAgent})`,
        { budget: 'costUsdPerAgent', used: a.costUsd, limit: d.costUsdPerAgent },
        ev.time,
      );
    const tokens = tot.inputTokens + tot.outputTokens;
    if ((tot.budgetAlerted & BUDGET_TOKENS) === 0 && tokens > d.tokensTotal) {
      tot.budgetAlerted |= BUDGET_TOKENS;
      this.#raise(
        'budget_exceeded',
        [a.id],
        `token budget exceeded: all agents used ${tokens} tokens (budget ${d.tokensTotal}); last call by ${a.id}`,
        { budget: 'tokensTotal', used: tokens, limit: d.tokensTotal },
        ev.time,
      );
    }
    if ((tot.budgetAlerted & BUDGET_COST) === 0 && tot.costUsd > d.costUsdTotal) {
      tot.budgetAlerted |= BUDGET_COST;
      this.#raise(
        'budget_exceeded',
        [a.id],
        `cost budget exceeded: all agents spent $${tot.costUsd.toFixed(4)} (budget $${d.costUsdTotal}); last call by ${a.id}`,
        { budget: 'costUsdTotal', used: tot.costUsd, limit: d.costUsdTotal },
        ev.time,
      );
    }
  }

  tool(ev: ToolEvent): void {
    const a = this.agent(ev.agentId, ev.time);
    a.toolCalls++;
    if (!ev.ok) {
      a.errors++;
      this.totals.errors++;
    }
    a.lastSeen = ev.time;
    a.tick = this.tick;
    if (ev.conv !== undefined)
      this.#conversation(ev.conv, {
        lamport: ev.lamport,
        time: ev.time,
        origin: ev.origin,
        kind: 'tool',
        agentId: ev.agentId,
        ok: ev.ok,
        detail: ev.name,
      });
  }

  /** `a` starts (or, `on` false, stops) waiting for `other`; a new cycle of waits is a deadlock. */
  wait(a: AgentEntry, other: string, t: number, on: boolean): void {
    a.tick = this.tick;
    if (!on) {
      if (other === '') a.waitingFor = undefined;
      else a.waitingFor?.delete(other);
      return;
    }
    a.waitingFor ??= new Set();
    if (a.waitingFor.has(other)) return;
    a.waitingFor.add(other);
    const cycle = this.#detect === undefined ? undefined : findWaitCycle(this.agents, a.id, other);
    if (cycle !== undefined)
      this.#raise(
        'deadlock',
        cycle,
        `deadlock: ${[...cycle, cycle[0]].join(' → ')} wait for each other`,
        { cycle },
        t,
      );
  }

  /** Runs the time-based detectors. */
  check(now: number): void {
    const d = this.#detect;
    if (d === undefined) return;
    for (const a of findStuck(this.agents.values(), now, d, this.#resting))
      this.#raise(
        'stuck',
        [a.id],
        `stuck: ${a.id} has been ${a.state} for ${Math.round((now - a.stateSince) / 1000)} s (threshold ${Math.round(d.stuckAfterMs / 1000)} s)`,
        { state: a.state, sinceMs: now - a.stateSince, thresholdMs: d.stuckAfterMs },
        now,
      );
  }

  #messageEvent(
    p: Pending,
    ev: MessageEvent,
    kind: 'receive' | 'process',
    agentId: string,
    ok: boolean | undefined,
  ): void {
    const conv = p.conv ?? ev.conv;
    const c: ConversationEvent = {
      lamport: ev.lamport,
      time: ev.time,
      origin: ev.origin,
      kind,
      agentId,
      messageId: ev.id,
    };
    if (p.from !== undefined) c.from = p.from;
    if (p.to !== undefined) c.to = p.to;
    if (ok !== undefined) c.ok = ok;
    if (conv !== undefined) this.#conversation(conv, c);
    else if (p.sentAt === undefined) (p.later ??= []).push(c);
  }

  #newPending(id: string): Pending {
    if (this.pending.size >= this.#limits.maxPendingMessages) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
      this.evicted.pendingMessages++;
    }
    const p: Pending = {
      from: undefined,
      to: undefined,
      conv: undefined,
      sentAt: undefined,
      processedAt: undefined,
      ok: true,
      later: undefined,
    };
    this.pending.set(id, p);
    return p;
  }

  #finish(id: string, p: Pending): void {
    this.pending.delete(id);
    const from = p.from as string;
    const to = p.to as string;
    // Clocks of two processes may disagree: a negative latency is clamped to 0.
    const ms = Math.max(0, (p.processedAt as number) - (p.sentAt as number));
    const e = this.edges.get(from, to);
    if (e !== undefined) {
      e.latency.add(ms);
      if (!p.ok) e.errors++;
      e.tick = this.tick;
    }
    const a = this.agents.get(to);
    if (a !== undefined) {
      a.latency.add(ms);
      if (!p.ok) a.errors++;
      a.tick = this.tick;
    }
    if (!p.ok) this.totals.errors++;
  }

  #conversation(id: string, ev: ConversationEvent): void {
    let list = this.conversations.get(id);
    if (list === undefined) {
      if (this.conversations.size >= this.#limits.maxConversations) {
        const oldest = this.conversations.keys().next().value as string;
        this.conversations.delete(oldest);
        this.evicted.conversations++;
      }
      list = [];
      this.conversations.set(id, list);
    }
    if (list.length >= this.#limits.maxConversationEvents) this.evicted.conversationEvents++;
    else list.push(ev);
  }

  #evictAgent(): void {
    let victim: AgentEntry | undefined;
    for (const a of this.agents.values()) {
      const done = TERMINAL_STATES.has(a.state);
      const vDone = victim !== undefined && TERMINAL_STATES.has(victim.state);
      if (victim === undefined || (done && !vDone) || (done === vDone && a.lastSeen < victim.lastSeen))
        victim = a;
    }
    if (victim === undefined) return;
    this.agents.delete(victim.id);
    this.edges.removeAgent(victim.id);
    this.evicted.agents++;
  }
}
