// Plugins: register a plugin class, add an instance to a logger, read its insights.
import {
  AnalyticsPlugin,
  HydraLogger,
  type LogRecord,
  listPlugins,
  registerPlugin,
  unregisterPlugin,
} from 'hydra-logger';
import RequestCounter from './plugins/request-counter.js';

class TagPlugin extends AnalyticsPlugin {
  seen = 0;
  processEvent(record: LogRecord): LogRecord {
    this.seen++;
    return { ...record, fields: { ...record.fields, tagged: true } };
  }
  override getInsights() {
    return { seen: this.seen };
  }
}

registerPlugin('tagger', TagPlugin);
if (!listPlugins().some((p) => p.name === 'tagger')) throw new Error('tagger not registered');

const logger = new HydraLogger({
  config: { layers: { DEFAULT: { destinations: [{ type: 'memory', name: 'm' }] } } },
});
logger.addPlugin('tagger', new TagPlugin());
logger.addPlugin('requests', new RequestCounter({ slowMs: 100 }));
logger.info('HTTP', 'request', {
  method: 'GET',
  path: '/items',
  status: 200,
  durationMs: 250,
  password: 'p',
});
logger.info('HTTP', 'health', { method: 'GET', path: '/healthz', status: 200, durationMs: 1 });

const lines =
  logger
    .memory('m')
    ?.lines()
    .map((l) => JSON.parse(l)) ?? [];
if (lines.length !== 1 || lines[0].tagged !== true || lines[0].password !== '[REDACTED]')
  throw new Error(JSON.stringify(lines));
// Per plugin: calls, errors, drops, time spent, and the plugin's own insights.
const insights = logger.getPluginInsights() as Record<
  string,
  { insights: { total?: number; seen?: number }; dropped: number }
>;
if (
  insights.requests?.insights.total !== 1 ||
  insights.requests.dropped !== 1 ||
  insights.tagger?.insights.seen !== 2
)
  throw new Error(JSON.stringify(insights));
await logger.close();
unregisterPlugin('tagger');
console.log('example ok: plugins');
