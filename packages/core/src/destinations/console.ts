import type { DestinationWriting, LogDestination } from '../config/types.js';
import { isTerminal } from '../internal/builtins.js';
import { loadWorkerChunk } from '../internal/load-worker.js';
import { FdWriter } from '../writers/fd-writer.js';
import type { DestinationContext } from './context.js';
import { FdDestination } from './fd-destination.js';
import { fdWriterOptions, WRITING_OPTIONS } from './fd-options.js';
import { formatterFor } from './formatter-for.js';
import type { DestinationConfig, DestinationType, FdTarget } from './type.js';

/** The options of `{ type: 'console' }`: stdout (default) or stderr, and how it is written. */
export interface ConsoleOptions extends DestinationWriting {
  stream?: 'stdout' | 'stderr';
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    console: ConsoleOptions;
  }
}

const fdOf = (d: Record<string, unknown>): number => (d.stream === 'stderr' ? 2 : 1);

/** `{ type: 'console' }`: stdout (default) or stderr; plain-text, colour from the terminal. */
export const consoleType: DestinationType = {
  name: 'console',
  options: {
    stream: (v, at, c) => c.oneOf(v, ['stdout', 'stderr'], at),
    ...WRITING_OPTIONS,
  },
  fdTarget: (d, ctx) => consoleTarget(d, ctx),
  create(d, ctx, id, minLevel) {
    const { target, formatter } = consoleTarget(d, ctx);
    const fd = (target as { fd: number }).fd;
    const mode =
      (d.mode as 'sync' | 'buffered' | 'worker' | undefined) ?? (isTerminal(fd) ? 'sync' : 'buffered');
    if (mode === 'worker')
      return loadWorkerChunk().createWorkerDestination({
        id,
        type: 'console',
        minLevel,
        formatter,
        target: { fd },
        d: d as LogDestination,
        ctx,
      });
    const writer = new FdWriter({
      ...fdWriterOptions(d, ctx, id),
      mode,
      open: () => fd,
      ownsFd: false,
      header: formatter.header,
    });
    return new FdDestination(id, 'console', minLevel, formatter, writer);
  },
};

/** The descriptor it writes and its formatter (also what an AsyncHydraLogger's queue lane writes). */
function consoleTarget(d: DestinationConfig, ctx: DestinationContext): FdTarget {
  const fd = fdOf(d);
  const formatter = formatterFor(
    d,
    { format: 'plain-text', target: fd, colorMode: (d.colorMode as 'auto') ?? 'auto', stackLines: true },
    ctx,
  );
  return { target: { fd }, open: () => fd, ownsFd: false, formatter };
}
