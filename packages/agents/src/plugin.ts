import type { Fields, LogRecord, PluginContext } from 'hydra-logger';
import { ATTR } from './attributes.js';
import type { AgentHandle } from './handle.js';
import { AgentTracker, type AgentTrackerOptions } from './tracker.js';
import type { AgentAnalytics, SendOptions, SystemAnalytics } from './types.js';

/**
 * Multi-agent tracking as a logger plugin: `logger.addPlugin('agents', new MultiAgentSystemPlugin())`.
 * Its {@link AgentTracker} (`plugin.tracker`) writes its records through that logger. As an
 * analytics plugin it sees every record of the logger: it adds the agent's attributes to records
 * logged inside `agent.run(fn)`, and applies records of other processes' trackers that reach this
 * logger (e.g. through the bridge's ingest) to its tracker.
 *
 * `new AgentTracker({ logger })` is the same tracker without the plugin (no per-record hook).
 */
export class MultiAgentSystemPlugin {
  static readonly pluginName = 'multi_agent_system';
  name = 'multi_agent_system';
  readonly options: Readonly<AgentTrackerOptions>;
  readonly tracker: AgentTracker;

  constructor(options: Omit<AgentTrackerOptions, 'logger'> = {}) {
    this.options = options;
    this.tracker = new AgentTracker(options);
  }

  /** Called by the logger when the plugin is added. */
  init(context: PluginContext): void {
    const layer = this.tracker.layer;
    this.tracker.useSink((level, message, fields) => context.log(level, layer, message, fields));
  }

  /** Called by the logger for every record (after redaction). */
  processEvent(record: LogRecord): LogRecord {
    const f = record.fields;
    if (record.layer === this.tracker.layer && f !== undefined) {
      const origin = f[ATTR.origin];
      if (typeof origin === 'string' && origin !== this.tracker.origin) this.tracker.ingest(record);
      return record;
    }
    const ctx = this.tracker.currentContext();
    if (ctx === undefined) return record;
    record.fields = f === undefined ? { ...ctx } : ({ ...ctx, ...f } as Fields);
    return record;
  }

  close(): void {
    this.tracker.close();
  }

  getInsights(): ReturnType<AgentTracker['stats']> {
    return this.tracker.stats();
  }

  // The older API, on the plugin itself.

  /** `registerAgent('agent_1', 'llm', { model: 'gpt-4' })`, or the object form. */
  registerAgent(...args: Parameters<AgentTracker['registerAgent']>): AgentHandle {
    return this.tracker.registerAgent(...args);
  }

  logCommunication(fromId: string, toId: string, message: unknown, meta?: SendOptions): string {
    return this.tracker.logCommunication(fromId, toId, message, meta);
  }

  getAgentAnalytics(): SystemAnalytics;
  getAgentAnalytics(id: string): AgentAnalytics | undefined;
  getAgentAnalytics(id?: string): AgentAnalytics | SystemAnalytics | undefined {
    return id === undefined ? this.tracker.getAgentAnalytics() : this.tracker.getAgentAnalytics(id);
  }

  getCommunicationGraph(): ReturnType<AgentTracker['getCommunicationGraph']> {
    return this.tracker.getCommunicationGraph();
  }
}
