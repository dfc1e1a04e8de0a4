import { LEVELS, RESERVED_KEYS } from 'hydra-logger';
import type { BridgeLimits } from '../limits.js';
import type { RejectedRecord } from '../protocol/frames.js';

/** Layer names an ingested record may use: a letter, then letters, digits, `_ . : -`; 64 at most. */
export const INGEST_LAYER_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
/** Layers a browser may never write to (the core's own security, audit and compliance layers). */
export const RESERVED_INGEST_LAYERS: ReadonlySet<string> = new Set(['SECURITY', 'AUDIT', 'COMPLIANCE']);
/** Field names the bridge sets itself on an ingested record; a browser's field of that name becomes `_<name>` (so does `__proto__`). */
export const BRIDGE_FIELDS: ReadonlySet<string> = new Set(['client', 'offset']);

/** An ingested record that passed validation. */
export interface ValidRecord {
  level: number;
  layer: string;
  message: string;
  fields: Record<string, unknown>;
  time: number | undefined;
  seq: number | undefined;
}

export interface IngestRules {
  defaultLayer: string;
  /** Allowed layers; `undefined`: any name matching the pattern but the reserved ones. */
  layers: ReadonlySet<string> | undefined;
}

const LEVEL_BY_NAME = new Map<string, number>(
  Object.entries(LEVELS)
    .filter(([name]) => name !== 'NOTSET')
    .map(([name, n]) => [name, n]),
);
LEVEL_BY_NAME.set('WARN', LEVELS.WARNING);
LEVEL_BY_NAME.set('FATAL', LEVELS.CRITICAL);
const LEVEL_NUMBERS = new Set([...LEVEL_BY_NAME.values()]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Checks one browser record: a known level, a layer name that matches the pattern and is allowed,
 * a string message and a plain-object `fields` within the size caps. Field names the core or the
 * bridge own (`timestamp`, `level`, `layer`, `message`, `client`, `offset`, …) are renamed with a
 * leading `_`, so a browser cannot forge them.
 */
export function validateIngestRecord(
  v: unknown,
  index: number,
  limits: BridgeLimits,
  rules: IngestRules,
): { ok: true; record: ValidRecord } | { ok: false; rejected: RejectedRecord } {
  const no = (reason: string) => ({ ok: false as const, rejected: { index, reason } });
  if (!isPlainObject(v)) return no('a record must be a JSON object');
  const level =
    typeof v.level === 'string'
      ? LEVEL_BY_NAME.get(v.level.toUpperCase())
      : typeof v.level === 'number' && LEVEL_NUMBERS.has(v.level)
        ? v.level
        : undefined;
  if (level === undefined) return no('level must be one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL');
  const layer = v.layer === undefined ? rules.defaultLayer : v.layer;
  if (typeof layer !== 'string' || !INGEST_LAYER_PATTERN.test(layer))
    return no('layer must match /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/');
  if (rules.layers !== undefined ? !rules.layers.has(layer) : RESERVED_INGEST_LAYERS.has(layer.toUpperCase()))
    return no(`layer ${layer} is not open to browser logs`);
  if (typeof v.message !== 'string') return no('message must be a string');
  if (v.message.length > limits.maxIngestMessageChars)
    return no(`message is longer than ${limits.maxIngestMessageChars} characters`);
  let fields: Record<string, unknown> = {};
  if (v.fields !== undefined && v.fields !== null) {
    if (!isPlainObject(v.fields)) return no('fields must be a JSON object');
    if (Buffer.byteLength(JSON.stringify(v.fields)) > limits.maxIngestFieldsBytes)
      return no(`fields are larger than ${limits.maxIngestFieldsBytes} bytes as JSON`);
    fields = {};
    for (const [k, value] of Object.entries(v.fields)) {
      const key = RESERVED_KEYS.has(k) || BRIDGE_FIELDS.has(k) || k === '__proto__' ? `_${k}` : k;
      Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (v.time !== undefined && (typeof v.time !== 'number' || !Number.isFinite(v.time)))
    return no('time must be a number (ms since 1970)');
  if (v.seq !== undefined && (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0))
    return no('seq must be an integer ≥ 0');
  return {
    ok: true,
    record: {
      level,
      layer,
      message: v.message,
      fields,
      time: v.time as number | undefined,
      seq: v.seq as number | undefined,
    },
  };
}
