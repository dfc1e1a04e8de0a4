import type { HandlerDestination } from '../config/types.js';
import type { PerformanceMetrics } from '../metrics/performance.js';
import type { LogRecord } from '../record/record.js';
import type {
  AnalyticsHooks,
  FormatterHooks,
  HandlerHooks,
  PluginBaseHooks,
  PluginContext,
  PluginHandler,
  PluginType,
  SecurityHooks,
  SecurityVerdict,
} from './types.js';

/**
 * The root of the plugin classes. `options` are what the plugin was constructed with (from
 * config: `plugins[].options`, copied and checked for prototype-pollution keys). `name` is set to
 * the name it was added under. Hooks are synchronous; see docs/plugins.md.
 */
export abstract class HydraPlugin<Options extends object = Record<string, unknown>>
  implements PluginBaseHooks
{
  /** The role of the base class; how `registerPlugin` and `addPlugin` tell the type without `instanceof`. */
  static readonly pluginType: PluginType | undefined = undefined;
  name: string;
  readonly options: Readonly<Options>;

  constructor(options?: Options) {
    this.options = options ?? ({} as Options);
    this.name = new.target.name;
  }

  /** Called once when the plugin is added to a logger; a throw there makes `addPlugin` (or the constructor) fail. */
  init?(context: PluginContext): void;
  /** Called once when the plugin is removed or the logger is closed (awaited by `close()`). */
  close?(): void | Promise<void>;
  /** Shown by `getPluginInsights()`. */
  getInsights?(): unknown;
}

/**
 * Sees every record after redaction and security plugins, before the audit chain: may enrich it
 * (change it and return it), replace it (return another record) or drop it (return `null` or
 * `undefined`; counted as `dropped["plugin:<name>"]`). The record it gets is its own shallow copy.
 */
export abstract class AnalyticsPlugin<Options extends object = Record<string, unknown>>
  extends HydraPlugin<Options>
  implements AnalyticsHooks
{
  static override readonly pluginType: PluginType = 'analytics';
  abstract processEvent(record: LogRecord): LogRecord | null | undefined;
}

/**
 * A format usable by name in config (`format: <formatName>`). Its output is made one line by the
 * core: a trailing newline is optional, and any other control character (CR, LF, U+2028, ESC …)
 * is escaped as `\n`, `\x1b` …, as in the built-in formats.
 */
export abstract class FormatterPlugin<Options extends object = Record<string, unknown>>
  extends HydraPlugin<Options>
  implements FormatterHooks
{
  static override readonly pluginType: PluginType = 'formatter';
  abstract readonly formatName: string;
  abstract format(record: LogRecord): string;
}

/** Provides a destination `type` the core does not know: one handler per destination of that type. */
export abstract class HandlerPlugin<Options extends object = Record<string, unknown>>
  extends HydraPlugin<Options>
  implements HandlerHooks
{
  static override readonly pluginType: PluginType = 'handler';
  abstract readonly destinationType: string;
  abstract createHandler(destination: Readonly<HandlerDestination>): PluginHandler;
}

/**
 * Inspects every record right after the core redaction (before analytics plugins and the audit
 * chain) and returns a verdict: allow, redact more paths, or block. See {@link SecurityVerdict}.
 */
export abstract class SecurityPlugin<Options extends object = Record<string, unknown>>
  extends HydraPlugin<Options>
  implements SecurityHooks
{
  static override readonly pluginType: PluginType = 'security';
  /** When `inspect` throws or returns a non-verdict: `false` lets the record go on, `true` drops it. */
  readonly failClosed: boolean = false;
  abstract inspect(record: Readonly<LogRecord>): SecurityVerdict;

  protected allow(): SecurityVerdict {
    return { action: 'allow' };
  }
  protected redact(...paths: (string | readonly (string | number)[])[]): SecurityVerdict {
    return { action: 'redact', paths };
  }
  protected block(reason?: string): SecurityVerdict {
    return reason === undefined ? { action: 'block' } : { action: 'block', reason };
  }
}

/**
 * Watches the logger's cost: `onRecord(record, durationNs)` for one record in `sampleEvery`
 * (the time from the start of the log call, after the level check, to the end of dispatch), and
 * `onMetrics(getPerformanceMetrics())` every `metricsIntervalMs` and once more at close.
 * Implement either or both.
 */
export abstract class PerformancePlugin<
  Options extends object = Record<string, unknown>,
> extends HydraPlugin<Options> {
  static override readonly pluginType: PluginType = 'performance';
  readonly sampleEvery: number = 100;
  readonly metricsIntervalMs: number = 10_000;
  onRecord?(record: LogRecord, durationNs: number): void;
  onMetrics?(metrics: PerformanceMetrics): void;
}
