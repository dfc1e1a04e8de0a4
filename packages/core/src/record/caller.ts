import { fileURLToPath } from '../internal/builtins.js';
import type { CallerInfo } from './record.js';

/**
 * The frame that called into the logger: `skip` is the outermost library function on the stack
 * (frames above it are ours). Costs one structured stack capture, so it runs only when
 * `includeCaller` is on.
 */
export function captureCaller(skip: Function): CallerInfo | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_e, frames) => frames;
    Error.stackTraceLimit = 1;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, skip);
    const frame = holder.stack?.[0];
    if (frame === undefined) return undefined;
    let file = frame.getFileName() ?? '<anonymous>';
    if (file.startsWith('file://')) file = fileURLToPath(file);
    return {
      file,
      line: frame.getLineNumber() ?? 0,
      column: frame.getColumnNumber() ?? 0,
      function: frame.getFunctionName() ?? frame.getMethodName() ?? '<anonymous>',
    };
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
