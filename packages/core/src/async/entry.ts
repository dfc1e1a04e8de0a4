import type { InFlightWrite } from './fd-sink.js';
import type { Ticket } from './ticket.js';

/** One line on its way to the destination. */
export class Entry {
  constructor(
    readonly line: string,
    /** ERROR and above, security/audit/compliance: written before the call returns, never dropped by policy. */
    readonly urgent: boolean,
    readonly ticket: Ticket | undefined,
    /** When it was accepted (ms since the epoch, read once per tick). */
    readonly t: number,
  ) {}
}

/** A batch handed to the thread pool or to the worker, not yet settled. */
export interface Flight {
  readonly entries: Entry[];
  readonly strategy: 'async' | 'worker';
  readonly probe: boolean;
  readonly started: number;
  /** The first batch of a worker thread just started: its time includes the thread's start-up. */
  readonly boot: boolean;
  write: InFlightWrite | undefined;
  settled: boolean;
}

export function join(entries: Entry[]): string {
  let s = '';
  for (const e of entries) s += e.line;
  return s;
}

export function chars(entries: Entry[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += (entries[i] as Entry).line.length;
  return n;
}

/** Whole lines among `entries` covered by the first `bytes` bytes of their concatenation. */
export function landedLines(entries: Entry[], bytes: number): number {
  return landedCount(
    entries.map((e) => e.line),
    bytes,
  );
}

export function landedCount(lines: string[], bytes: number): number {
  let used = 0;
  let n = 0;
  for (const l of lines) {
    used += Buffer.byteLength(l);
    if (used > bytes) break;
    n++;
  }
  return n;
}
