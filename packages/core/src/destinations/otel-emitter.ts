import { severityNumber } from '../delivery/encode/otlp.js';
import { hydraVersion } from '../delivery/otlp-settings.js';
import { nodeRequire } from '../internal/builtins.js';
import { otelTraceFields } from '../record/otel-trace.js';
import type { Fields, LogRecord } from '../record/record.js';
import type { DestinationContext } from './context.js';
import type { Destination, DestinationStats, ErrorReporter } from './destination.js';

/** The part of `@opentelemetry/api-logs` used here (the package is an optional peer dependency). */
interface LogsApi {
  logs: { getLoggerProvider(): OtelLoggerProvider };
}
interface OtelLoggerProvider {
  getLogger(name: string, version?: string): OtelLogger;
}
interface OtelLogger {
  emit(record: {
    timestamp: number;
    severityNumber: number;
    severityText: string;
    body: string;
    attributes: Record<string, unknown>;
    context?: unknown;
  }): void;
}

/** The package the `otel` destination emits through. */
export const OTEL_LOGS_PACKAGE = '@opentelemetry/api-logs';

/** `@opentelemetry/api-logs`, loaded on the first `otel` destination (resolved from hydra-logger's own place). */
export function loadLogsApi(): LogsApi {
  return nodeRequire(OTEL_LOGS_PACKAGE) as LogsApi;
}

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const TRACE_KEYS = ['trace_id', 'span_id', 'trace_flags'] as const;

/**
 * `{ type: 'otel' }`: each record is emitted to the global OpenTelemetry `LoggerProvider`
 * (`logs.getLoggerProvider()` of `@opentelemetry/api-logs`), so hydra's records go through the
 * program's own OTel pipeline (its processors, exporters and resource). The provider is looked up
 * per record (a provider registered after the logger is created, or replaced, is used); its logger
 * `hydra-logger` is kept while the provider stays the same. Each record becomes a LogRecord with
 * `timestamp` (the record's time), `severityNumber`/`severityText` (OTLP's mapping of the level),
 * `body` (the message), `attributes` (the fields, `hydra.layer`) and `context` (the active
 * OpenTelemetry context, so the SDK takes the trace and span ids from the active span).
 */
export class OtelDestination implements Destination {
  readonly type = 'otel';
  /** Records are emitted as data; no line is formatted for them. */
  readonly formatter = undefined;
  #records = 0;
  #emitted = 0;
  #errors = 0;
  readonly #dropped: Record<string, number> = {};
  #provider: OtelLoggerProvider | undefined;
  #logger: OtelLogger | undefined;
  #closed = false;

  constructor(
    readonly id: string,
    readonly minLevel: number,
    private readonly api: LogsApi,
    private readonly version: string | undefined,
    private readonly report: ErrorReporter,
  ) {}

  write(_line: string, record: LogRecord): void {
    this.#records++;
    if (this.#closed) {
      this.#drop('closed');
      return;
    }
    try {
      const provider = this.api.logs.getLoggerProvider();
      if (provider !== this.#provider || this.#logger === undefined) {
        this.#logger = provider.getLogger('hydra-logger', this.version);
        this.#provider = provider;
      }
      const ctx = activeContext();
      this.#logger.emit({
        timestamp: record.time,
        severityNumber: severityNumber(record.level),
        severityText: record.levelName,
        body: record.message,
        attributes: attributesOf(record),
        ...(ctx !== undefined && { context: ctx }),
      });
      this.#emitted++;
    } catch (err) {
      // The program's own OTel processors or exporters threw: the record is dropped, counted, reported once.
      this.#errors++;
      this.#drop('emit_error');
      const e = (err instanceof Error ? err : new Error(String(err))) as NodeJS.ErrnoException;
      if (e.code === undefined) e.code = 'OTEL_EMIT';
      this.report(this.id, e);
    }
  }

  #drop(reason: string): void {
    this.#dropped[reason] = (this.#dropped[reason] ?? 0) + 1;
  }

  flushSync(): void {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {
    // The provider belongs to the program: flushing and shutting it down is the program's call.
    this.#closed = true;
  }
  reopen(): void {}

  stats(): DestinationStats {
    return {
      type: this.type,
      records: this.#records,
      pending: 0,
      bytesWritten: 0,
      writes: this.#emitted,
      flushes: 0,
      retries: 0,
      errors: this.#errors,
      dropped: { ...this.#dropped },
    };
  }
}

/** The active OpenTelemetry context (what `context.active()` returns), read through the API's global; `undefined` without one. */
function activeContext(): unknown {
  const api = (globalThis as unknown as Record<symbol, { context?: { active?: () => unknown } } | undefined>)[
    API_KEY
  ];
  if (api === undefined) return undefined;
  try {
    const manager = api.context;
    return typeof manager?.active === 'function' ? manager.active() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record's fields and `hydra.layer`. `trace_id`, `span_id` and `trace_flags` are left out when
 * they are those of the active span (trace correlation added them; the SDK takes them from `context`).
 */
function attributesOf(record: LogRecord): Record<string, unknown> {
  const out: Fields = {};
  const f = record.fields;
  if (f !== undefined) {
    const trace = f.trace_id === undefined ? undefined : otelTraceFields();
    for (const k in f) {
      if (!Object.hasOwn(f, k)) continue;
      if (
        trace !== undefined &&
        (TRACE_KEYS as readonly string[]).includes(k) &&
        f[k] === trace[k as keyof typeof trace]
      )
        continue;
      out[k] = f[k];
    }
  }
  out['hydra.layer'] = record.layer;
  if (record.kind !== undefined) out['hydra.kind'] = record.kind;
  const c = record.caller;
  if (c !== undefined) {
    out['code.file.path'] = c.file;
    out['code.line.number'] = c.line;
    out['code.column.number'] = c.column;
    if (c.function !== '') out['code.function.name'] = c.function;
  }
  return out;
}

/** The `otel` destination (network chunk): loads `@opentelemetry/api-logs` (config validation checked that it resolves). */
export function createOtelDestination(id: string, minLevel: number, ctx: DestinationContext): Destination {
  return new OtelDestination(id, minLevel, loadLogsApi(), hydraVersion(), ctx.report);
}
