import type { Fields } from 'hydra-logger';
import { TERMINAL_STATES } from '../attributes.js';
import { agentOverBudget, BUDGET_COST, BUDGET_TOKENS } from '../detectors/budget.js';
import { findWaitCycle } from '../detectors/deadlock.js';
import { checkFanOut } from '../detectors/fan-out.js';
import { checkPingPong } from '../detectors/ping-pong.js';
import { findStuck } from '../detectors/stuck.js';
import type { AgentLimits, DetectorOptions } from '../limits.js';
import type { AlertKind } from '../types.js';
import { EdgeTable } from './edge-table.js';
import { type AgentEntry, countRate, type Edge, newAgent } from './entries.js';
import { bucketOf } from './histogram.js';
import { type MessageEntry, MessageStore, PROCESS, RECEIVE, SEND } from './messages.js';

/** The common part of every event the model applies. */
export interface EventBase {
  time: number;
  lamport: number;
  origin: string;
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
  readonly evicted = { agents: 0, pendingMessages: 0, conversations: 0, conversationEvents: 0 };
  /** Messages in flight and conversations. */
  readonly messages: MessageStore;
  readonly totals = { messages: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, budgetAlerted: 0 };
  /** Publish tick: entries changed since the last publish carry the current one. */
  tick = 1;
  #seq = 0;
  readonly #limits: AgentLimits;
  readonly #detect: DetectorOptions | undefined;
  readonly #raise: Raise;
  readonly #resting: ReadonlySet<string>;

  constructor(
    origin: string,
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
    this.messages = new MessageStore(origin, limits, this.evicted);
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

  /**
   * A message sent (here or, through ingest, in another process). Positional, with no event object:
   * this runs once per message.
   */
  send(
    /** The sender's entry, if the caller holds it (else, or when it was evicted since, looked up by `from`). */
    fromEntry: AgentEntry | undefined,
    id: string,
    from: string,
    to: string,
    conv: string | undefined,
    type: string | undefined,
    tokens: number,
    bytes: number,
    awaitReply: boolean,
    t: number,
    lamport: number,
    origin: string,
    /** This tracker's sequence number of the message (0: sent in another process). */
    seq: number,
  ): Edge {
    const f = fromEntry !== undefined && !fromEntry.gone ? fromEntry : this.agent(from, t);
    // A known edge knows its receiver: one look-up fewer.
    let e = f.out.get(to);
    let ta: AgentEntry;
    if (e !== undefined && !e.dst.gone) ta = e.dst;
    else {
      ta = this.agent(to, t);
      e = this.edges.obtain(f, ta);
    }
    const d = this.#detect;
    if (d !== undefined) {
      const turns = checkPingPong(e, conv, t, d);
      if (turns > 0) this.#pingPong(from, to, conv, turns, t, d);
      const storm = checkFanOut(f, e, t, d);
      if (storm !== undefined)
        this.#raise(
          'fan_out_storm',
          [from],
          `fan-out storm: ${from} sent ${storm.messages} messages to ${storm.recipients} agents within ${d.fanOutWindowMs} ms`,
          { ...storm, windowMs: d.fanOutWindowMs },
          t,
        );
    }
    f.messagesOut++;
    ta.messagesIn++;
    f.lastSeen = ta.lastSeen = t;
    f.messageTokens += tokens;
    e.count++;
    e.tokens += tokens;
    e.bytes += bytes;
    e.lastAt = t;
    e.lastSeq = ++this.#seq;
    countRate(e, t, this.#limits.rateWindowMs);
    e.tick = f.tick = ta.tick = this.tick;
    this.totals.messages++;
    // A message answers the receiver's wait for its sender, unless it is a request itself.
    if (ta.waitingFor !== undefined && !awaitReply && ta.waitingFor.has(from)) ta.waitingFor.delete(from);
    if (awaitReply) this.wait(f, to, t, true);
    const store = this.messages;
    const p = seq > 0 ? store.openSent(id, seq) : store.open(id);
    p.from = from;
    p.to = to;
    p.conv = conv;
    p.type = type;
    p.edge = e;
    p.toAgent = ta;
    p.sentAt = t;
    p.sendLamport = lamport;
    p.sendOrigin = origin;
    p.seq = seq;
    p.seen |= SEND;
    // With its conversation known, the events seen before the send join it too.
    if (conv !== undefined) store.keep(conv, p, p.seen);
    if ((p.seen & PROCESS) !== 0) this.#finish(p, this.#receiver(p, to));
    return e;
  }

  /** A message in flight (seen here, not yet processed). */
  message(id: string): MessageEntry | undefined {
    return this.messages.get(id);
  }

  /** The receiver got message `id` (`p`: its entry, if the caller looked it up). Returns the receiver, if known. */
  receive(
    p: MessageEntry | undefined,
    id: string,
    agentId: string | undefined,
    conv: string | undefined,
    t: number,
    lamport: number,
    origin: string,
  ): AgentEntry | undefined {
    if (p === undefined) p = this.messages.open(id);
    if (p.to === undefined && agentId !== undefined) p.to = agentId;
    const who = p.to ?? agentId ?? '';
    const a = this.#receiver(p, who);
    if (a !== undefined) a.lastSeen = t;
    p.recvAt = t;
    p.recvLamport = lamport;
    p.recvOrigin = origin;
    p.recvAgent = who;
    p.seen |= RECEIVE;
    const c = p.conv ?? conv;
    if (c !== undefined) this.messages.keep(c, p, RECEIVE);
    return a;
  }

  /** The receiver finished with message `id`. Returns the receiver, if known. */
  process(
    p: MessageEntry | undefined,
    id: string,
    agentId: string | undefined,
    conv: string | undefined,
    ok: boolean,
    t: number,
    lamport: number,
    origin: string,
  ): AgentEntry | undefined {
    if (p === undefined) p = this.messages.open(id);
    if (p.to === undefined && agentId !== undefined) p.to = agentId;
    const who = p.to ?? agentId ?? '';
    const a = this.#receiver(p, who);
    p.procAt = t;
    p.procLamport = lamport;
    p.procOrigin = origin;
    p.procAgent = who;
    p.ok = ok;
    p.seen |= PROCESS;
    const c = p.conv ?? conv;
    if (c !== undefined) this.messages.keep(c, p, PROCESS);
    if ((p.seen & SEND) !== 0) this.#finish(p, a);
    return a;
  }

  /** The receiver's entry: the one the send found (no look-up) unless it was evicted since. */
  #receiver(p: MessageEntry, who: string): AgentEntry | undefined {
    const r = p.toAgent;
    return r !== null && !r.gone && r.id === who ? r : this.agents.get(who);
  }

  /** Forgets a message in flight (nothing will report its processing). */
  forget(id: string): void {
    const p = this.messages.get(id);
    if (p !== undefined) this.messages.close(p);
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
      this.messages.keepEvent(ev.conv, {
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
      this.messages.keepEvent(ev.conv, {
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

  #pingPong(
    from: string,
    to: string,
    conv: string | undefined,
    turns: number,
    t: number,
    d: DetectorOptions,
  ): void {
    const [x, y] = from < to ? [from, to] : [to, from];
    this.#raise(
      'ping_pong',
      [x, y],
      `ping-pong loop: ${x} and ${y} exchanged ${turns} messages back and forth${conv === undefined ? '' : ` in conversation ${conv}`}`,
      { messages: turns, windowMs: d.pingPongWindowMs },
      t,
      conv,
    );
  }

  /** Sent and processed: the latency goes to the edge and the receiver; no longer in flight. */
  #finish(p: MessageEntry, a: AgentEntry | undefined): void {
    // Clocks of two processes may disagree: a negative latency is clamped to 0.
    const ms = Math.max(0, p.procAt - p.sentAt);
    const bucket = bucketOf(ms);
    const ok = p.ok;
    let e = p.edge;
    if (e?.evicted) e = this.edges.get(this.agents.get(e.from), e.to) ?? null;
    if (e !== null) {
      e.latency.addAt(bucket, ms);
      if (!ok) e.errors++;
      e.tick = this.tick;
    }
    if (a !== undefined) {
      a.latency.addAt(bucket, ms);
      if (!ok) a.errors++;
      a.tick = this.tick;
    }
    if (!ok) this.totals.errors++;
    this.messages.close(p);
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
    victim.gone = true;
    this.edges.removeAgent(victim.id);
    this.evicted.agents++;
  }
}
