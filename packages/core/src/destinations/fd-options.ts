import type { Checker } from '../config/checker.js';
import { show } from '../config/checker.js';
import type { FdWriterOptions } from '../writers/fd-writer.js';
import type { DestinationContext } from './context.js';
import type { DestinationConfig, OptionCheck } from './type.js';

const MODES = ['sync', 'buffered', 'worker'];

/** `mode`, `bufferSize`, `flushInterval`: how a destination that writes a descriptor writes (console, file). */
export const WRITING_OPTIONS: Readonly<Record<string, OptionCheck>> = {
  mode: (v, at, c) => c.oneOf(v, MODES, at),
  bufferSize: (v, at, c) => c.positiveInt(v, at),
  flushInterval: (v, at, c) => c.positiveInt(v, at),
};

/** The writing keys on other types: checked and ignored, as before the registry; `mode: 'worker'` refused. */
export const WRITING_ELSEWHERE: Readonly<Record<string, OptionCheck>> = {
  mode: (v, at, c: Checker, d) => {
    c.oneOf(v, MODES, at);
    if (v === 'worker')
      c.fail(at, `"worker" is for "console" and "file" destinations, this one is ${show(d.type)}`);
  },
  bufferSize: (v, at, c) => c.positiveInt(v, at),
  flushInterval: (v, at, c) => c.positiveInt(v, at),
};

/** The FdWriter options a console or file destination shares. */
export function fdWriterOptions(
  d: DestinationConfig,
  ctx: DestinationContext,
  id: string,
): Pick<FdWriterOptions, 'bufferSize' | 'flushInterval' | 'retries' | 'retryBudgetMs' | 'fs' | 'onError'> {
  return {
    bufferSize: (d.bufferSize as number | undefined) ?? ctx.limits.bufferSize,
    flushInterval: (d.flushInterval as number | undefined) ?? ctx.limits.flushInterval,
    retries: ctx.limits.writeRetries,
    retryBudgetMs: ctx.limits.writeRetryBudgetMs,
    fs: ctx.fs,
    onError: (err) => ctx.report(id, err),
  };
}
