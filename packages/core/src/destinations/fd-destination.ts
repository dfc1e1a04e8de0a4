import type { LogDestination } from '../config/types.js';
import type { Formatter } from '../formats/formatter.js';
import type { Limits } from '../internal/limits.js';
import type { LogRecord } from '../record/record.js';
import type { FdWriter, WriterStats } from '../writers/fd-writer.js';
import type { FsPort } from '../writers/fs-port.js';
import type { RotationPolicy } from '../writers/rotation.js';
import type { Destination, DestinationStats } from './destination.js';

/**
 * What an {@link FdDestination} writes through: an {@link FdWriter}, or a lane of the
 * AsyncHydraLogger's queue (src/async/), which writes the same descriptor with its strategies.
 */
export interface LineWriter {
  readonly stats: WriterStats;
  /** Records accepted but not yet written. */
  readonly pending: number;
  write(line: string, urgent: boolean): void;
  flushSync(): void;
  /** Resolves once everything accepted so far is written; without it, `flush()` is `flushSync()`. */
  flush?(): Promise<void>;
  close(): void | Promise<void>;
  reopen(): void;
}

/** Everything a queue lane needs to write a console or file destination itself (src/async/). */
export interface FdTargetSpec {
  id: string;
  type: 'console' | 'file';
  config: LogDestination;
  /** `{ fd }` for console, `{ file }` (absolute path) for file. */
  target: { fd: number } | { file: string };
  /** Opens (or returns) the descriptor, creating directories; called lazily. */
  open(): number;
  ownsFd: boolean;
  header: string | undefined;
  rotation: RotationPolicy | undefined;
  fs: FsPort;
  limits: Limits;
  now: (() => number) | undefined;
  /** Reports a failed write, open or rotation (one `error` event and stderr line per code). */
  report(err: NodeJS.ErrnoException): void;
}

/** Builds the writer of a console or file destination instead of an FdWriter (set by AsyncHydraLogger). */
export type QueueWriterFactory = (spec: FdTargetSpec) => LineWriter;

/** A destination writing through a {@link LineWriter} (an FdWriter, or an async queue lane): console and file. */
export class FdDestination implements Destination {
  #records = 0;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly writer: LineWriter,
  ) {}

  write(line: string, _record: LogRecord, urgent: boolean): void {
    this.#records++;
    this.writer.write(line, urgent);
  }
  flushSync(): void {
    this.writer.flushSync();
  }
  async flush(): Promise<void> {
    if (this.writer.flush !== undefined) return this.writer.flush();
    this.writer.flushSync();
  }
  async close(): Promise<void> {
    await this.writer.close();
  }
  reopen(): void {
    this.writer.reopen();
  }
  stats(): DestinationStats {
    return {
      ...this.writer.stats,
      dropped: { ...this.writer.stats.dropped },
      type: this.type,
      records: this.#records,
      pending: this.writer.pending,
    };
  }
}
