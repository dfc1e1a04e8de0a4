import { LEVELS } from '../record/levels.js';
import type { Fields, RecordKind } from '../record/record.js';
import { DEFAULT_LAYER, type LoggerCore } from './logger-core.js';

/**
 * A log method of {@link HydraLogger}. Two strings are layer then message; a string then an
 * object is message then fields; an Error as the message is serialized with its stack and cause.
 * `(fields, message)` (pino's order) is accepted too.
 */
export interface LogMethod {
  (layer: string, message: string, fields?: Fields | Error): void;
  (message: string, fields?: Fields | Error): void;
  (error: Error, fields?: Fields): void;
  (fields: Fields, message?: string): void;
}

/** A log method of a layer logger: the layer is fixed. */
export interface LayerLogMethod {
  (message: string, fields?: Fields | Error): void;
  (error: Error, fields?: Fields): void;
  (fields: Fields, message?: string): void;
}

/** Method name → level. `warn` and `fatal` are aliases. */
export const METHOD_LEVELS = Object.freeze({
  trace: LEVELS.TRACE,
  debug: LEVELS.DEBUG,
  info: LEVELS.INFO,
  warning: LEVELS.WARNING,
  warn: LEVELS.WARNING,
  error: LEVELS.ERROR,
  critical: LEVELS.CRITICAL,
  fatal: LEVELS.CRITICAL,
} as const);

export type MethodName = keyof typeof METHOD_LEVELS;

/** A disabled level: one shared function that does nothing. */
export const noop = (): void => {};

/**
 * Whether the first argument is a fields object (pino's order). An object that throws when asked
 * (a revoked Proxy) counts as fields: the core writes it as an "[Unreadable: …]" marker.
 */
export function isFieldsFirst(a: unknown): boolean {
  if (typeof a !== 'object' || a === null) return false;
  try {
    return !(a instanceof Error);
  } catch {
    return true;
  }
}

function rootMethod(core: LoggerCore, level: number, bindings: Fields | undefined): LogMethod {
  const log = (a: unknown, b?: unknown, c?: unknown): void => {
    if (typeof a === 'string') {
      if (typeof b === 'string') core.log(level, a, b, c, bindings, log);
      else core.log(level, DEFAULT_LAYER, a, b, bindings, log);
    } else if (isFieldsFirst(a)) core.log(level, DEFAULT_LAYER, b, a, bindings, log);
    else core.log(level, DEFAULT_LAYER, a, b, bindings, log);
  };
  return log as LogMethod;
}

function layerMethod(
  core: LoggerCore,
  level: number,
  layer: string,
  bindings: Fields | undefined,
): LayerLogMethod {
  const log = (a: unknown, b?: unknown): void => {
    if (isFieldsFirst(a)) core.log(level, layer, b, a, bindings, log);
    else core.log(level, layer, a, b, bindings, log);
  };
  return log as LayerLogMethod;
}

/**
 * Assigns the level methods to a facade, from the compiled pipeline: a level no route accepts
 * gets the shared {@link noop}, so a disabled call costs one empty call.
 */
export function bindMethods(
  target: object,
  core: LoggerCore,
  layer: string | undefined,
  bindings: Fields | undefined,
): void {
  assignLevelMethods(target, core.minLevel(layer), noop, (level) =>
    layer === undefined ? rootMethod(core, level, bindings) : layerMethod(core, level, layer, bindings),
  );
}

/**
 * The one place level methods are assigned (sync and async facades): a level below `min` gets the
 * shared `disabled` function, the others what `make` builds.
 */
export function assignLevelMethods(
  target: object,
  min: number,
  disabled: unknown,
  make: (level: number) => unknown,
): void {
  const t = target as Record<MethodName, unknown>;
  for (const [name, level] of Object.entries(METHOD_LEVELS) as [MethodName, number][])
    t[name] = level < min ? disabled : make(level);
}

/** Every log method of a closed facade (levels and security/audit/compliance) becomes `closed`. */
export function assignClosed(target: object, closed: unknown): void {
  for (const name of [...Object.keys(METHOD_LEVELS), 'security', 'audit', 'compliance'])
    (target as Record<string, unknown>)[name] = closed;
}

/** After a child or layer logger is closed: every call is a no-op counted as dropped (`closed`), with one warning. */
export function bindClosed(target: object, core: LoggerCore): void {
  assignClosed(target, (): void => core.logAfterClose());
}

/** `security()`, `audit()`, `compliance()`: their level and default layer. */
export const KIND_METHODS: Readonly<Record<RecordKind, { level: number; layer: string }>> = {
  security: { level: LEVELS.WARNING, layer: 'SECURITY' },
  audit: { level: LEVELS.INFO, layer: 'AUDIT' },
  compliance: { level: LEVELS.INFO, layer: 'COMPLIANCE' },
};

/**
 * A `security()`/`audit()`/`compliance()` method: `(layer, message, fields?)` or `(message, fields?)`
 * with the kind's default layer. Its records are always redacted and written before the call returns.
 */
export function kindMethod(core: LoggerCore, kind: RecordKind, bindings: Fields | undefined): LogMethod {
  const { level, layer } = KIND_METHODS[kind];
  const log = (a: unknown, b?: unknown, c?: unknown): void => {
    if (typeof a === 'string' && typeof b === 'string') core.log(level, a, b, c, bindings, log, kind);
    else if (isFieldsFirst(a)) core.log(level, layer, b, a, bindings, log, kind);
    else core.log(level, layer, a, b, bindings, log, kind);
  };
  return log as LogMethod;
}
