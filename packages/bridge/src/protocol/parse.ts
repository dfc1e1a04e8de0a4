import { parseLevel } from 'hydra-logger';
import type { BridgeLimits } from '../limits.js';
import type { ClientFrame, ErrorCode, Since, SubscriptionFilter } from './frames.js';

/** A client frame that passed validation, or why it did not. */
export type ParseResult =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: ErrorCode; message: string; sub?: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class FrameError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): never => {
  throw new FrameError('bad_frame', message);
};

/** A non-empty string of at most `max` characters. */
function id(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    bad(`${what} must be a non-empty string of at most ${max} characters`);
  return v as string;
}

/**
 * Parses and validates one text frame from a client. Never throws: anything malformed gives a
 * result with a stable error code and a message that says what was wrong.
 */
export function parseClientFrame(text: string, limits: BridgeLimits): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: 'the frame is not valid JSON' };
  }
  if (!isObj(v)) return { ok: false, code: 'bad_frame', message: 'a frame must be a JSON object' };
  const sub = typeof v.sub === 'string' && v.sub.length <= limits.maxIdChars ? v.sub : undefined;
  try {
    return { ok: true, frame: frameOf(v, limits) };
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    return sub === undefined
      ? { ok: false, code: err.code, message: err.message }
      : { ok: false, code: err.code, message: err.message, sub };
  }
}

function frameOf(v: Obj, limits: BridgeLimits): ClientFrame {
  switch (v.type) {
    case 'watch':
    case 'unwatch': {
      const t = v.topics;
      if (!Array.isArray(t) || t.length === 0 || t.length > limits.maxFilterTerms)
        bad(`${v.type}.topics must be an array of 1 to ${limits.maxFilterTerms} topic names`);
      return {
        type: v.type,
        topics: (t as unknown[]).map((x) => id(x, `${v.type}.topics[]`, limits.maxIdChars)),
      };
    }
    case 'auth':
      return { type: 'auth', token: id(v.token, 'auth.token', 4096) };
    case 'subscribe':
      return {
        type: 'subscribe',
        sub: id(v.sub, 'subscribe.sub', limits.maxIdChars),
        filter: filterOf(v.filter, limits),
        since: sinceOf(v.since, limits),
      };
    case 'unsubscribe':
      return { type: 'unsubscribe', sub: id(v.sub, 'unsubscribe.sub', limits.maxIdChars) };
    case 'logs': {
      const seq = v.seq;
      if (!Number.isSafeInteger(seq) || (seq as number) < 0) bad('logs.seq must be an integer ≥ 0');
      if (!Array.isArray(v.records)) bad('logs.records must be an array');
      const records = v.records as unknown[];
      if (records.length > limits.maxIngestBatchRecords)
        throw new FrameError(
          'too_large',
          `logs.records holds ${records.length} records; at most ${limits.maxIngestBatchRecords} per frame`,
        );
      return {
        type: 'logs',
        clientId: id(v.clientId, 'logs.clientId', limits.maxIdChars),
        seq: seq as number,
        records,
      };
    }
    case 'pong': {
      if (typeof v.t !== 'number' || !Number.isFinite(v.t)) bad('pong.t must be a number');
      return { type: 'pong', t: v.t as number };
    }
    default:
      throw new FrameError(
        'unknown_type',
        typeof v.type === 'string'
          ? `unknown frame type ${JSON.stringify(v.type.slice(0, 64))} (expected auth, subscribe, unsubscribe, logs, pong)`
          : 'a frame needs a string "type"',
      );
  }
}

/** The `filter` of a subscription (also used for SSE query parameters). */
export function filterOf(v: unknown, limits: BridgeLimits): SubscriptionFilter {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) return bad('subscribe.filter must be an object');
  const out: SubscriptionFilter = {};
  const f = v as Obj;
  for (const key of Object.keys(f))
    if (!['layers', 'minLevel', 'text', 'fields'].includes(key))
      bad(`subscribe.filter.${key.slice(0, 64)} is not a filter (expected layers, minLevel, text, fields)`);
  if (f.layers !== undefined) {
    if (!Array.isArray(f.layers) || f.layers.length > limits.maxFilterTerms)
      bad(`subscribe.filter.layers must be an array of at most ${limits.maxFilterTerms} layer names`);
    out.layers = (f.layers as unknown[]).map((l) => id(l, 'a filter layer', limits.maxIdChars));
  }
  if (f.minLevel !== undefined) {
    const n = parseLevel(f.minLevel);
    if (n === undefined) bad('subscribe.filter.minLevel must be a level name (e.g. "WARNING") or number');
    out.minLevel = n as number;
  }
  if (f.text !== undefined && f.text !== '')
    out.text = id(f.text, 'subscribe.filter.text', limits.maxIdChars);
  if (f.fields !== undefined) {
    if (!isObj(f.fields)) bad('subscribe.filter.fields must be an object of path → value');
    const entries = Object.entries(f.fields as Obj);
    if (entries.length > limits.maxFilterTerms)
      bad(`subscribe.filter.fields may hold at most ${limits.maxFilterTerms} paths`);
    // No prototype: a path named "__proto__" is a key like any other.
    const fields: Record<string, string | number | boolean | null> = Object.create(null);
    for (const [path, value] of entries) {
      id(path, 'a filter field path', limits.maxIdChars);
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
        bad(`subscribe.filter.fields[${JSON.stringify(path)}] must be a string, number, boolean or null`);
      fields[path] = value as string | number | boolean | null;
    }
    out.fields = fields;
  }
  return out;
}

/** The `since` of a subscription: `'latest'` (default), `{ last: N }` or `{ epoch, offset }`. */
export function sinceOf(v: unknown, limits: BridgeLimits): Since {
  if (v === undefined || v === null || v === 'latest') return 'latest';
  if (isObj(v)) {
    if ('last' in v) {
      const n = v.last;
      if (!Number.isSafeInteger(n) || (n as number) < 0) bad('since.last must be an integer ≥ 0');
      return { last: Math.min(n as number, limits.maxLast) };
    }
    if ('epoch' in v || 'offset' in v) {
      const offset = v.offset;
      if (!Number.isSafeInteger(offset) || (offset as number) < -1)
        bad('since.offset must be an integer ≥ -1 (the last offset already seen)');
      return { epoch: id(v.epoch, 'since.epoch', limits.maxIdChars), offset: offset as number };
    }
  }
  return bad('since must be "latest", { "last": N } or { "epoch": "…", "offset": N }');
}
