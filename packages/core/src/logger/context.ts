import type { Fields } from '../record/record.js';
import type { LoggerCore } from './logger-core.js';

/** A normalized copy of caller data that later mutation of the caller's object cannot change. */
export function snapshotFields(core: LoggerCore, fields: Fields): Fields {
  const n = core.normalizer.fields(fields);
  return n === fields ? { ...fields } : n;
}

/**
 * Runs `fn` with `ctx` added to every record logged inside it, across awaits
 * (AsyncLocalStorage). Nested calls merge, the inner keys winning.
 */
export function runWithContext<T>(core: LoggerCore, ctx: Fields, fn: () => T): T {
  core.contextUsed = true;
  const outer = core.context.getStore();
  const inner = snapshotFields(core, ctx);
  return core.context.run(outer === undefined ? inner : { ...outer, ...inner }, fn);
}
