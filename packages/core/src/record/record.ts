import type { LevelName } from './levels.js';

/** Structured data attached to a record: any JSON-like object; Errors, Maps, Sets, BigInts are converted. */
export type Fields = Record<string, unknown>;

/** An Error as it appears in output: plain data, never the live object. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: unknown;
  errors?: unknown[];
  [key: string]: unknown;
}

/** Where a log call came from (only with `includeCaller: true`: it costs a stack capture). */
export interface CallerInfo {
  file: string;
  line: number;
  column: number;
  function: string;
}

/**
 * One log event, as processors, formatters and plugins see it.
 * `fields` is the merged, JSON-safe view of `bindings`, `context` and the call's own fields
 * (later sources win: call fields over context over bindings). Keys that collide with a core
 * key are renamed with a leading `_` (see docs/records.md).
 */
export interface LogRecord {
  /** Milliseconds since the epoch. */
  time: number;
  level: number;
  levelName: LevelName;
  layer: string;
  message: string;
  fields: Fields | undefined;
  bindings: Fields | undefined;
  context: Fields | undefined;
  /** The first Error found among the top-level fields, serialized (also present in `fields`). */
  error: SerializedError | undefined;
  caller: CallerInfo | undefined;
  /** Set on records from `security()`, `audit()` and `compliance()`: always redacted, written synchronously. */
  kind?: RecordKind;
}

/** What `security()`, `audit()` and `compliance()` mark their records with. */
export type RecordKind = 'security' | 'audit' | 'compliance';

/** Core keys: a user field of this name is written as `_<name>` so it cannot forge the record. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'time',
  'timestamp',
  'level',
  'layer',
  'message',
  'msg',
  'caller',
]);
