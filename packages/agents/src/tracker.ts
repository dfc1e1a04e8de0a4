import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Fields } from 'hydra-logger';
import type { AgentEntry } from './analytics/entries.js';
import { rateOf } from './analytics/entries.js';
import type { Histogram } from './analytics/histogram.js';
import { AgentModel } from './analytics/model.js';
import { ATTR, MESSAGING_SYSTEM, OPERATION } from './attributes.js';
import { AgentHandle, type AgentOps, type LlmCall } from './handle.js';
import { type AgentLimits, type DetectorOptions, resolveDetectors, resolveLimits } from './limits.js';
import { type EventTarget, publishLive } from './live.js';
import { DEBUG, ERROR, INFO, layerSink, type RecordSink, readForeign, WARNING } from './records.js';
import type {
  AgentAlert,
  AgentAnalytics,
  AgentInfo,
  AlertKind,
  CommunicationGraph,
  ConversationEvent,
  LatencySummary,
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

const EMPTY: Fields = Object.freeze({}) as Fields;

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
  readonly #alerts: AgentAlert[] = [];
  readonly #cooldown = new Map<string, number>();
  #logger: TrackerLogger | undefined;
  #sink: RecordSink | undefined;
  #clock = 0;
  #seq = 0;
  #alertCount = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #records = { logged: 0, noLogger: 0, failed: 0 };
  readonly #ingested = { applied: 0, own: 0, unreadable: 0 };
  #listenerErrors = 0;

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
    this.#model = new AgentModel(
      this.limits,
      this.detectors,
      (kind, agents, message, details, time, conv) => this.#raise(kind, agents, message, details, time, conv),
      new Set(options.restingStates ?? ['idle']),
    );
    if (options.logger !== undefined) this.useLogger(options.logger);
  }

  /** Sends the records to this logger's agents layer (and `run` uses its context). */
  useLogger(logger: TrackerLogger): this {
    this.#logger = logger;
    this.#sink = layerSink(logger.layer(this.layer));
    return this;
  }

  /** Sends the records to a function (the plugin form: the plugin context's `log`). */
  useSink(sink: RecordSink | undefined): this {
    this.#sink = sink;
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
      lamport: ++this.#clock,
      origin: this.origin,
    });
    const f: Fields = {
      [ATTR.operation]: OPERATION.register,
      [ATTR.agentId]: a.id,
      [ATTR.agentName]: a.name,
      [ATTR.state]: a.state,
      [ATTR.lamport]: this.#clock,
      [ATTR.origin]: this.origin,
    };
    if (a.role !== undefined) f[ATTR.role] = a.role;
    if (a.version !== undefined) f[ATTR.agentVersion] = a.version;
    if (a.parentId !== undefined) f[ATTR.parentId] = a.parentId;
    if (a.metadata !== undefined) f['hydra.agent.metadata'] = a.metadata;
    this.#log(INFO, 'agent registered', f);
    this.#startTimer();
    return new AgentHandle(this, a.id);
  }

  /** The handle of an agent (registered or not: a message to an unknown id makes it appear). */
  agent(id: string): AgentHandle {
    return new AgentHandle(this, id);
  }

  /** Changes an agent's state (A2A task states or any other string). */
  setState(agentId: string, state: string, options: { reason?: string } = {}): void {
    if (typeof state !== 'string' || state === '') {
      this.#problem('setState: state must be a non-empty string');
      return;
    }
    const t = this.#now();
    const a = this.#model.agent(agentId, t);
    const old = this.#model.setState(a, state, t);
    const f = this.#agentFields(a, OPERATION.state);
    f[ATTR.state] = state;
    f[ATTR.previousState] = old;
    if (options.reason !== undefined) f[ATTR.stateReason] = options.reason;
    this.#log(INFO, 'agent state', f);
  }

  // --- messages --------------------------------------------------------------------------------

  /**
   * A message from one agent to another. Returns its id, which carries this tracker's Lamport time:
   * give it to `received`/`processed` (in any process) to keep causal order.
   */
  send(fromId: string, toId: string, message: SendOptions = {}): string {
    const t = this.#now();
    const lamport = ++this.#clock;
    const id = `${this.origin}.${(++this.#seq).toString(36)}.${lamport.toString(36)}`;
    const m = message ?? {};
    const tokens = typeof m.tokens === 'number' && m.tokens > 0 ? m.tokens : 0;
    const bytes = typeof m.bytes === 'number' && m.bytes > 0 ? m.bytes : 0;
    const awaitReply = m.awaitReply === true;
    this.#model.send({
      id,
      from: fromId,
      to: toId,
      conv: m.conversationId,
      type: m.type,
      tokens,
      bytes,
      awaitReply,
      time: t,
      lamport,
      origin: this.origin,
    });
    const f = this.#agentFields(this.#model.agents.get(fromId), OPERATION.send, fromId);
    f[ATTR.messagingSystem] = MESSAGING_SYSTEM;
    f[ATTR.messagingOperationType] = 'send';
    f[ATTR.messageId] = id;
    f[ATTR.destination] = toId;
    if (m.conversationId !== undefined) f[ATTR.conversationId] = m.conversationId;
    if (m.type !== undefined) f[ATTR.messageType] = m.type;
    if (m.taskId !== undefined) f[ATTR.taskId] = m.taskId;
    if (bytes > 0) f[ATTR.bodySize] = bytes;
    if (tokens > 0) f[ATTR.messageTokens] = tokens;
    if (awaitReply) f[ATTR.awaitReply] = true;
    if (this.#captureContent && m.content !== undefined) f[ATTR.content] = m.content;
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#log(INFO, 'message sent', f);
    return id;
  }

  /** The receiver got the message (`agentId`: the receiver, when this process did not see the send). */
  received(messageId: string, options: { agentId?: string } = {}): void {
    if (typeof messageId !== 'string') {
      this.#problem('received: messageId must be a string');
      return;
    }
    const lamport = this.#observe(messageId);
    const t = this.#now();
    const known = this.#model.message(messageId);
    const agentId = known?.to ?? options.agentId;
    const conv = known?.conv;
    this.#model.receive({ id: messageId, agentId, conv, time: t, lamport, origin: this.origin });
    const f = this.#agentFields(
      agentId === undefined ? undefined : this.#model.agents.get(agentId),
      OPERATION.receive,
      agentId,
    );
    this.#messageFields(f, 'receive', messageId, known?.from, conv, lamport);
    this.#log(DEBUG, 'message received', f);
  }

  /** The receiver finished with the message: `{ ok: false, error }` counts an error on the edge and the receiver. */
  processed(messageId: string, outcome: ProcessOutcome & { agentId?: string } = {}): void {
    if (typeof messageId !== 'string') {
      this.#problem('processed: messageId must be a string');
      return;
    }
    const lamport = this.#observe(messageId);
    const t = this.#now();
    const known = this.#model.message(messageId);
    const agentId = known?.to ?? outcome.agentId;
    const conv = known?.conv;
    const from = known?.from;
    const ok = outcome.ok !== false && outcome.error === undefined;
    this.#model.process({ id: messageId, agentId, conv, ok, time: t, lamport, origin: this.origin });
    const f = this.#agentFields(
      agentId === undefined ? undefined : this.#model.agents.get(agentId),
      OPERATION.process,
      agentId,
    );
    this.#messageFields(f, 'process', messageId, from, conv, lamport);
    f[ATTR.ok] = ok;
    if (!ok) this.#errorFields(f, outcome.error);
    this.#log(ok ? INFO : ERROR, ok ? 'message processed' : 'message failed', f);
  }

  /**
   * The older one-call form: a message from `fromId` to `toId` (its text is the content: logged
   * only with `captureContent`, else its size). Counted on the edge; no processing is expected.
   */
  logCommunication(fromId: string, toId: string, message: unknown, meta: SendOptions = {}): string {
    const bytes = typeof message === 'string' ? Buffer.byteLength(message) : (meta.bytes ?? 0);
    const id = this.send(fromId, toId, { ...meta, bytes, content: message });
    // Nothing will report its processing: forget it as in flight.
    this.#model.pending.delete(id);
    return id;
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
      this.#problem('recordToolCall: name must be a string');
      return;
    }
    const ok = call.ok !== false && call.error === undefined;
    const ms = typeof call.durationMs === 'number' && call.durationMs > 0 ? call.durationMs : 0;
    this.#tool(agentId, call.name, ok, ms, call.error, call.conversationId);
  }

  /** An LLM call of the agent: tokens and cost counted (budgets checked), a `chat` record. */
  llmCall(agentId: string, call: LlmCall = {}): void {
    const t = this.#now();
    const lamport = ++this.#clock;
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
    if (!ok) this.#errorFields(f, call.error);
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#log(ok ? INFO : ERROR, ok ? 'llm call' : 'llm call failed', f);
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
    const lamport = ++this.#clock;
    const f = this.#agentFields(a, OPERATION.wait);
    f[ATTR.destination] = otherId;
    f['hydra.wait'] = on;
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#log(INFO, on ? 'agent waiting' : 'agent stopped waiting', f);
    this.#model.wait(a, otherId, t, on);
  }

  // --- reading ---------------------------------------------------------------------------------

  /** One agent's analytics, or (without an id) every agent's and the totals. */
  getAgentAnalytics(): SystemAnalytics;
  getAgentAnalytics(id: string): AgentAnalytics | undefined;
  getAgentAnalytics(id?: string): AgentAnalytics | SystemAnalytics | undefined {
    const now = this.#now();
    if (id !== undefined) {
      const a = this.#model.agents.get(id);
      return a === undefined ? undefined : analyticsOf(a, now);
    }
    const agents = [...this.#model.agents.values()].map((a) => analyticsOf(a, now));
    const t = this.#model.totals;
    return {
      agents,
      totals: {
        agents: agents.length,
        messages: t.messages,
        errors: t.errors,
        tokens: t.inputTokens + t.outputTokens,
        costUsd: t.costUsd,
        alerts: this.#alertCount,
      },
    };
  }

  /** Nodes (agents) and edges (messages from one agent to another, with count, rate, p95, errors, tokens). */
  getCommunicationGraph(): CommunicationGraph {
    const now = this.#now();
    const w = this.limits.rateWindowMs;
    return {
      nodes: [...this.#model.agents.values()].map((a) => ({
        id: a.id,
        name: a.name,
        role: a.role,
        parentId: a.parentId,
        state: a.state,
        messagesIn: a.messagesIn,
        messagesOut: a.messagesOut,
        errors: a.errors,
      })),
      edges: [...this.#model.edges.values()].map((e) => ({
        from: e.from,
        to: e.to,
        count: e.count,
        rate: rateOf(e, now, w),
        p95Ms: e.latency.quantile(0.95),
        errors: e.errors,
        tokens: e.tokens,
        bytes: e.bytes,
      })),
      evictedEdges: this.#model.edges.evicted,
    };
  }

  /** The events of a conversation in causal order (Lamport time; ties in the order they were recorded). */
  getConversation(id: string): ConversationEvent[] {
    const list = this.#model.conversations.get(id);
    if (list === undefined) return [];
    return list.map((e) => ({ ...e })).sort((a, b) => a.lamport - b.lamport);
  }

  /** The latest alerts (at most `maxAlerts`), oldest first. */
  getAlerts(): AgentAlert[] {
    return this.#alerts.slice();
  }

  stats(): TrackerStats {
    const m = this.#model;
    return {
      origin: this.origin,
      agents: m.agents.size,
      edges: m.edges.size,
      pendingMessages: m.pending.size,
      conversations: m.conversations.size,
      alerts: this.#alertCount,
      lamport: this.#clock,
      evicted: { ...m.evicted, edges: m.edges.evicted },
      records: { ...this.#records },
      ingested: { ...this.#ingested },
      listenerErrors: this.#listenerErrors,
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
      return this.#ingest(input);
    } catch {
      this.#ingested.unreadable++;
      return false;
    }
  }

  #ingest(input: unknown): boolean {
    const r = readForeign(input);
    const f = r?.fields;
    const origin = f?.[ATTR.origin];
    const op = f?.[ATTR.operation];
    if (r === undefined || f === undefined || typeof origin !== 'string' || typeof op !== 'string') {
      this.#ingested.unreadable++;
      return false;
    }
    if (origin === this.origin) {
      this.#ingested.own++;
      return false;
    }
    const lam = typeof f[ATTR.lamport] === 'number' ? (f[ATTR.lamport] as number) : this.#clock;
    this.#clock = Math.max(this.#clock, lam);
    const t = r.time;
    const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
    const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : 0);
    const agentId = str(ATTR.agentId);
    const base = { time: t, lamport: lam, origin };
    const m = this.#model;
    switch (op) {
      case OPERATION.register:
        if (agentId === undefined) break;
        m.register({
          ...base,
          id: agentId,
          name: str(ATTR.agentName),
          role: str(ATTR.role),
          version: str(ATTR.agentVersion),
          parentId: str(ATTR.parentId),
          metadata: f['hydra.agent.metadata'] as Fields | undefined,
          state: str(ATTR.state),
        });
        break;
      case OPERATION.state:
        if (agentId === undefined || str(ATTR.state) === undefined) break;
        m.setState(m.agent(agentId, t), str(ATTR.state) as string, t);
        break;
      case OPERATION.send: {
        const id = str(ATTR.messageId);
        const to = str(ATTR.destination);
        if (id === undefined || to === undefined || agentId === undefined) break;
        m.send({
          ...base,
          id,
          from: agentId,
          to,
          conv: str(ATTR.conversationId),
          type: str(ATTR.messageType),
          tokens: num(ATTR.messageTokens),
          bytes: num(ATTR.bodySize),
          awaitReply: f[ATTR.awaitReply] === true,
        });
        break;
      }
      case OPERATION.receive:
      case OPERATION.process: {
        const id = str(ATTR.messageId);
        if (id === undefined) break;
        const ev = { ...base, id, agentId, conv: str(ATTR.conversationId) };
        if (op === OPERATION.receive) m.receive(ev);
        else m.process({ ...ev, ok: f[ATTR.ok] !== false });
        break;
      }
      case OPERATION.llm:
        if (agentId === undefined) break;
        m.llm({
          ...base,
          agentId,
          inputTokens: num(ATTR.inputTokens),
          outputTokens: num(ATTR.outputTokens),
          costUsd: num(ATTR.costUsd),
          ok: f[ATTR.ok] !== false,
          conv: str(ATTR.conversationId),
          model: str(ATTR.requestModel),
        });
        break;
      case OPERATION.tool:
        if (agentId === undefined) break;
        m.tool({
          ...base,
          agentId,
          name: str(ATTR.toolName) ?? '',
          ok: f[ATTR.ok] !== false,
          conv: str(ATTR.conversationId),
        });
        break;
      case OPERATION.wait:
        if (agentId === undefined) break;
        m.wait(m.agent(agentId, t), str(ATTR.destination) ?? '', t, f['hydra.wait'] !== false);
        break;
      default:
        // Alerts of another tracker: this one runs its own detectors on the whole graph.
        this.#ingested.own++;
        return false;
    }
    this.#ingested.applied++;
    return true;
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

  #observe(messageId: string): number {
    const dot = messageId.lastIndexOf('.');
    const sent = dot < 0 ? Number.NaN : Number.parseInt(messageId.slice(dot + 1), 36);
    this.#clock = (Number.isFinite(sent) ? Math.max(this.#clock, sent) : this.#clock) + 1;
    return this.#clock;
  }

  #tool(
    agentId: string,
    name: string,
    ok: boolean,
    ms: number,
    err: unknown,
    conv: string | undefined,
  ): void {
    const t = this.#now();
    const lamport = ++this.#clock;
    const f = this.#agentFields(this.#model.agents.get(agentId), OPERATION.tool, agentId);
    f[ATTR.toolName] = name;
    f[ATTR.durationMs] = Math.round(ms * 1000) / 1000;
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    f[ATTR.ok] = ok;
    if (!ok) this.#errorFields(f, err);
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
    this.#log(ok ? INFO : ERROR, ok ? 'tool call' : 'tool call failed', f);
    this.#model.tool({ agentId, name, ok, conv, time: t, lamport, origin: this.origin });
  }

  #agentFields(a: AgentEntry | undefined, op: string, id?: string): Fields {
    return {
      [ATTR.operation]: op,
      [ATTR.agentId]: a?.id ?? id ?? '',
      [ATTR.agentName]: a?.name ?? id ?? '',
    };
  }

  #messageFields(
    f: Fields,
    type: 'receive' | 'process',
    id: string,
    from: string | undefined,
    conv: string | undefined,
    lamport: number,
  ): void {
    f[ATTR.messagingSystem] = MESSAGING_SYSTEM;
    f[ATTR.messagingOperationType] = type;
    f[ATTR.messageId] = id;
    if (from !== undefined) f[ATTR.from] = from;
    if (conv !== undefined) f[ATTR.conversationId] = conv;
    f[ATTR.lamport] = lamport;
    f[ATTR.origin] = this.origin;
  }

  #errorFields(f: Fields, err: unknown): void {
    if (err === undefined) return;
    f[ATTR.errorType] = err instanceof Error ? err.name : typeof err === 'string' ? 'Error' : typeof err;
    f.error = err;
  }

  #log(level: number, message: string, fields: Fields): void {
    const sink = this.#sink;
    if (sink === undefined) {
      this.#records.noLogger++;
      return;
    }
    try {
      sink(level, message, fields ?? EMPTY);
      this.#records.logged++;
    } catch {
      this.#records.failed++;
    }
  }

  #problem(_what: string): void {
    this.#records.failed++;
  }

  #raise(
    kind: AlertKind,
    agents: string[],
    message: string,
    details: Record<string, unknown>,
    time: number,
    conv?: string,
  ): void {
    const key = `${kind}\u0000${agents.join('\u0000')}\u0000${String(details.budget ?? '')}`;
    const last = this.#cooldown.get(key);
    const cool = this.detectors?.alertCooldownMs ?? 0;
    if (last !== undefined && time - last < cool) return;
    if (this.#cooldown.size >= 10_000) this.#cooldown.clear();
    this.#cooldown.set(key, time);
    const alert: AgentAlert = {
      kind,
      agents,
      message,
      time,
      details,
      ...(conv === undefined ? {} : { conversationId: conv }),
    };
    this.#alertCount++;
    this.#alerts.push(alert);
    if (this.#alerts.length > this.limits.maxAlerts) this.#alerts.shift();
    const f: Fields = {
      [ATTR.operation]: OPERATION.alert,
      [ATTR.agentId]: agents[0] ?? '',
      [ATTR.alertKind]: kind,
      [ATTR.alertAgents]: agents,
      ...(conv === undefined ? {} : { [ATTR.conversationId]: conv }),
      'hydra.alert': details,
      [ATTR.origin]: this.origin,
    };
    this.#log(WARNING, message, f);
    for (const ev of ['alert', kind])
      try {
        this.emit(ev, alert);
      } catch {
        this.#listenerErrors++;
      }
  }

  #startTimer(): void {
    if (this.#timer !== undefined || this.#closed || this.detectors === undefined) return;
    this.#timer = setInterval(() => this.check(), this.limits.checkIntervalMs);
    this.#timer.unref();
  }
}

function summary(h: Histogram): LatencySummary {
  return {
    count: h.count,
    p50: h.quantile(0.5),
    p95: h.quantile(0.95),
    p99: h.quantile(0.99),
    max: Math.round(h.max * 1000) / 1000,
    mean: h.count === 0 ? 0 : Math.round((h.sum / h.count) * 1000) / 1000,
  };
}

function analyticsOf(a: AgentEntry, now: number): AgentAnalytics {
  const timeInStateMs: Record<string, number> = Object.fromEntries(a.stateTimes);
  const age = Math.max(0, now - a.stateSince);
  timeInStateMs[a.state] = (timeInStateMs[a.state] ?? 0) + age;
  return {
    id: a.id,
    name: a.name,
    role: a.role,
    version: a.version,
    parentId: a.parentId,
    metadata: a.metadata,
    state: a.state,
    stateAgeMs: age,
    timeInStateMs,
    messagesIn: a.messagesIn,
    messagesOut: a.messagesOut,
    errors: a.errors,
    latencyMs: summary(a.latency),
    tokens: {
      input: a.inputTokens,
      output: a.outputTokens,
      total: a.inputTokens + a.outputTokens,
      messages: a.messageTokens,
    },
    costUsd: a.costUsd,
    llmCalls: a.llmCalls,
    toolCalls: a.toolCalls,
    waitingFor: a.waitingFor === undefined ? [] : [...a.waitingFor],
    implicit: a.implicit,
  };
}
