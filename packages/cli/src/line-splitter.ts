import { CLI_LIMITS } from './limits.js';

/**
 * Bytes in, complete lines out. A line may arrive in many chunks (it is held until its `\n`), a
 * chunk may hold many lines. Splitting happens on bytes: `\n` never occurs inside a multi-byte
 * UTF-8 character, so every line decodes whole. A line longer than `maxLineBytes` keeps its first
 * `maxLineBytes` bytes plus a note of how many were dropped: memory stays bounded on any input.
 * A trailing `\r` is removed (CRLF files).
 */
export class LineSplitter {
  readonly #max: number;
  #parts: Buffer[] = [];
  #held = 0;
  #dropped = 0;

  constructor(maxLineBytes: number = CLI_LIMITS.maxLineBytes) {
    this.#max = maxLineBytes;
  }

  /** The complete lines in `chunk` (with what was held before it). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.#hold(chunk.subarray(start, nl));
      lines.push(this.#take());
      start = nl + 1;
    }
    if (start < chunk.length) this.#hold(chunk.subarray(start));
    return lines;
  }

  /** The last line when the input ended without a `\n` (or nothing). */
  end(): string[] {
    return this.#held > 0 || this.#dropped > 0 ? [this.#take()] : [];
  }

  /** Forgets a held partial line (the file it came from was truncated). */
  reset(): void {
    this.#parts = [];
    this.#held = 0;
    this.#dropped = 0;
  }

  /** Bytes of the partial line held. */
  get pending(): number {
    return this.#held + this.#dropped;
  }

  #hold(bytes: Buffer): void {
    const room = this.#max - this.#held;
    if (bytes.length <= room) {
      if (bytes.length > 0) {
        // A copy: the caller's buffer is reused for the next read.
        this.#parts.push(Buffer.from(bytes));
        this.#held += bytes.length;
      }
      return;
    }
    if (room > 0) {
      this.#parts.push(Buffer.from(bytes.subarray(0, room)));
      this.#held += room;
    }
    this.#dropped += bytes.length - Math.max(room, 0);
  }

  #take(): string {
    let text = (this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts)).toString(
      'utf8',
    );
    if (this.#dropped > 0) text += ` … [line cut: ${this.#dropped} more bytes dropped]`;
    else if (text.endsWith('\r')) text = text.slice(0, -1);
    this.reset();
    return text;
  }
}
