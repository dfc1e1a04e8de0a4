/**
 * Trace correlation with OpenTelemetry, without importing it. `@opentelemetry/api` (1.x) keeps its
 * registered globals (the context manager among them) in one object at
 * `globalThis[Symbol.for('opentelemetry.js.api.1')]`, and the active span under the context key
 * `Symbol.for('OpenTelemetry Context Key SPAN')`. Reading them here is what the API's
 * `trace.getSpanContext(context.active())` does, so a program without OpenTelemetry loads nothing
 * and pays one property read per record.
 */

/** The fields a record gets while an OpenTelemetry span is active (the OTel log data model's names). */
// A type, not an interface: it is assignable to `Fields` (records' fields).
export type TraceFields = {
  /** 32 lowercase hex digits. */
  trace_id: string;
  /** 16 lowercase hex digits. */
  span_id: string;
  /** The W3C trace flags as 2 hex digits (`01` = sampled). */
  trace_flags: string;
};

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

type Slots = Record<symbol, unknown>;
// A property of the global object that exists is read through V8's property cell (under 1 ns); one
// that does not is a dictionary miss on every read (~6 ns). So the slot is made to exist, holding
// `undefined` until the API fills it: the API writes it with `globalThis[key] ??= { version }`,
// which treats `undefined` as absent, and reads it only through `?.`.
if (!(API_KEY in globalThis)) (globalThis as unknown as Slots)[API_KEY] = undefined;

/** The trace fields of the active OpenTelemetry span, or `undefined` (no API registered, no span, invalid ids). */
export function otelTraceFields(): TraceFields | undefined {
  const api = (globalThis as unknown as Slots)[API_KEY];
  return api === undefined ? undefined : fromApi(api);
}

// The span context met last and what it was checked to be: records of one span check nothing again.
let lastTrace = '';
let lastSpan = '';
let lastFlags = -1;
let lastFlagsHex = '';

/** Never throws: a broken or hostile global (a throwing getter, a Proxy) gives no fields. */
function fromApi(api: unknown): TraceFields | undefined {
  try {
    const manager = (api as { context?: { active?: () => unknown } }).context;
    if (typeof manager?.active !== 'function') return undefined;
    const ctx = manager.active() as { getValue?: (key: symbol) => unknown } | undefined;
    if (typeof ctx?.getValue !== 'function') return undefined;
    const span = ctx.getValue(SPAN_KEY) as { spanContext?: () => unknown } | undefined;
    if (typeof span?.spanContext !== 'function') return undefined;
    const sc = span.spanContext() as
      | { traceId?: unknown; spanId?: unknown; traceFlags?: unknown }
      | undefined;
    if (sc === undefined || sc === null) return undefined;
    const { traceId, spanId, traceFlags } = sc;
    // Compared with what was read last (the API's ids are lowercase; an upper-case one is checked each time).
    if (traceId !== lastTrace || spanId !== lastSpan || traceFlags !== lastFlags) {
      if (!isId(traceId, 32) || !isId(spanId, 16)) return undefined;
      const flags =
        typeof traceFlags === 'number' && traceFlags >= 0 && traceFlags <= 255 ? traceFlags | 0 : 0;
      lastTrace = traceId.toLowerCase();
      lastSpan = spanId.toLowerCase();
      lastFlags = flags;
      lastFlagsHex = (flags < 16 ? '0' : '') + flags.toString(16);
    }
    return { trace_id: lastTrace, span_id: lastSpan, trace_flags: lastFlagsHex };
  } catch {
    return undefined;
  }
}

/** `length` hex digits, not all zero (the OTel API's rule for a valid id). */
export function isId(s: unknown, length: number): s is string {
  if (typeof s !== 'string' || s.length !== length) return false;
  let nonZero = false;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x30) continue;
    if (!((c > 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))) return false;
    nonZero = true;
  }
  return nonZero;
}
