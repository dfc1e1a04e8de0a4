import type { WriterStats } from '../writers/fd-writer.js';
import type { FsPort } from '../writers/fs-port.js';
import type { LineWriter } from './fd-destination.js';

/**
 * `fsync: true` on a HydraLogger file destination in `mode: 'sync'`: after every write the file is
 * fsynced, so a record whose call returned survives a power loss. The FdWriter keeps its own
 * descriptor; fsync(2) flushes the file's data whatever descriptor wrote it, so this one opens the
 * file read-only for that (lazily, after the first write created it). Never throws: a failed fsync
 * is reported like a failed write.
 */
export class FsyncWriter implements LineWriter {
  #fd = -1;
  #reopened = 0;

  constructor(
    readonly inner: LineWriter,
    readonly file: string,
    readonly fs: FsPort,
    readonly report: (err: NodeJS.ErrnoException) => void,
  ) {}

  get stats(): WriterStats {
    return this.inner.stats;
  }

  get pending(): number {
    return this.inner.pending;
  }

  write(line: string, urgent: boolean): void {
    this.inner.write(line, urgent);
    this.#sync();
  }

  flushSync(): void {
    this.inner.flushSync();
    this.#sync();
  }

  close(): void {
    this.inner.flushSync();
    this.#sync();
    this.#release();
    void this.inner.close();
  }

  reopen(): void {
    this.flushSync();
    this.#release();
    this.inner.reopen();
  }

  #sync(): void {
    // The FdWriter found its file deleted or replaced and opened the path again: fsync the new file.
    const reopened = this.inner.stats.reopened ?? 0;
    if (reopened !== this.#reopened) {
      this.#reopened = reopened;
      this.#release();
    }
    try {
      if (this.#fd < 0) this.#fd = this.fs.openSync(this.file, 'r');
      this.fs.fsyncSync(this.#fd);
    } catch (err) {
      // Nothing written yet (no file) is not a failure; anything else is reported once per code.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.report(err as NodeJS.ErrnoException);
    }
  }

  #release(): void {
    if (this.#fd < 0) return;
    try {
      this.fs.closeSync(this.#fd);
    } catch {
      // Read-only descriptor: nothing to lose.
    }
    this.#fd = -1;
  }
}
