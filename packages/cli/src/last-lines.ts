import fs from 'node:fs';
import { CLI_LIMITS } from './limits.js';

export interface LastLines {
  /** The lines, oldest first. */
  lines: string[];
  /** Where following should continue: after the last complete line (a partial last line is left to the follower). */
  end: number;
  /** The file's identity, to notice a rotation between this read and the follower's first look. */
  ino: number;
  /**
   * With `keepOpen`: the descriptor the lines were read from, still open, for the follower to
   * continue from `end` in this same file whatever the path names by then (a rotation between
   * this read and following cannot skip the lines written to the old file meanwhile).
   */
  fd: number | undefined;
}

const NL = 10;

/**
 * The last `n` lines of a file that pass `keep`, read backwards from the end in chunks, looking no
 * further back than `tailScanBytes`. With `includePartial` a last line without `\n` counts too
 * (plain `tail`); without it that line is left for `tail -f`, which prints it once it is complete.
 * `n` may be 0 (no lines: the position and, with `keepOpen`, the descriptor to follow from).
 */
export function lastLines(
  file: string,
  n: number,
  keep: (line: string) => boolean,
  includePartial: boolean,
  keepOpen = false,
): LastLines {
  const fd = fs.openSync(file, 'r');
  let ok = false;
  try {
    const st = fs.fstatSync(fd);
    const size = st.size;
    const found: string[] = [];
    let end = size;
    let pos = size;
    let carry: Buffer = Buffer.alloc(0);
    let inPartial = true;
    const stop = Math.max(0, size - CLI_LIMITS.tailScanBytes);
    const take = (bytes: Buffer): boolean => {
      let text = bytes.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.length > CLI_LIMITS.maxLineBytes)
        text = `${text.slice(0, CLI_LIMITS.maxLineBytes)} … [line cut]`;
      if (keep(text)) found.push(text);
      return found.length >= n;
    };
    while (pos > stop && found.length < n) {
      const len = Math.min(CLI_LIMITS.readChunkBytes, pos - stop);
      pos -= len;
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, pos);
      let data = carry.length === 0 ? buf : Buffer.concat([buf, carry]);
      if (inPartial) {
        // Bytes after the file's last `\n`: a line still being written.
        const lastNl = data.lastIndexOf(NL);
        if (lastNl < 0) {
          carry = data;
          if (pos > stop) continue;
          if (includePartial && data.length > 0) take(data);
          else end = size - data.length;
          break;
        }
        inPartial = false;
        const partial = data.subarray(lastNl + 1);
        if (partial.length > 0 && !includePartial) end = size - partial.length;
        else if (partial.length > 0 && take(partial)) break;
        data = data.subarray(0, lastNl);
      }
      // Lines after the first `\n` of `data` are complete; what comes before it continues further back.
      let stopAt = data.length;
      let done = false;
      for (let nl = data.lastIndexOf(NL, stopAt - 1); nl >= 0; nl = data.lastIndexOf(NL, stopAt - 1)) {
        if (take(data.subarray(nl + 1, stopAt))) {
          done = true;
          break;
        }
        stopAt = nl;
        if (nl === 0) break;
      }
      if (done) break;
      carry = Buffer.from(data.subarray(0, stopAt));
      if (pos === 0 && carry.length > 0) take(carry);
    }
    ok = true;
    return { lines: found.reverse(), end, ino: st.ino, fd: keepOpen ? fd : undefined };
  } finally {
    if (!ok || !keepOpen) fs.closeSync(fd);
  }
}
