import type { AgentEntry } from './analytics/entries.js';
import type { AgentAnalytics, ProcessOutcome, SendOptions } from './types.js';

/** An LLM call as `llmCall` reports it. */
export interface LlmCall {
  model?: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  durationMs?: number;
  conversationId?: string;
  ok?: boolean;
  error?: unknown;
}

/** What a handle calls: the tracker's methods that take an agent id (`AgentTracker` implements it). */
export interface AgentOps {
  setState(agentId: string, state: string, options?: { reason?: string }): void;
  send(fromId: string, toId: string, message?: SendOptions): string;
  /** `send` from an agent whose entry the caller holds (its handle): no look-up of the sender. */
  sendFrom(from: AgentEntry | undefined, fromId: string, toId: string, message?: SendOptions): string;
  received(messageId: string, options?: { agentId?: string }): void;
  processed(messageId: string, outcome?: ProcessOutcome & { agentId?: string }): void;
  toolCall<T>(agentId: string, name: string, fn: () => T, options?: { conversationId?: string }): T;
  llmCall(agentId: string, call?: LlmCall): void;
  run<T>(agentId: string, fn: () => T): T;
  waitFor(agentId: string, otherId: string, on?: boolean): void;
  getAgentAnalytics(id: string): AgentAnalytics | undefined;
}

/** One agent, as `tracker.registerAgent(…)` returns it: every call is the tracker's, with this agent's id. */
export class AgentHandle {
  readonly #tracker: AgentOps;
  readonly id: string;
  /** The agent's entry in the tracker (its sends skip the look-up by id; an evicted one is looked up again). */
  readonly #entry: AgentEntry | undefined;

  constructor(tracker: AgentOps, id: string, entry?: AgentEntry) {
    this.#tracker = tracker;
    this.id = id;
    this.#entry = entry;
  }

  /** Changes the state (A2A: `submitted`, `working`, `input-required`, `auth-required`, `completed`, `failed`, `canceled`, `rejected`; or any other). */
  setState(state: string, options?: { reason?: string }): this {
    this.#tracker.setState(this.id, state, options);
    return this;
  }

  /** Sends a message to another agent; returns its id (for `received`/`processed`, in any process). */
  send(toId: string, message?: SendOptions): string {
    return this.#tracker.sendFrom(this.#entry, this.id, toId, message);
  }

  /** This agent got message `messageId`. */
  received(messageId: string): void {
    this.#tracker.received(messageId, { agentId: this.id });
  }

  /** This agent finished with message `messageId`. */
  processed(messageId: string, outcome: ProcessOutcome = {}): void {
    this.#tracker.processed(messageId, { ...outcome, agentId: this.id });
  }

  /** Runs `fn` as a tool call (timed, counted, errors rethrown). */
  toolCall<T>(name: string, fn: () => T, options?: { conversationId?: string }): T {
    return this.#tracker.toolCall(this.id, name, fn, options);
  }

  /** Reports an LLM call: model, tokens, cost. */
  llmCall(call: LlmCall): void {
    this.#tracker.llmCall(this.id, call);
  }

  /** Runs `fn` with this agent's attributes on every record logged inside. */
  run<T>(fn: () => T): T {
    return this.#tracker.run(this.id, fn);
  }

  /** This agent now waits for `otherId` (deadlock detection), or (`on: false`) no longer. */
  waitFor(otherId: string, on = true): this {
    this.#tracker.waitFor(this.id, otherId, on);
    return this;
  }

  analytics(): AgentAnalytics | undefined {
    return this.#tracker.getAgentAnalytics(this.id);
  }
}
