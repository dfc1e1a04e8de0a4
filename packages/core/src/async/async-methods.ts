import { assignClosed, assignLevelMethods, isFieldsFirst, KIND_METHODS } from '../logger/log-methods.js';
import { DEFAULT_LAYER, type LoggerCore } from '../logger/logger-core.js';
import type { Fields, RecordKind } from '../record/record.js';
import type { AsyncLogQueue } from './queue.js';
import { RESOLVED } from './ticket.js';

/**
 * A log method of {@link AsyncHydraLogger}: the call shapes of HydraLogger's, returning a promise
 * that resolves once the record is written (docs/async.md). It never rejects for a record that was
 * written; it rejects (with `RecordDroppedError`) only for a record no strategy could write or the
 * full policy dropped, and a promise nobody awaits never becomes an unhandled rejection.
 */
export interface AsyncLogMethod {
  (layer: string, message: string, fields?: Fields | Error): Promise<void>;
  (message: string, fields?: Fields | Error): Promise<void>;
  (error: Error, fields?: Fields): Promise<void>;
  (fields: Fields, message?: string): Promise<void>;
}

/** A log method of an async layer logger: the layer is fixed. */
export interface AsyncLayerLogMethod {
  (message: string, fields?: Fields | Error): Promise<void>;
  (error: Error, fields?: Fields): Promise<void>;
  (fields: Fields, message?: string): Promise<void>;
}

/** A disabled level: one shared function, already resolved. */
export const resolvedNoop = (): Promise<void> => RESOLVED;

// The argument parsing is HydraLogger's (logger/log-methods.ts), repeated here because each method
// must pass itself to the core as the frame above which the caller is captured (`includeCaller`).

function rootMethod(
  core: LoggerCore,
  q: AsyncLogQueue,
  level: number,
  bindings: Fields | undefined,
): AsyncLogMethod {
  const log = (a: unknown, b?: unknown, c?: unknown): Promise<void> => {
    q.begin();
    if (typeof a === 'string') {
      if (typeof b === 'string') core.log(level, a, b, c, bindings, log);
      else core.log(level, DEFAULT_LAYER, a, b, bindings, log);
    } else if (isFieldsFirst(a)) core.log(level, DEFAULT_LAYER, b, a, bindings, log);
    else core.log(level, DEFAULT_LAYER, a, b, bindings, log);
    return q.end();
  };
  return log as AsyncLogMethod;
}

function layerMethod(
  core: LoggerCore,
  q: AsyncLogQueue,
  level: number,
  layer: string,
  bindings: Fields | undefined,
): AsyncLayerLogMethod {
  const log = (a: unknown, b?: unknown): Promise<void> => {
    q.begin();
    if (isFieldsFirst(a)) core.log(level, layer, b, a, bindings, log);
    else core.log(level, layer, a, b, bindings, log);
    return q.end();
  };
  return log as AsyncLayerLogMethod;
}

/** Assigns the level methods from the compiled pipeline: a level no route takes gets {@link resolvedNoop}. */
export function bindAsyncMethods(
  target: object,
  core: LoggerCore,
  q: AsyncLogQueue,
  layer: string | undefined,
  bindings: Fields | undefined,
): void {
  assignLevelMethods(target, core.minLevel(layer), resolvedNoop, (level) =>
    layer === undefined ? rootMethod(core, q, level, bindings) : layerMethod(core, q, level, layer, bindings),
  );
}

/** After a child or layer logger is closed: every call resolves at once, counted as dropped (`closed`), one warning. */
export function bindAsyncClosed(target: object, core: LoggerCore): void {
  const closed = (): Promise<void> => {
    core.logAfterClose();
    return RESOLVED;
  };
  assignClosed(target, closed);
}

/** `security()`/`audit()`/`compliance()`: their records are written before the call returns (the promise is settled). */
export function asyncKindMethod(
  core: LoggerCore,
  q: AsyncLogQueue,
  kind: RecordKind,
  bindings: Fields | undefined,
): AsyncLogMethod {
  const { level, layer } = KIND_METHODS[kind];
  const log = (a: unknown, b?: unknown, c?: unknown): Promise<void> => {
    q.begin();
    if (typeof a === 'string' && typeof b === 'string') core.log(level, a, b, c, bindings, log, kind);
    else if (isFieldsFirst(a)) core.log(level, layer, b, a, bindings, log, kind);
    else core.log(level, layer, a, b, bindings, log, kind);
    return q.end();
  };
  return log as AsyncLogMethod;
}
