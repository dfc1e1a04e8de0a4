import type { Formatter } from '../formats/formatter.js';
import type { LogRecord } from '../record/record.js';
import type { Destination, DestinationStats } from './destination.js';
import { formatterFor } from './formatter-for.js';
import type { DestinationType } from './type.js';

/** The options of `{ type: 'memory' }`: the last lines, kept in memory (read them with `logger.memory(name)`). */
export interface MemoryOptions {
  /** Lines kept (default 10,000). */
  maxLines?: number;
}

declare module '../config/types.js' {
  interface DestinationTypeOptions {
    memory: MemoryOptions;
  }
}

/** What `logger.memory(name)` returns: the lines and records a `memory` destination holds. */
export interface MemoryView {
  /** Formatted lines, oldest first, without the trailing newline. */
  lines(): string[];
  /** The records, oldest first. */
  records(): LogRecord[];
  clear(): void;
}

/** A bounded ring of the last `maxLines` lines and records (for tests and replay). */
export class MemoryDestination implements Destination, MemoryView {
  readonly type = 'memory';
  #lines: string[] = [];
  #records: LogRecord[] = [];
  #total = 0;
  #evicted = 0;
  constructor(
    readonly id: string,
    readonly minLevel: number,
    readonly formatter: Formatter,
    readonly maxLines: number,
  ) {}

  write(line: string, record: LogRecord): void {
    this.#total++;
    if (this.#lines.length >= this.maxLines) {
      this.#lines.shift();
      this.#records.shift();
      this.#evicted++;
    }
    this.#lines.push(line.endsWith('\n') ? line.slice(0, -1) : line);
    this.#records.push(record);
  }
  lines(): string[] {
    return [...this.#lines];
  }
  records(): LogRecord[] {
    return [...this.#records];
  }
  clear(): void {
    this.#lines = [];
    this.#records = [];
  }
  flushSync(): void {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  reopen(): void {}
  stats(): DestinationStats {
    const bytes = this.#lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    return {
      type: this.type,
      records: this.#total,
      pending: 0,
      bytesWritten: bytes,
      writes: this.#total,
      flushes: 0,
      retries: 0,
      errors: 0,
      // The reason named in DEFAULT_LIMITS.memoryMaxLines (docs/limits.md).
      dropped: this.#evicted > 0 ? { memory_full: this.#evicted } : {},
    };
  }
}

/** `{ type: 'memory' }`: the last `maxLines` lines and records, read with `logger.memory(name)`. */
export const memoryType: DestinationType = {
  name: 'memory',
  options: { maxLines: (v, at, c) => c.positiveInt(v, at) },
  // Older configs put maxLines anywhere: checked, then ignored.
  elsewhere: { maxLines: (v, at, c) => c.positiveInt(v, at) },
  create(d, ctx, id, minLevel) {
    const colorMode = (d.colorMode as 'never' | undefined) ?? 'never';
    const formatter = formatterFor(d, { format: 'json', colorMode, stackLines: true }, ctx);
    return new MemoryDestination(
      id,
      minLevel,
      formatter,
      (d.maxLines as number | undefined) ?? ctx.limits.memoryMaxLines,
    );
  },
};
