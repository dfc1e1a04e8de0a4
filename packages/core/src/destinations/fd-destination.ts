import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { FdWriter } from '../writers/fd-writer.js';
import type { Destination, DestinationStats } from './destination.js';

/** A destination writing through an {@link FdWriter}: console and file. */
export class FdDestination implements Destination {
  #records = 0;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly writer: FdWriter,
  ) {}

  write(line: string, _record: LogRecord, urgent: boolean): void {
    this.#records++;
    this.writer.write(line, urgent);
  }
  flushSync(): void {
    this.writer.flushSync();
  }
  async flush(): Promise<void> {
    this.writer.flushSync();
  }
  async close(): Promise<void> {
    this.writer.close();
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
