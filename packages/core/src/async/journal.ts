import { fs, lazyCrypto, lazyOs, path } from '../internal/builtins.js';

/**
 * The `memory` strategy's spill file for one destination: lines it could not write and could not
 * keep in memory, on disk until the destination takes writes again (in this process, or at the next
 * start: `AsyncHydraLogger` replays every journal in its directory when it is created).
 *
 * One file per target (`<dir>/<sha1(key)>.journal`), one JSON object per line:
 * `{"k":"file:/var/log/app.log","l":"<the formatted line, without its newline>"}`. A spill is one
 * write(2) of whole lines; a crash in the middle of one leaves a last line without a newline (a
 * torn tail), which reading skips and counts. The journal uses node:fs itself, never the logger's
 * fs port: it is the way out when that file system fails.
 */

/** `<tmpdir>/hydra-logger-journal/<hash of the working directory and main script>`: stable across restarts of one program. */
export function defaultJournalDir(): string {
  const id = lazyCrypto()
    .createHash('sha1')
    .update(`${process.cwd()}\0${process.argv[1] ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(lazyOs().tmpdir(), 'hydra-logger-journal', id);
}

export function journalPath(dir: string, key: string): string {
  return path.join(dir, `${lazyCrypto().createHash('sha1').update(key).digest('hex').slice(0, 20)}.journal`);
}

/** Journal files in `dir` (none when it does not exist). */
export function journalFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.journal'))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** What a journal holds: its target, the whole lines (each ending with `\n`), and what was skipped. */
export interface JournalContent {
  key: string | undefined;
  lines: string[];
  /** A last line without a newline (a spill cut by a crash): skipped. */
  torn: number;
  /** Lines that are not a journal record (skipped). */
  malformed: number;
}

export function readJournalFile(file: string): JournalContent {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { key: undefined, lines: [], torn: 0, malformed: 0 };
  }
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const out: JournalContent = { key: undefined, lines: [], torn: tail === '' ? 0 : 1, malformed: 0 };
  for (const part of parts) {
    if (part === '') continue;
    try {
      const rec = JSON.parse(part) as { k?: unknown; l?: unknown };
      if (typeof rec.k !== 'string' || typeof rec.l !== 'string') throw new Error('not a journal record');
      out.key ??= rec.k;
      if (rec.k !== out.key) throw new Error('another target');
      out.lines.push(`${rec.l}\n`);
    } catch {
      out.malformed++;
    }
  }
  return out;
}

export class Journal {
  readonly path: string;
  #fd = -1;
  /** Bytes in the file (known once opened). */
  #size = 0;
  /** A failed spill left a cut line: the next one starts with `\n` so no record is glued to it. */
  #torn = false;

  constructor(
    readonly dir: string,
    readonly key: string,
    readonly maxBytes: number,
  ) {
    this.path = journalPath(dir, key);
  }

  exists(): boolean {
    return fs.existsSync(this.path);
  }

  /** Appends `lines` (each ending with `\n`) in one write; returns the error when they are not all on disk. */
  append(lines: readonly string[]): NodeJS.ErrnoException | undefined {
    let text = this.#torn ? '\n' : '';
    for (const l of lines)
      text += `${JSON.stringify({ k: this.key, l: l.endsWith('\n') ? l.slice(0, -1) : l })}\n`;
    try {
      if (this.#fd < 0) {
        fs.mkdirSync(this.dir, { recursive: true });
        this.#fd = fs.openSync(this.path, 'a', 0o600);
        this.#size = fs.fstatSync(this.#fd).size;
      }
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
    const buf = Buffer.from(text);
    if (this.#size + buf.length > this.maxBytes)
      return Object.assign(new Error(`journal ${this.path} would pass ${this.maxBytes} bytes`), {
        code: 'JOURNAL_FULL',
      });
    let off = 0;
    try {
      while (off < buf.length) {
        const n = fs.writeSync(this.#fd, buf, off, buf.length - off);
        if (n === 0) throw Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EIO' });
        off += n;
      }
      this.#size += off;
      this.#torn = false;
      return undefined;
    } catch (err) {
      this.#size += off;
      if (off > 0) this.#torn = buf[off - 1] !== 10;
      return err as NodeJS.ErrnoException;
    }
  }

  read(): JournalContent {
    return readJournalFile(this.path);
  }

  /** Replaces the journal with `lines` (a new file renamed over it), or removes it when there are none. */
  rewrite(lines: readonly string[]): NodeJS.ErrnoException | undefined {
    this.close();
    try {
      if (lines.length === 0) {
        fs.rmSync(this.path, { force: true });
        return undefined;
      }
      const tmp = `${this.path}.tmp`;
      fs.writeFileSync(
        tmp,
        lines
          .map((l) => `${JSON.stringify({ k: this.key, l: l.endsWith('\n') ? l.slice(0, -1) : l })}\n`)
          .join(''),
        { mode: 0o600 },
      );
      fs.renameSync(tmp, this.path);
      return undefined;
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
  }

  close(): void {
    if (this.#fd >= 0) {
      try {
        fs.closeSync(this.#fd);
      } catch {
        // Nothing left to lose: every append already returned.
      }
    }
    this.#fd = -1;
    this.#torn = false;
  }
}
