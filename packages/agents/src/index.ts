/**
 * @hydra-logger/agents: multi-agent tracking for hydra-logger. Everything public is exported here.
 */
export { HISTOGRAM_BUCKETS, Histogram } from './analytics/histogram.js';
export { A2A_STATES, ATTR, MESSAGING_SYSTEM, OPERATION, TERMINAL_STATES } from './attributes.js';
export { AgentHandle } from './handle.js';
export type { AgentLimits, DetectorOptions } from './limits.js';
export { AGENT_LIMITS, DETECTOR_DEFAULTS } from './limits.js';
export type { EventTarget, LiveEdge, LiveFrame, LiveNode } from './live.js';
export { publishLive } from './live.js';
export { MultiAgentSystemPlugin } from './plugin.js';
export type { RecordSink } from './records.js';
export type { AgentTrackerOptions, TrackerLogger, TrackerStats } from './tracker.js';
export { AgentTracker } from './tracker.js';
export type {
  AgentAlert,
  AgentAnalytics,
  AgentInfo,
  AlertKind,
  CommunicationGraph,
  ConversationEvent,
  GraphEdge,
  GraphNode,
  LatencySummary,
  ProcessOutcome,
  SendOptions,
  SystemAnalytics,
} from './types.js';
