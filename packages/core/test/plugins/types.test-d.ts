// Type-level tests of the plugin API: checked by `tsc -p packages/core/tsconfig.json` (npm run
// lint), never executed. Each `@ts-expect-error` line must fail to compile; the rest must compile.
import { expectTypeOf } from 'vitest';
import {
  AnalyticsPlugin,
  FormatterPlugin,
  HandlerPlugin,
  HydraLogger,
  type LogDestination,
  type LoggingConfig,
  type LogRecord,
  type PerformanceMetrics,
  PerformancePlugin,
  type Plugin,
  type PluginClass,
  type PluginContext,
  type PluginHandler,
  type PluginInfo,
  type PluginInsights,
  registerPlugin,
  SecurityPlugin,
  type SecurityVerdict,
} from '../../src/index.js';

const logger = new HydraLogger();

// ---- correct plugins compile ----------------------------------------------------------------

class Enrich extends AnalyticsPlugin<{ region: string }> {
  override init(context: PluginContext): void {
    context.log('info', 'PLUGIN', `added as ${context.name}`);
  }
  processEvent(record: LogRecord): LogRecord | null {
    return { ...record, fields: { ...record.fields, region: this.options.region } };
  }
  override getInsights(): { region: string } {
    return { region: this.options.region };
  }
}
class Pipe extends FormatterPlugin {
  readonly formatName = 'pipe';
  format(record: LogRecord): string {
    return `${record.levelName}|${record.message}`;
  }
}
class Sink extends HandlerPlugin {
  readonly destinationType = 'sink';
  createHandler(destination: Readonly<LogDestination>): PluginHandler {
    void destination.options;
    return { emit: (line: string) => void line, flush: async () => {}, close: () => {} };
  }
}
class Guard extends SecurityPlugin {
  override readonly failClosed = true;
  inspect(record: Readonly<LogRecord>): SecurityVerdict {
    if (record.message.includes('DROP')) return this.block('sql');
    return record.fields?.card === undefined ? this.allow() : this.redact('fields.card', ['fields', 'a.b']);
  }
}
class Timing extends PerformancePlugin {
  override readonly sampleEvery = 10;
  override onRecord(record: LogRecord, durationNs: number): void {
    void record;
    void durationNs;
  }
  override onMetrics(metrics: PerformanceMetrics): void {
    void metrics.pluginEvents;
  }
}

logger
  .addPlugin('enrich', new Enrich({ region: 'eu' }))
  .addPlugin('pipe', new Pipe())
  .addPlugin('sink', new Sink())
  .addPlugin('guard', new Guard())
  .addPlugin('timing', new Timing());
// Plain objects with the hooks of a role are plugins too.
logger.addPlugin('plain', { processEvent: (r: LogRecord) => r });
logger.addPlugin('plain-security', { inspect: (): SecurityVerdict => ({ action: 'allow' }) });
logger.addPlugin('plain-metrics', { metricsIntervalMs: 0, onMetrics: (m: PerformanceMetrics) => void m });

registerPlugin('enrich', Enrich);
registerPlugin('guard', Guard, 'security');

// The decorator form (TypeScript 5 standard decorators).
@registerPlugin('decorated')
class Decorated extends AnalyticsPlugin {
  processEvent(record: LogRecord) {
    return record;
  }
}
void Decorated;

expectTypeOf(logger.getPluginInsights()).toEqualTypeOf<Record<string, PluginInsights>>();
expectTypeOf(logger.removePlugin('x')).toEqualTypeOf<boolean>();
expectTypeOf(registerPlugin('x', Enrich)).toEqualTypeOf<typeof Enrich>();
expectTypeOf<PluginInfo['type']>().toEqualTypeOf<
  'security' | 'analytics' | 'formatter' | 'handler' | 'performance'
>();
expectTypeOf<Parameters<AnalyticsPlugin['processEvent']>>().toEqualTypeOf<[record: LogRecord]>();
expectTypeOf<ReturnType<AnalyticsPlugin['processEvent']>>().toEqualTypeOf<LogRecord | null | undefined>();
expectTypeOf<Enrich>().toMatchTypeOf<Plugin>();
expectTypeOf<typeof Enrich>().toMatchTypeOf<PluginClass>();

const config: LoggingConfig = {
  enablePlugins: true,
  plugins: [
    { name: 'requests', path: './request-counter.mjs', options: { slowMs: 500 } },
    { name: 'g', plugin: 'guard' },
  ],
  layers: { A: { destinations: [{ type: 'sink', format: 'pipe', options: { url: 'x' } }] } },
};
void config;

// ---- wrong hook signatures do not compile ---------------------------------------------------

class WrongParam extends AnalyticsPlugin {
  // @ts-expect-error processEvent takes a LogRecord, not a string
  processEvent(record: string): LogRecord {
    return record as unknown as LogRecord;
  }
}
class WrongReturn extends AnalyticsPlugin {
  // @ts-expect-error processEvent returns a record (or null), not a string
  processEvent(record: LogRecord): string {
    return record.message;
  }
}
class ForgotReturn extends AnalyticsPlugin {
  // @ts-expect-error a processEvent without `return` would drop every record
  processEvent(record: LogRecord) {
    void record;
  }
}
class FormatNumber extends FormatterPlugin {
  readonly formatName = 'n';
  // @ts-expect-error format returns a string
  format(record: LogRecord): number {
    return record.level;
  }
}
// @ts-expect-error a formatter plugin needs a formatName
class NoFormatName extends FormatterPlugin {
  format(record: LogRecord): string {
    return record.message;
  }
}
class BadHandler extends HandlerPlugin {
  readonly destinationType = 'bad';
  // @ts-expect-error createHandler returns { emit(line, record) … }
  createHandler(): { write(line: string): void } {
    return { write() {} };
  }
}
class WideVerdict extends SecurityPlugin {
  inspect(): SecurityVerdict {
    // @ts-expect-error a verdict action is 'allow' | 'redact' | 'block'
    return { action: 'nuke' };
  }
}
class WideningVerdict extends SecurityPlugin {
  // @ts-expect-error without the SecurityVerdict return type, { action: 'allow' } widens to { action: string }
  inspect() {
    return { action: 'allow' };
  }
}
class BadTiming extends PerformancePlugin {
  // @ts-expect-error durationNs is a number
  override onRecord(record: LogRecord, durationNs: string): void {
    void record;
    void durationNs;
  }
}
class BadInit extends AnalyticsPlugin {
  // @ts-expect-error init takes a PluginContext
  override init(context: number): void {
    void context;
  }
  processEvent(record: LogRecord) {
    return record;
  }
}
void [
  WrongParam,
  WrongReturn,
  ForgotReturn,
  FormatNumber,
  NoFormatName,
  BadHandler,
  WideVerdict,
  WideningVerdict,
  BadTiming,
  BadInit,
];

// @ts-expect-error an object without any hook is not a plugin
logger.addPlugin('empty', {});
// @ts-expect-error a hook with the wrong parameter type
logger.addPlugin('wrong', { processEvent: (r: string) => r });
// @ts-expect-error a performance plugin needs onRecord or onMetrics
logger.addPlugin('idle', { sampleEvery: 5 });
// @ts-expect-error a class without hooks cannot be registered
registerPlugin('nothing', class Nothing {});
// @ts-expect-error an abstract base class cannot be registered
registerPlugin('abstract', AnalyticsPlugin);
// @ts-expect-error not a plugin type
registerPlugin('typo', Enrich, 'analytic');
// @ts-expect-error plugin options in config are an object
const badConfig: LoggingConfig = { plugins: [{ name: 'x', options: 'fast' }] };
void badConfig;
