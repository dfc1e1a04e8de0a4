import { LEVELS } from '../../record/levels.js';
import { isId } from '../../record/otel-trace.js';
import type { Fields, LogRecord } from '../../record/record.js';
import type { SendResult } from '../types.js';

/**
 * OTLP/HTTP JSON (the protobuf JSON mapping of `opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest`):
 * field names in lowerCamelCase, enums as numbers, 64-bit integers as decimal strings, `traceId` and
 * `spanId` as hex (the OTLP exception to the mapping's base64 for bytes). One record becomes one
 * `LogRecord` object; a batch is one request ({@link otlpEnvelope}).
 */

/** An attribute value as OTLP carries it (`opentelemetry.proto.common.v1.AnyValue`). */
export type OtlpAttributeValue = string | number | boolean | null | readonly OtlpAttributeValue[] | object;

/**
 * OTel severity number of a level: TRACE 1, DEBUG 5, INFO 9, WARNING 13, ERROR 17, CRITICAL 21
 * (OpenTelemetry's TRACE, DEBUG, INFO, WARN, ERROR, FATAL). A number between two levels takes the
 * lower level's range, moved up by how far it is toward the next (`25` → INFO3, 11); NOTSET (0) is
 * UNSPECIFIED (0), 1–4 are TRACE (1), 50 and above FATAL to FATAL4 (21–24).
 */
export function severityNumber(level: number): number {
  if (!(level > 0)) return 0;
  if (level < LEVELS.TRACE) return 1;
  if (level < LEVELS.DEBUG) return 1 + step(level - LEVELS.TRACE, LEVELS.DEBUG - LEVELS.TRACE);
  if (level < LEVELS.INFO) return 5 + step(level - LEVELS.DEBUG, LEVELS.INFO - LEVELS.DEBUG);
  if (level < LEVELS.WARNING) return 9 + step(level - LEVELS.INFO, LEVELS.WARNING - LEVELS.INFO);
  if (level < LEVELS.ERROR) return 13 + step(level - LEVELS.WARNING, LEVELS.ERROR - LEVELS.WARNING);
  if (level < LEVELS.CRITICAL) return 17 + step(level - LEVELS.ERROR, LEVELS.CRITICAL - LEVELS.ERROR);
  return 21 + step(level - LEVELS.CRITICAL, 10);
}

/** 0–3: which quarter of a level's range `offset` falls in. */
const step = (offset: number, width: number): number => Math.min(3, Math.floor((offset * 4) / width));

/** The fields OTLP carries as `traceId`, `spanId` and `flags` instead of attributes, and the keys they came from. */
export interface RecordTrace {
  traceId: string;
  spanId: string;
  flags: number;
  keys: ReadonlySet<string>;
}

/** Trace correlation's names (the OTel log data model's), then the `hydra-logger/http` middleware's (from `traceparent`). */
const TRACE_NAMES = [
  ['trace_id', 'span_id', 'trace_flags'],
  ['traceId', 'spanId', 'traceFlags'],
] as const;
const TRACE_KEYS = TRACE_NAMES.map((names) => new Set<string>(names));

/**
 * The record's trace context from its `trace_id`, `span_id` and `trace_flags` fields (what trace
 * correlation adds while an OpenTelemetry span is active), else from `traceId`, `spanId` and
 * `traceFlags` (what the `hydra-logger/http` middleware adds from a `traceparent` header), when
 * they are valid ids; `undefined` else.
 */
export function recordTrace(fields: Fields | undefined): RecordTrace | undefined {
  if (fields === undefined) return undefined;
  for (let i = 0; i < TRACE_NAMES.length; i++) {
    const [t, s, fl] = TRACE_NAMES[i] as (typeof TRACE_NAMES)[number];
    const traceId = fields[t];
    const spanId = fields[s];
    if (!isId(traceId, 32) || !isId(spanId, 16)) continue;
    const f = fields[fl];
    let flags = 0;
    if (typeof f === 'string' && /^[0-9a-fA-F]{2}$/.test(f)) flags = Number.parseInt(f, 16);
    else if (typeof f === 'number' && Number.isInteger(f) && f >= 0 && f <= 255) flags = f;
    return {
      traceId: traceId.toLowerCase(),
      spanId: spanId.toLowerCase(),
      flags,
      keys: TRACE_KEYS[i] as ReadonlySet<string>,
    };
  }
  return undefined;
}

/** Deeper values are sent as the string `[Depth]` (records are normalized well within this). */
const MAX_DEPTH = 32;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const hasOwn = Object.prototype.hasOwnProperty;

/** JSON of an `AnyValue` holding `v`. */
export function anyValue(v: unknown, depth = 0): string {
  switch (typeof v) {
    case 'string':
      return `{"stringValue":${JSON.stringify(v)}}`;
    case 'boolean':
      return v ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'number':
      if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}`;
      // The protobuf JSON mapping writes the non-finite doubles as strings.
      if (Number.isNaN(v)) return '{"doubleValue":"NaN"}';
      if (!Number.isFinite(v)) return v > 0 ? '{"doubleValue":"Infinity"}' : '{"doubleValue":"-Infinity"}';
      return `{"doubleValue":${v}}`;
    case 'bigint':
      if (v >= INT64_MIN && v <= INT64_MAX) return `{"intValue":"${v}"}`;
      return `{"stringValue":"${v}"}`;
    case 'object': {
      if (v === null) return '{}';
      if (depth >= MAX_DEPTH) return '{"stringValue":"[Depth]"}';
      if (Array.isArray(v)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + anyValue(v[i], depth + 1);
        return `${out}]}}`;
      }
      if (v instanceof Uint8Array)
        return `{"bytesValue":"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"}`;
      if (v instanceof Date) return anyValue(Number.isNaN(v.getTime()) ? null : v.toISOString(), depth);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return anyValue(toJSON.call(v), depth + 1);
      return `{"kvlistValue":{"values":${keyValues(v as Fields, depth + 1)}}}`;
    }
    default:
      // undefined, functions and symbols have no value (JSON.stringify leaves them out too).
      return '{}';
  }
}

/** JSON of a `KeyValue[]` of an object's own enumerable keys (those holding `undefined`, a function or a symbol left out). */
function keyValues(o: Fields, depth: number, skip?: ReadonlySet<string>): string {
  let out = '[';
  for (const k in o) {
    if (!hasOwn.call(o, k) || skip?.has(k)) continue;
    const v = o[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += `${out.length > 1 ? ',' : ''}{"key":${JSON.stringify(k)},"value":${anyValue(v, depth)}}`;
  }
  return `${out}]`;
}

/**
 * One OTLP `LogRecord` as JSON: `timeUnixNano` (the record's time), `observedTimeUnixNano`
 * (`observedMs`, when the logger saw it), `severityNumber`/`severityText`, `body` (the message),
 * `attributes` (the fields, `hydra.layer`, the caller as `code.*`, the kind as `hydra.kind`),
 * and `traceId`/`spanId`/`flags` from the trace fields (then not repeated as attributes; see {@link recordTrace}).
 */
export function otlpLogRecord(record: LogRecord, observedMs: number): string {
  const trace = recordTrace(record.fields);
  let attrs = record.fields === undefined ? '[' : keyValues(record.fields, 1, trace?.keys).slice(0, -1);
  const add = (key: string, value: string) => {
    attrs += `${attrs.length > 1 ? ',' : ''}{"key":"${key}","value":${value}}`;
  };
  add('hydra.layer', anyValue(record.layer));
  if (record.kind !== undefined) add('hydra.kind', anyValue(record.kind));
  const c = record.caller;
  if (c !== undefined) {
    add('code.file.path', anyValue(c.file));
    add('code.line.number', anyValue(c.line));
    add('code.column.number', anyValue(c.column));
    if (c.function !== '') add('code.function.name', anyValue(c.function));
  }
  let out = `{"timeUnixNano":"${nanos(record.time)}","observedTimeUnixNano":"${nanos(observedMs)}","severityNumber":${severityNumber(record.level)},"severityText":${JSON.stringify(record.levelName)},"body":${anyValue(record.message)},"attributes":${attrs}]`;
  if (trace !== undefined)
    out += `,"flags":${trace.flags},"traceId":"${trace.traceId}","spanId":"${trace.spanId}"`;
  return `${out}}`;
}

/** Milliseconds since the epoch as the decimal string of nanoseconds (exact: no float product). */
function nanos(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0';
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return `${whole}${String(frac).padStart(6, '0')}`;
}

/** The parts of one `ExportLogsServiceRequest` around its log records (joined by `,`). */
export interface OtlpEnvelope {
  prefix: Buffer;
  suffix: Buffer;
}

/**
 * `{"resourceLogs":[{"resource":{"attributes":[…]},"scopeLogs":[{"scope":{"name":"hydra-logger","version":…},"logRecords":[`
 * … `]}]}]}`: every batch of a destination is one resource and one scope.
 */
export function otlpEnvelope(
  resource: Readonly<Record<string, string | number | boolean>>,
  scope: { name: string; version?: string | undefined },
): OtlpEnvelope {
  const scopeJson = `{"name":${JSON.stringify(scope.name)}${scope.version === undefined ? '' : `,"version":${JSON.stringify(scope.version)}`}}`;
  return {
    prefix: Buffer.from(
      `{"resourceLogs":[{"resource":{"attributes":${keyValues(resource, 1)}},"scopeLogs":[{"scope":${scopeJson},"logRecords":[`,
    ),
    suffix: Buffer.from(']}]}]}'),
  };
}

const COMMA = Buffer.from(',');

/** The request body of a batch: the envelope around the records, comma-separated. */
export function otlpBody(envelope: OtlpEnvelope, batch: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [envelope.prefix];
  for (let i = 0; i < batch.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(batch[i] as Buffer);
  }
  parts.push(envelope.suffix);
  return Buffer.concat(parts);
}

/**
 * What an OTLP/HTTP JSON answer (`ExportLogsServiceResponse`) says was not kept: a
 * `partialSuccess` with `rejectedLogRecords` > 0 drops that many records of the batch as
 * `rejected`, reported with the receiver's `errorMessage`. The count is an int64, a decimal
 * string or a number in JSON; anything else (an empty body, `{}`, an unreadable answer) delivers
 * the batch whole, as the protocol says an empty `partialSuccess` means full success.
 */
export function otlpAnswer(body: Buffer, batchRecords: number): SendResult | undefined {
  if (body.length === 0) return undefined;
  const answer = JSON.parse(body.toString('utf8')) as { partialSuccess?: unknown } | null;
  const partial = answer?.partialSuccess as
    | { rejectedLogRecords?: unknown; errorMessage?: unknown }
    | undefined;
  if (typeof partial !== 'object' || partial === null) return undefined;
  const raw = partial.rejectedLogRecords;
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  const rejected = Math.min(n, batchRecords);
  const why =
    typeof partial.errorMessage === 'string' && partial.errorMessage !== ''
      ? `: ${partial.errorMessage.slice(0, 500)}`
      : '';
  return {
    dropped: { rejected },
    problem: {
      code: 'OTLP_PARTIAL_SUCCESS',
      message: `the OTLP receiver rejected ${rejected} of ${batchRecords} records (counted as dropped: rejected)${why}`,
    },
  };
}
