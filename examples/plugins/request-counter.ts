// A complete analytics plugin (docs/plugins.md walks through it): counts HTTP requests by route
// and status class, numbers them, flags the slow ones, and drops health checks.
//
//   logger.addPlugin('requests', new RequestCounter({ slowMs: 500 }));
//   // or in a config file:  plugins: [{ name: requests, path: ./request-counter.mjs, options: { slowMs: 500 } }]
//
// The core tests run it through the public API (packages/core/test/plugins/example.test.ts).
import { AnalyticsPlugin, type LogRecord, type PluginContext } from 'hydra-logger';

export interface RequestCounterOptions {
  /** The layer whose records are requests (default `HTTP`). */
  layer?: string;
  /** Requests at least this long (field `durationMs`) get `slow: true` (default 1000). */
  slowMs?: number;
  /** Paths whose records are dropped (default `['/healthz']`). */
  dropPaths?: string[];
}

export interface RequestCounterInsights {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  slow: number;
  dropped: number;
}

export default class RequestCounter extends AnalyticsPlugin<RequestCounterOptions> {
  /** The name `loadPluginFromPath` (and a config `path` entry) registers this class under. */
  static pluginName = 'request-counter';

  #layer = 'HTTP';
  #slowMs = 1000;
  #dropPaths = new Set(['/healthz']);
  #total = 0;
  #slow = 0;
  #dropped = 0;
  readonly #byRoute = new Map<string, number>();
  readonly #byStatus = new Map<string, number>();

  // Options may come from a config file: check them here, where a bad value fails loudly (HYDRA_E_PLUGIN_INIT).
  override init(_context: PluginContext): void {
    const { layer = 'HTTP', slowMs = 1000, dropPaths = ['/healthz'] } = this.options;
    if (typeof slowMs !== 'number' || slowMs < 0)
      throw new Error(`slowMs must be a number ≥ 0, got ${slowMs}`);
    this.#layer = layer;
    this.#slowMs = slowMs;
    this.#dropPaths = new Set(dropPaths);
  }

  // Called for every record, after redaction: return it (changed or not), or null to drop it.
  processEvent(record: LogRecord): LogRecord | null {
    if (record.layer !== this.#layer || record.fields === undefined) return record;
    const { method, path, status, durationMs } = record.fields;
    if (typeof method !== 'string' || typeof path !== 'string') return record;
    if (this.#dropPaths.has(path)) {
      this.#dropped++;
      return null; // counted by the logger as dropped["plugin:<name>"]
    }
    this.#total++;
    const route = `${method} ${path}`;
    this.#byRoute.set(route, (this.#byRoute.get(route) ?? 0) + 1);
    if (typeof status === 'number') {
      const cls = `${Math.floor(status / 100)}xx`;
      this.#byStatus.set(cls, (this.#byStatus.get(cls) ?? 0) + 1);
    }
    // The record is this plugin's own shallow copy: enrich it in place.
    record.fields.requestNo = this.#total;
    if (typeof durationMs === 'number' && durationMs >= this.#slowMs) {
      this.#slow++;
      record.fields.slow = true;
    }
    return record;
  }

  override getInsights(): RequestCounterInsights {
    return {
      total: this.#total,
      byRoute: Object.fromEntries(this.#byRoute),
      byStatus: Object.fromEntries(this.#byStatus),
      slow: this.#slow,
      dropped: this.#dropped,
    };
  }
}
