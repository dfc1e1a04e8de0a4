import type { AgentAnalytics, CommunicationGraph, LatencySummary, SystemAnalytics } from '../types.js';
import { type AgentEntry, rateOf } from './entries.js';
import type { Histogram } from './histogram.js';
import type { AgentModel } from './model.js';

/** The answers of `getAgentAnalytics` and `getCommunicationGraph`, read from the model. */

export function summary(h: Histogram): LatencySummary {
  return {
    count: h.count,
    p50: h.quantile(0.5),
    p95: h.quantile(0.95),
    p99: h.quantile(0.99),
    max: Math.round(h.max * 1000) / 1000,
    mean: h.count === 0 ? 0 : Math.round((h.sum / h.count) * 1000) / 1000,
  };
}

export function analyticsOf(a: AgentEntry, now: number): AgentAnalytics {
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

export function systemAnalytics(model: AgentModel, now: number, alerts: number): SystemAnalytics {
  const agents = [...model.agents.values()].map((a) => analyticsOf(a, now));
  const t = model.totals;
  return {
    agents,
    totals: {
      agents: agents.length,
      messages: t.messages,
      errors: t.errors,
      tokens: t.inputTokens + t.outputTokens,
      costUsd: t.costUsd,
      alerts,
    },
  };
}

export function communicationGraph(model: AgentModel, now: number, rateWindowMs: number): CommunicationGraph {
  return {
    nodes: [...model.agents.values()].map((a) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      parentId: a.parentId,
      state: a.state,
      messagesIn: a.messagesIn,
      messagesOut: a.messagesOut,
      errors: a.errors,
    })),
    edges: [...model.edges.values()].map((e) => ({
      from: e.from,
      to: e.to,
      count: e.count,
      rate: rateOf(e, now, rateWindowMs),
      p95Ms: e.latency.quantile(0.95),
      errors: e.errors,
      tokens: e.tokens,
      bytes: e.bytes,
    })),
    evictedEdges: model.edges.evicted,
  };
}
