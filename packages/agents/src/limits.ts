/**
 * Every bounded resource of the tracker, with its default (override with `limits: { … }`). What
 * trips is counted in `tracker.stats().evicted` by name; nothing is dropped silently.
 */
export const AGENT_LIMITS = Object.freeze({
  /** Agents tracked. Past it, the agent idle the longest (terminal states first) is forgotten. */
  maxAgents: 10_000,
  /** Edges (ordered sender → receiver pairs) of the communication graph. Past it, the tenth least recently used are evicted. */
  maxEdges: 10_000,
  /** Messages sent and not yet processed. Past it, the oldest is forgotten (its latency is never measured). */
  maxPendingMessages: 100_000,
  /** Conversations whose events are kept for `getConversation`. Past it, the oldest is forgotten. */
  maxConversations: 1_000,
  /** Events kept per conversation. Past it, later events of that conversation are counted, not kept. */
  maxConversationEvents: 1_000,
  /** Alerts kept for `getAlerts()` (every alert is also a record and an event). */
  maxAlerts: 200,
  /** Distinct states whose time is kept per agent (A2A's eight plus custom ones). */
  maxStatesPerAgent: 32,
  /** Window of an edge's `rate` (messages per second over the last window). */
  rateWindowMs: 10_000,
  /** How often the time-based detectors (stuck in a state) run, ms. */
  checkIntervalMs: 1_000,
});

export type AgentLimits = { -readonly [K in keyof typeof AGENT_LIMITS]: number };

/** Detector thresholds, with their defaults (override with `detectors: { … }`, or `detectors: false`). */
export const DETECTOR_DEFAULTS = Object.freeze({
  /** Ping-pong loop: messages alternating between two agents (A→B, B→A, …) in one conversation … */
  pingPongMessages: 20,
  /** … within this window, ms. */
  pingPongWindowMs: 60_000,
  /** Fan-out storm: distinct recipients one agent sends to within `fanOutWindowMs` … */
  fanOutRecipients: 50,
  /** … or messages one agent sends within `fanOutWindowMs`. */
  fanOutMessages: 2_000,
  fanOutWindowMs: 1_000,
  /** Stuck: an agent in one non-terminal state longer than this, ms. */
  stuckAfterMs: 300_000,
  /** Budget: LLM tokens (input + output) of one agent. */
  tokensPerAgent: 1_000_000,
  /** Budget: cost of one agent's LLM calls, USD. */
  costUsdPerAgent: 10,
  /** Budget: LLM tokens of all agents together. */
  tokensTotal: 10_000_000,
  /** Budget: cost of all agents together, USD. */
  costUsdTotal: 100,
  /** The same alert (kind and agents) is not raised again within this time, ms. */
  alertCooldownMs: 60_000,
});

export type DetectorOptions = { -readonly [K in keyof typeof DETECTOR_DEFAULTS]: number };

export function resolveLimits(over: Partial<AgentLimits> | undefined): AgentLimits {
  return resolveNumbers('limits', AGENT_LIMITS, over);
}

export function resolveDetectors(
  over: Partial<DetectorOptions> | false | undefined,
): DetectorOptions | undefined {
  if (over === false) return undefined;
  return resolveNumbers('detectors', DETECTOR_DEFAULTS, over);
}

function resolveNumbers<T extends Record<string, number>>(
  what: string,
  defaults: Readonly<T>,
  over: Partial<T> | undefined,
): T {
  const out = { ...defaults } as T;
  if (over === undefined) return out;
  if (typeof over !== 'object' || over === null) throw new TypeError(`${what} must be an object`);
  for (const [k, v] of Object.entries(over)) {
    if (!(k in defaults))
      throw new TypeError(`${what}.${k}: unknown; expected one of ${Object.keys(defaults).join(', ')}`);
    if (typeof v !== 'number' || !(v > 0))
      throw new TypeError(`${what}.${k}: expected a number > 0, got ${JSON.stringify(v)}`);
    (out as Record<string, number>)[k] = v;
  }
  return out;
}
