import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Fields } from 'hydra-logger';
import type { AgentEntry } from './analytics/entries.js';
import { conversationEvents } from './analytics/messages.js';
import { AgentModel } from './analytics/model.js';
import { analyticsOf, communicationGraph, systemAnalytics } from './analytics/read.js';
import { ATTR, OPERATION } from './attributes.js';
import { AlertLog } from './detectors/alerts.js';
import { AgentHandle, type AgentOps, type LlmCall } from './handle.js';
import { applyForeign } from './ingest.js';
import { type AgentLimits, type DetectorOptions, resolveDetectors, resolveLimits } from './limits.js';
import { type EventTarget, publishLive } from './live.js';
import { LamportClock } from './messages/clock.js';
import { errorFields, MessageLifecycle } from './messages/lifecycle.js';
import { ERROR, INFO, layerSink, type RecordSink, RecordWriter } from './records.js';
import type {
  AgentAlert,
  AgentAnalytics,
  AgentInfo,
  CommunicationGraph,
  ConversationEvent,
  ProcessOutcome,
  SendOptions,
  SystemAnalytics,
} from './types.js';

/** What a tracker needs of a logger: `layer(name)` and `runWithContext` (a `HydraLogger`). */
export interface TrackerLogger {
  layer(name: string): {
    debug(m: string, f?: Fields): void;
    info(m: string, f?: Fields): void;
    warning(m: string, f?: Fields): void;
    error(m: string, f?: Fields): void;
  };
  runWithContext<T>(context: Fields, fn: () => T): T;
}

export interface AgentTrackerOptions {
  /** The logger the records go to (a `HydraLogger`). The plugin form sets this itself. */
  logger?: TrackerLogger;
  /** The layer of the records (default `AGENTS`). */
  layer?: string;
  /** Log message contents (`send({ content })`, `logCommunication`'s message); default false: sizes only. The logger redacts them. */
  captureContent?: boolean;
  /** Detector thresholds over {@link DETECTOR_DEFAULTS}, or `false` for no detectors. */
  detectors?: Partial<DetectorOptions> | false;
  /** Bounds over {@link AGENT_LIMITS}. */
  limits?: Partial<AgentLimits>;
  /** States in which waiting is normal (never "stuck"); default `['idle']`. Terminal states never are. */
  restingStates?: string[];
  /** This tracker's id in message ids and records (default: random); one per process. */
  origin?: string;
  /** The clock (ms since 1970) used for latencies, state times and detectors (default `Date.now`). */
  now?: () => number;
}

/** What `tracker.stats()` reports. */
export interface TrackerStats {
  origin: string;
  agents: number;
  edges: number;
  pendingMessages: number;
  conversations: number;
  alerts: number;
  lamport: number;
  /** What the bounds forgot, by kind. */
  evicted: {
    agents: number;
    edges: number;
    pendingMessages: number;
    conversations: number;
    conversationEvents: number;
  };
  records: { logged: number; noLogger: number; failed: number };
  ingested: { applied: number; own: number; unreadable: number };
  listenerErrors: number;
}

/**
 * Tracks a system of agents: who talks to whom, in which state each agent is, what it costs, and
 * what goes wrong (loops, storms, stuck agents, deadlocks, budgets). Every change is a record on
 * the agents layer with OpenTelemetry GenAI / messaging attribute names; analytics and the graph
 * are kept in bounded memory. Events: `alert` (every {@link AgentAlert}) and one per alert kind
 * (`ping_pong`, `fan_out_storm`, `stuck`, `deadlock`, `budget_exceeded`).
 */
export class AgentTracker extends EventEmitter implements AgentOps {
  /** This tracker's id (in message ids and in the records it writes). */
  readonly origin: string;
  readonly layer: string;
  readonly limits: Readonly<AgentLimits>;
  readonly detectors: Readonly<DetectorOptions> | undefined;
  readonly #model: AgentModel;
  readonly #now: () => number;
  readonly #captureContent: boolean;
  readonly #als = new AsyncLocalStorage<Fields>();
  readonly #alerts: AlertLog;
  readonly #clock = new LamportClock();
  readonly #out = new RecordWriter();
  readonly #messages: MessageLifecycle;
  #logger: TrackerLogger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #ingested = { applied: 0, own: 0, unreadable: 0 };

  constructor(options: AgentTrackerOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null)
      throw new TypeError('AgentTracker options must be an object');
    this.limits = Object.freeze(resolveLimits(options.limits));
    const d = resolveDetectors(options.detectors);
    this.detectors = d === undefined ? undefined : Object.freeze(d);
    this.layer = options.layer ?? 'AGENTS';
    if (typeof this.layer !== 'string' || this.layer === '')
      throw new TypeError('layer must be a non-empty string');
    this.origin = options.origin ?? randomBytes(5).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(this.origin))
      throw new TypeError(
        `origin: expected 1-64 letters, digits, _ or -, got ${JSON.stringify(options.origin)}`,
      );
    this.#now = options.now ?? Date.now;
    this.#captureContent = options.captureContent === true;
    this.#alerts = new AlertLog(
      this.detectors?.alertCooldownMs ?? 0,
      this.limits.maxAlerts,
      this.origin,
      this.#out,
      (event, alert) => this.emit(event, alert),
    );
    this.#model = new AgentModel(
      this.origin,
      this.limits,
      this.detectors,
      (kind, agents, message, details, time, conv) =>
        this.#alerts.raise(kind, agents, message, details, time, conv),
      new Set(options.restingStates ?? ['idle']),
    );
    this.#messages = new MessageLifecycle({
      model: this.#model,
      clock: this.#clock,
      out: this.#out,
      origin: this.origin,
      now: this.#now,
      captureContent: this.#captureContent,
    });
    if (options.logger !== undefined) this.useLogger(options.logger);
  }

  /** Sends the records to this logger's agents layer (and `run` uses its context). */
  useLogger(logger: TrackerLogger): this {
    this.#logger = logger;
    this.#out.sink = layerSink(logger.layer(this.layer));
    return this;
  }

  /** Sends the records to a function (the plugin form: the plugin context's `log`). */
  useSink(sink: RecordSink | undefined): this {
    this.#out.sink = sink;
    return this;
  }

  // --- agents ----------------------------------------------------------------------------------

  /**
   * Registers an agent (again: updates it) and returns its handle. `registerAgent(id, role?,
   * metadata?)` is the positional form.
   */
  registerAgent(info: AgentInfo | string, role?: string, metadata?: Fields): AgentHandle {
    const i: AgentInfo =
      typeof info === 'string'
        ? {
            id: info,
            ...(role === undefined ? {} : { role }),
            ...(metadata === undefined ? {} : { metadata }),
          }
        : info;
    if (typeof i !== 'object' || i === null || typeof i.id !== 'string' || i.id === '')
      throw new TypeError('registerAgent: id must be a non-empty string');
    for (const k of ['name', 'role', 'version', 'parentId', 'state'] as const)
      if (i[k] !== undefined && typeof i[k] !== 'string')
        throw new TypeError(`registerAgent: ${k} must be a string, got ${typeof i[k]}`);
    const t = this.#now();
    const a = this.#model.register({
      id: i.id,
      name: i.name,
      role: i.role,
      version: i.version,
      parentId: i.parentId,
      metadata: i.metadata,
      state: i.state,
      time: t,
      lamport: this.#clock.tick(),
      origin: this.origin,
    });
    const f: Fields = {
      [ATTR.operation]: OPERATION.register,
      [ATTR.agentId]: a.id,
      [ATTR.agentName]: a.name,
      [ATTR.state]: a.state,
      [ATTR.lamport]: this.#clock.time,
      [ATTR.origin]: this.origin,
    };
    if (a.role !== undefined) f[ATTR.role] = a.role;
    if (a.version !== undefined) f[ATTR.agentVersion] = a.version;
    if (a.parentId !== undefined) f[ATTR.parentId] = a.parentId;
    if (a.metadata !== undefined) f['hydra.agent.metadata'] = a.metadata;
    this.#out.log(INFO, 'agent registered', f);
    this.#startTimer();
    return new AgentHandle(this, a.id, a);
  }

  /** The handle of an agent (registered or not: a message to an unknown id makes it appear). */
  agent(id: string): AgentHandle {
    return new AgentHandle(this, id);
  }

  /** Changes an agent's state (A2A task states or any other string). */
  setState(agentId: string, state: string, options: { reason?: string } = {}): void {
    if (typeof state !== 'string' || state === '') {
      this.#out.problem('setState: state must be a non-empty string');
      return;
    }
    const t = this.#now();
    const a = this.#model.agent(agentId, t);
    const old = this.#model.setState(a, state, t);
    const f = this.#agentFields(a, OPERATION.state);
    f[ATTR.state] = state;
    f[ATTR.previousState] = old;
    if (options.reason !== undefined) f[ATTR.stateReason] = options.reason;
    this.#out.log(INFO, 'agent state', f);
  }

  // --- messages --------------------------------------------------------------------------------

  /**
   * A message from one agent to another. Returns its id, which carries this tracker's Lamport time:
   * give it to `received`/`processed` (in any process) to keep causal order.
   */
  send(fromId: string, toId: string, message?: SendOptions): string {
    return this.#messages.send(undefined, fromId, toId, message);
  }

  /** @internal `send` from an agent handle, which holds the sender's entry. */
  sendFrom(from: AgentEntry | undefined, fromId: string, toId: string, message?: SendOptions): string {
    return this.#messages.send(from, fromId, toId, message);
  }

  /** The receiver got the message (`agentId`: the receiver, when this process did not see the send). */
  received(messageId: string, options?: { agentId?: string }): void {
    this.#messages.received(messageId, options?.agentId);
  }

  /** The receiver finished with the message: `{ ok: false, error }` counts an error on the edge and the receiver. */
  processed(messageId: string, outcome?: ProcessOutcome & { agentId?: string }): void {
    this.#messages.processed(messageId, outcome);
  }

  /**
   * The older one-call form: a message from `fromId` to `toId` (its text is the content: logged
   * only with `captureContent`, else its size). Counted on the edge; no processing is expected.
   */
  logCommunication(fromId: string, toId: string, message: unknown, meta?: SendOptions): string {
    return this.#messages.logCommunication(fromId, toId, message, meta);
  }

  // --- work ------------------------------------------------------------------------------------

  /** Runs `fn` (sync or async) as a tool call of the agent: timed, counted, an `execute_tool` record. Errors are rethrown. */
  toolCall<T>(agentId: string, name: string, fn: () => T, options: { conversationId?: string } = {}): T {
    const start = performance.now();
    const done = (ok: boolean, err?: unknown) =>
      this.#tool(agentId, name, ok, performance.now() - start, err, options.conversationId);
    let r: T;
    try {
      r = fn();
    } catch (err) {
      done(false, err);
      throw err;
    }
    if (r !== null && typeof (r as { then?: unknown })?.then === 'function')
      return (r as unknown as Promise<unknown>).then(
        (v) => {
          done(true);
          return v;
        },
        (err: unknown) => {
          done(false, err);
          throw err;
        },
      ) as T;
    done(true);
    return r;
  }

  /**
   * A tool call that already ran, for callers that see its start and its end apart (framework
   * callbacks): counted like `toolCall`, an `execute_tool` record.
   */
  recordToolCall(
    agentId: string,
    call: { name: string; ok?: boolean; error?: unknown; durationMs?: number; conversationId?: string },
  ): void {
    if (typeof call?.name !== 'string') {
      this.#out.problem('recordToolCall: name must be a string');
      return;
    }
    const ok = call.ok !== false && call.error === undefined;
    const ms = typeof call.durationMs === 'number' && call.durationMs > 0 ? call.durationMs : 0;
    this.#tool(agentId, call.name, ok, ms, call.error, call.conversationId);
  }

  /** An LLM call of the agent: tokens and cost counted (budgets checked), a `chat` record. */
  llmCall(agentId: string, call: LlmCall = {}): void {
    const t = this.#now();
    const lamport = this.#clock.tick();
    const num = (v: unknown) => (typeof v === 'number' && v > 0 ? v : 0);
    const ok = call.ok !== false && call.error === undefined;
    const ev = {
      agentId,
      inputTokens: num(call.inputTokens),
      outputTokens: num(call.outputTokens),
      costUsd: num(call.costUsd),
      ok,
      conv: call.conversationId,
      model: call.model,
      time: t,
      lamport,
      origin: this.origin,
    };
    const f = this.#agentFields(this.#model.agents.get(agentId), OPERATION.llm, agentId);
    if (call.model !== undefined) f[ATTR.requestModel] = call.model;
    if (call.provider !== undefined) f[ATTR.provider] = call.provider;
    f[ATTR.inputTokens] = ev.inputTokens;
    f[ATTR.outputTokens] = ev.outputTokens;
    if (ev.costUsd > 0) f[ATTR.costUsd] = ev.costUsd;
    if (call.durationMs !== undefined) f[ATTR.durationMs] = call.durationMs;
    if (call.conversationId !== undefined) f[ATTR.conversationId] = call.conversationId;
    f[ATTR.ok] = ok;
    if (!ok) errorFields(f, call.error);
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#out.log(ok ? INFO : ERROR, ok ? 'llm call' : 'llm call failed', f);
    this.#model.llm(ev);
  }

  /** Runs `fn` in the agent's context: every record logged inside (across awaits) carries its id and name. */
  run<T>(agentId: string, fn: () => T): T {
    const a = this.#model.agents.get(agentId);
    const ctx: Fields = { [ATTR.agentId]: agentId, [ATTR.agentName]: a?.name ?? agentId };
    const logger = this.#logger;
    return this.#als.run(ctx, logger === undefined ? fn : () => logger.runWithContext(ctx, fn));
  }

  /** The fields of the `run` in effect (for the plugin, which adds them to records). */
  currentContext(): Fields | undefined {
    return this.#als.getStore();
  }

  /** `agentId` waits for `otherId` (`on: false`: no longer; `otherId` '' with `on: false`: for nobody). A cycle of waits is a deadlock. */
  waitFor(agentId: string, otherId: string, on = true): void {
    const t = this.#now();
    const a = this.#model.agent(agentId, t);
    const lamport = this.#clock.tick();
    const f = this.#agentFields(a, OPERATION.wait);
    f[ATTR.destination] = otherId;
    f['hydra.wait'] = on;
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#out.log(INFO, on ? 'agent waiting' : 'agent stopped waiting', f);
    this.#model.wait(a, otherId, t, on);
  }

  // --- reading ---------------------------------------------------------------------------------

  /** One agent's analytics, or (without an id) every agent's and the totals. */
  getAgentAnalytics(): SystemAnalytics;
  getAgentAnalytics(id: string): AgentAnalytics | undefined;
  getAgentAnalytics(id?: string): AgentAnalytics | SystemAnalytics | undefined {
    const now = this.#now();
    if (id === undefined) return systemAnalytics(this.#model, now, this.#alerts.count);
    const a = this.#model.agents.get(id);
    return a === undefined ? undefined : analyticsOf(a, now);
  }

  /** Nodes (agents) and edges (messages from one agent to another, with count, rate, p95, errors, tokens). */
  getCommunicationGraph(): CommunicationGraph {
    return communicationGraph(this.#model, this.#now(), this.limits.rateWindowMs);
  }

  /** The events of a conversation in causal order (Lamport time; ties in the order they were recorded). */
  getConversation(id: string): ConversationEvent[] {
    const c = this.#model.messages.conversations.get(id);
    return c === undefined ? [] : conversationEvents(c);
  }

  /** The latest alerts (at most `maxAlerts`), oldest first. */
  getAlerts(): AgentAlert[] {
    return this.#alerts.recent();
  }

  stats(): TrackerStats {
    const m = this.#model;
    return {
      origin: this.origin,
      agents: m.agents.size,
      edges: m.edges.size,
      pendingMessages: m.messages.pendingCount,
      conversations: m.messages.conversations.size,
      alerts: this.#alerts.count,
      lamport: this.#clock.time,
      evicted: { ...m.evicted, edges: m.edges.evicted },
      records: { ...this.#out.counts },
      ingested: { ...this.#ingested },
      listenerErrors: this.#alerts.listenerErrors,
    };
  }

  /** Runs the time-based detectors now (they also run every `checkIntervalMs`). */
  check(now = this.#now()): void {
    this.#model.check(now);
  }

  // --- other processes -------------------------------------------------------------------------

  /**
   * Applies a record another tracker wrote (another process, a worker thread): a JSON line as the
   * `json` format writes it, the parsed object, or a `LogRecord`. Its Lamport time advances this
   * tracker's clock. Returns whether it was applied (records of this tracker, and records that are
   * not a tracker's, are not). Never throws.
   */
  ingest(input: unknown): boolean {
    try {
      return applyForeign(this.#model, this.#clock, this.origin, this.#ingested, input);
    } catch {
      this.#ingested.unreadable++;
      return false;
    }
  }

  /**
   * Streams the graph live to a bridge (`bridge.publishEvent`): a `delta` frame every `intervalMs`
   * (default 1 s) with the agents and edges that changed and new alerts, a `snapshot` for each new
   * watcher of `topic` (default `agents`). Returns a function that stops it.
   */
  publishTo(target: EventTarget, options?: { topic?: string; intervalMs?: number }): () => void {
    return publishLive(this, target, { ...options, now: this.#now });
  }

  /** Stops the detectors' timer. The tracker still answers questions. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** @internal the live view's tick: entries changed since the last one carry it. */
  get _model(): AgentModel {
    return this.#model;
  }

  // --- internals -------------------------------------------------------------------------------

  #tool(
    agentId: string,
    name: string,
    ok: boolean,
    ms: number,
    err: unknown,
    conv: string | undefined,
  ): void {
    const t = this.#now();
    const lamport = this.#clock.tick();
    const f = this.#agentFields(this.#model.agents.get(agentId), OPERATION.tool, agentId);
    f[ATTR.toolName] = name;
    f[ATTR.durationMs] = Math.round(ms * 1000) / 1000;
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    f[ATTR.ok] = ok;
    if (!ok) errorFields(f, err);
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#out.log(ok ? INFO : ERROR, ok ? 'tool call' : 'tool call failed', f);
    this.#model.tool({ agentId, name, ok, conv, time: t, lamport, origin: this.origin });
  }

  #agentFields(a: AgentEntry | undefined, op: string, id?: string): Fields {
    return {
      [ATTR.operation]: op,
      [ATTR.agentId]: a?.id ?? id ?? '',
      [ATTR.agentName]: a?.name ?? id ?? '',
    };
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#closed || this.detectors === undefined) return;
    this.#timer = setInterval(() => this.check(), this.limits.checkIntervalMs);
    this.#timer.unref();
  }
}
