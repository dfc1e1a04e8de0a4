import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AsyncWritePort } from '../../src/async/fd-sink.js';
import {
  AsyncHydraLogger,
  type AsyncHydraLoggerOptions,
  type FileDestination,
  type QueuePerformanceMetrics,
} from '../../src/index.js';
import { errnoError, FaultPort } from '../fixtures/fault-port.js';

export { errnoError };

/**
 * FaultPort (real files, injectable faults) that can also write without blocking, as node's
 * `fs.write` does: the bytes land at once (so a synchronous flush sees them), the callback comes
 * later (`asyncDelayMs`, default next turn of the loop): a slow consumer, or a busy thread pool.
 * Faults set with `failWrites` apply to both kinds of write; `failAsync` only to the async ones.
 */
export class AsyncFaultPort extends FaultPort implements AsyncWritePort {
  asyncCalls = 0;
  fsyncs = 0;
  asyncDelayMs = 0;
  #asyncCode: string | undefined;
  #asyncTimes = 0;

  /** The next `times` async writes fail with `code` (nothing lands). */
  failAsync(code: string, times = Number.POSITIVE_INFINITY): this {
    this.#asyncCode = code;
    this.#asyncTimes = times;
    return this;
  }

  override heal(): this {
    this.#asyncCode = undefined;
    this.#asyncTimes = 0;
    return super.heal();
  }

  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    _position: null,
    callback: (err: NodeJS.ErrnoException | null, written: number) => void,
  ): void {
    this.asyncCalls++;
    let err: NodeJS.ErrnoException | null = null;
    let n = 0;
    if (this.#asyncCode !== undefined && this.#asyncTimes > 0) {
      this.#asyncTimes--;
      err = errnoError(this.#asyncCode);
    } else {
      try {
        n = this.writeSync(fd, buffer, offset, length);
      } catch (e) {
        err = e as NodeJS.ErrnoException;
      }
    }
    if (this.asyncDelayMs > 0) setTimeout(() => callback(err, n), this.asyncDelayMs);
    else setImmediate(() => callback(err, n));
  }

  override fsyncSync(fd: number): void {
    this.fsyncs++;
    super.fsyncSync(fd);
  }
}

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-async-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function fileLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** The `seq` field of every JSON line of `file` (a torn or malformed line throws). */
export function seqsIn(file: string): number[] {
  return fileLines(file).map((l) => (JSON.parse(l) as { seq: number }).seq);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** An async logger whose DEFAULT layer writes JSON to `file` (destination `out`), journal in `dir/journal`. */
export function fileLogger(
  dir: string,
  file: string,
  options: AsyncHydraLoggerOptions = {},
  destination: Partial<FileDestination> = {},
): AsyncHydraLogger {
  return new AsyncHydraLogger({
    journalDir: path.join(dir, 'journal'),
    ...options,
    config: {
      layers: {
        DEFAULT: {
          destinations: [{ name: 'out', type: 'file', path: file, format: 'json', ...destination }],
        },
      },
    },
  });
}

/** `produced = delivered + dropped + pending`, and pending = waiting + held + journaled. */
export function ledgerHolds(m: QueuePerformanceMetrics): boolean {
  const l = m.ledger;
  return (
    l.produced === l.delivered + l.dropped + l.pending &&
    l.pending === l.waiting + l.held + l.journaled &&
    m.queueDepth === l.pending &&
    Object.values(m.dropped).reduce((a, b) => a + b, 0) === l.dropped
  );
}

/** Resolves once `check()` is true; rejects after `timeoutMs` (a bound for "eventually", not a timing assertion). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Whether `p` is already settled: its reaction runs before the continuation of an await queued after it. */
export async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await Promise.resolve();
  return settled;
}
