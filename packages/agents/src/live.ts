import type { AgentEntry, Edge } from './analytics/entries.js';
import { rateOf } from './analytics/entries.js';
import type { AgentModel } from './analytics/model.js';
import type { AgentLimits } from './limits.js';
import type { AgentAlert } from './types.js';

/** What the live view reads of a tracker (`AgentTracker` is one). */
export interface LiveSource {
  readonly _model: AgentModel;
  readonly limits: Readonly<AgentLimits>;
  stats(): { alerts: number; agents: number; edges: number };
  getAlerts(): AgentAlert[];
}

/** What the live view publishes to: a bridge (`@hydra-logger/bridge`'s `Bridge`, or anything shaped like it). */
export interface EventTarget {
  publishEvent(topic: string, data: unknown): unknown;
  on?(event: 'watch', listener: (topic: string) => void): unknown;
  off?(event: 'watch', listener: (topic: string) => void): unknown;
}

/** One agent in a live frame. */
export interface LiveNode {
  id: string;
  name: string;
  role: string | undefined;
  parentId: string | undefined;
  state: string;
  stateAgeMs: number;
  messagesIn: number;
  messagesOut: number;
  errors: number;
  p95Ms: number;
  tokens: number;
  costUsd: number;
}

/** One edge in a live frame. */
export interface LiveEdge {
  from: string;
  to: string;
  count: number;
  rate: number;
  p95Ms: number;
  errors: number;
  tokens: number;
}

/** The data of an `agents` event: the whole graph (`snapshot`) or what changed since the last frame (`delta`). */
export interface LiveFrame {
  kind: 'snapshot' | 'delta';
  time: number;
  nodes: LiveNode[];
  edges: LiveEdge[];
  alerts: AgentAlert[];
  totals: { agents: number; edges: number; messages: number; alerts: number };
}

/**
 * Streams a tracker's graph to a bridge: every `intervalMs` (default 1 s) a `delta` with the agents
 * and edges that changed and the new alerts (nothing when nothing changed), and a `snapshot` when a
 * client starts watching the topic. Returns a function that stops it.
 */
export function publishLive(
  tracker: LiveSource,
  target: EventTarget,
  options: { topic?: string; intervalMs?: number; now?: () => number } = {},
): () => void {
  const topic = options.topic ?? 'agents';
  const now = options.now ?? Date.now;
  const model = tracker._model;
  const w = tracker.limits.rateWindowMs;
  let alertsSeen = tracker.stats().alerts;
  const node = (a: AgentEntry, t: number): LiveNode => ({
    id: a.id,
    name: a.name,
    role: a.role,
    parentId: a.parentId,
    state: a.state,
    stateAgeMs: Math.max(0, t - a.stateSince),
    messagesIn: a.messagesIn,
    messagesOut: a.messagesOut,
    errors: a.errors,
    p95Ms: a.latency.quantile(0.95),
    tokens: a.inputTokens + a.outputTokens,
    costUsd: a.costUsd,
  });
  const edge = (e: Edge, t: number): LiveEdge => ({
    from: e.from,
    to: e.to,
    count: e.count,
    rate: rateOf(e, t, w),
    p95Ms: e.latency.quantile(0.95),
    errors: e.errors,
    tokens: e.tokens,
  });
  const frame = (kind: 'snapshot' | 'delta'): LiveFrame | undefined => {
    const t = now();
    const tick = model.tick;
    const all = kind === 'snapshot';
    const nodes: LiveNode[] = [];
    for (const a of model.agents.values()) if (all || a.tick === tick) nodes.push(node(a, t));
    const edges: LiveEdge[] = [];
    for (const e of model.edges.values()) if (all || e.tick === tick) edges.push(edge(e, t));
    const s = tracker.stats();
    const fresh = Math.min(s.alerts - alertsSeen, tracker.limits.maxAlerts);
    const alerts = all ? tracker.getAlerts() : fresh > 0 ? tracker.getAlerts().slice(-fresh) : [];
    alertsSeen = s.alerts;
    if (!all && nodes.length === 0 && edges.length === 0 && alerts.length === 0) return undefined;
    return {
      kind,
      time: t,
      nodes,
      edges,
      alerts,
      totals: { agents: s.agents, edges: s.edges, messages: model.totals.messages, alerts: s.alerts },
    };
  };
  const tickOnce = () => {
    const f = frame('delta');
    model.tick++;
    if (f !== undefined) target.publishEvent(topic, f);
  };
  const onWatch = (t: string) => {
    if (t === topic) target.publishEvent(topic, frame('snapshot'));
  };
  target.on?.('watch', onWatch);
  const timer = setInterval(tickOnce, options.intervalMs ?? 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    target.off?.('watch', onWatch);
  };
}
