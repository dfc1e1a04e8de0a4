import type { LogDestination } from '../../config/types.js';
import type { Destination, DestinationStats, ErrorReporter } from '../../destinations/destination.js';
import { HydraLoggerError } from '../../errors.js';
import type { Formatter } from '../../formats/formatter.js';
import type { Limits } from '../../internal/limits.js';
import type { LogRecord } from '../../record/record.js';
import { FdWriter } from '../fd-writer.js';
import type { FsPort } from '../fs-port.js';
import { openLogFile } from '../open-file.js';
import type { RotationPolicy } from '../rotation.js';
import type { WorkerTarget } from './protocol.js';
import { workerFsModuleOf } from './worker-fs.js';
import { WorkerSink } from './worker-sink.js';

/**
 * A console or file destination in `mode: 'worker'`: lines are formatted in the calling thread and
 * written by a {@link WorkerSink}'s worker thread (docs/worker.md).
 */
export class WorkerDestination implements Destination {
  #records = 0;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly sink: WorkerSink,
  ) {}

  write(line: string, _record: LogRecord, urgent: boolean): void {
    this.#records++;
    this.sink.write(line, urgent);
  }
  flushSync(): void {
    this.sink.flushSync();
  }
  flush(): Promise<void> {
    return this.sink.flush();
  }
  close(): Promise<void> {
    return this.sink.close();
  }
  reopen(): void {
    this.sink.reopen();
  }
  stats(): DestinationStats {
    const s = this.sink.stats();
    return { ...s, type: this.type, records: this.#records };
  }
}

/** What a worker destination reads of the destination context (destinations/index.ts passes its own). */
export interface WorkerDestinationContext {
  limits: Limits;
  fs: FsPort;
  report: ErrorReporter;
  /** The clock file rotation reads (default `Date.now()`). */
  now?: (() => number) | undefined;
}

/** What {@link createWorkerDestination} needs from destinations/index.ts. */
export interface WorkerDestinationSpec {
  id: string;
  type: 'console' | 'file';
  minLevel: number;
  formatter: Formatter;
  target: WorkerTarget;
  rotation?: RotationPolicy | undefined;
  d: LogDestination;
  ctx: WorkerDestinationContext;
}

/**
 * A console or file destination with `mode: 'worker'`. The worker uses node:fs, or the module of a
 * {@link WorkerCapableFsPort}; the crash fallback runs in this thread on `ctx.fs` itself.
 */
export function createWorkerDestination(s: WorkerDestinationSpec): WorkerDestination {
  const { id, d, ctx, target, formatter } = s;
  const fsModule = workerFsModuleOf(ctx.fs);
  if (fsModule === null)
    throw new HydraLoggerError(
      'HYDRA_E_CONFIG_INVALID',
      `${id}: mode 'worker' cannot use an in-process fs port (it cannot cross to the worker thread); give the port a workerFsModule`,
    );
  const file = 'file' in target ? target.file : undefined;
  const onError = (err: NodeJS.ErrnoException): void => ctx.report(id, err);
  const bufferSize = d.bufferSize ?? ctx.limits.bufferSize;
  const flushInterval = d.flushInterval ?? ctx.limits.flushInterval;
  const retries = ctx.limits.writeRetries;
  const retryBudgetMs = ctx.limits.writeRetryBudgetMs;
  const sink = new WorkerSink({
    target,
    header: formatter.header,
    rotation: s.rotation,
    batchSize: bufferSize,
    flushInterval,
    retries,
    retryBudgetMs,
    maxPendingBytes: ctx.limits.workerMaxPendingBytes,
    fs: ctx.fs,
    fileCheckInterval: ctx.limits.fileCheckInterval,
    fsModule,
    onError,
    fallback: () =>
      new FdWriter({
        mode: 'buffered',
        bufferSize,
        flushInterval,
        retries,
        retryBudgetMs,
        fs: ctx.fs,
        open: file === undefined ? () => (target as { fd: number }).fd : () => openLogFile(ctx.fs, file),
        ownsFd: file !== undefined,
        file,
        checkInterval: ctx.limits.fileCheckInterval,
        header: formatter.header,
        onError,
        rotation: file === undefined || s.rotation === undefined ? undefined : { file, policy: s.rotation },
        now: ctx.now,
      }),
  });
  return new WorkerDestination(id, s.type, s.minLevel, formatter, sink);
}
