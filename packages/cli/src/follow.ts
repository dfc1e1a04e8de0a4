import fs from 'node:fs';
import { CLI_LIMITS } from './limits.js';
import { LineSplitter } from './line-splitter.js';

export interface FollowOptions {
  /** Where to start in the file as it is now (`'end'`, or a byte offset); a file that appears later is read from 0. */
  from: 'end' | number;
  /** The identity of the file `from` was measured in; a different file at the path is read from 0. */
  ino?: number | undefined;
  /**
   * The open descriptor `from` was measured in (`lastLines(…, keepOpen)`): followed first, from
   * `from`, whatever the path names by then; the follower owns it (closes it on rotation or stop).
   */
  fd?: number | undefined;
  /** New complete lines (may return a promise: the next poll waits for it). */
  onLines(lines: string[]): Promise<void> | undefined;
  /** Rotation, truncation, a file that went away or came back (for stderr). */
  onNotice(message: string): void;
  pollMs?: number;
}

/**
 * Follows a growing file like `tail -F`: new lines as they are written, across rotation and truncation.
 *
 * - **rename rotation** (logrotate's default, the core's own `maxSize`): the path now names another
 *   file (a new inode), or no file yet. The old file is read to its end first (its last records
 *   were written before the rename), then the new file is followed from its start.
 * - **copytruncate**: same file, size now below the read position: read again from 0.
 *   A truncation followed, before the next poll, by more writes than were read before is not
 *   visible as such (the same blind spot as `tail -f`); `followPollMs` keeps that window short.
 * - a file that does not exist yet is waited for.
 *
 * Polling (`followPollMs`) rather than `fs.watch`: it behaves the same on every file system
 * (network mounts, containers' overlay fs) and sees renames that inotify reports for the old name only.
 */
export class FileFollower {
  readonly file: string;
  readonly #o: FollowOptions;
  readonly #splitter = new LineSplitter();
  readonly #buf = Buffer.alloc(CLI_LIMITS.readChunkBytes);
  #fd: number | undefined;
  #ino = -1;
  #pos = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #first = true;
  #missingReported = false;

  constructor(file: string, options: FollowOptions) {
    this.file = file;
    this.#o = options;
  }

  start(): void {
    void this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#poll();
    } catch (err) {
      this.#o.onNotice(`${this.file}: ${(err as Error).message}`);
    }
    if (!this.#stopped)
      this.#timer = setTimeout(() => void this.#tick(), this.#o.pollMs ?? CLI_LIMITS.followPollMs);
  }

  #open(): boolean {
    const handed = this.#first ? this.#o.fd : undefined;
    if (handed !== undefined) {
      // Already open since the first read: lines written to it before a rotation are still read.
      this.#fd = handed;
      this.#ino = fs.fstatSync(handed).ino;
      this.#pos = this.#o.from === 'end' ? fs.fstatSync(handed).size : this.#o.from;
      this.#first = false;
      return true;
    }
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!this.#missingReported) this.#o.onNotice(`${this.file}: no such file yet, waiting for it`);
      this.#missingReported = true;
      this.#first = false;
      return false;
    }
    const st = fs.fstatSync(fd);
    this.#fd = fd;
    this.#ino = st.ino;
    const from = this.#o.from;
    const same = this.#first && (this.#o.ino === undefined || this.#o.ino === st.ino);
    // Truncated between the first read (`from`) and this open: as at any later poll, from the start.
    if (same && typeof from === 'number' && from > st.size)
      this.#o.onNotice(`${this.file}: file truncated, reading from its start`);
    this.#pos = same ? (from === 'end' ? st.size : Math.min(from, st.size)) : 0;
    if (this.#missingReported) this.#o.onNotice(`${this.file}: appeared, following it`);
    this.#missingReported = false;
    this.#first = false;
    return true;
  }

  /** Reads what was appended since the last read (up to the per-poll budget). */
  async #drain(budget: number): Promise<number> {
    let read = 0;
    while (this.#fd !== undefined && read < budget) {
      const n = fs.readSync(this.#fd, this.#buf, 0, this.#buf.length, this.#pos);
      if (n === 0) break;
      this.#pos += n;
      read += n;
      const lines = this.#splitter.push(this.#buf.subarray(0, n));
      if (lines.length > 0) await this.#o.onLines(lines);
    }
    return read;
  }

  async #poll(): Promise<void> {
    if (this.#fd === undefined && !this.#open()) return;
    const budget = CLI_LIMITS.followReadBytesPerPoll;
    const read = await this.#drain(budget);
    if (read >= budget) return; // more to read: rotation and truncation are checked once caught up
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (st !== undefined && st.ino === this.#ino) {
      if (st.size < this.#pos) {
        this.#o.onNotice(`${this.file}: file truncated, reading from its start`);
        this.#splitter.reset();
        this.#pos = 0;
        await this.#drain(budget);
      }
      return;
    }
    if (st === undefined) return; // renamed away, the new file is not there yet: keep reading the old one
    // Another file at the path: finish the old one (writes that landed before the rename), then switch.
    await this.#drain(Number.POSITIVE_INFINITY);
    const last = this.#splitter.end();
    if (last.length > 0) await this.#o.onLines(last);
    fs.closeSync(this.#fd as number);
    this.#fd = undefined;
    this.#o.onNotice(`${this.file}: replaced (rotated), following the new file`);
    if (this.#open()) await this.#drain(budget);
  }
}
