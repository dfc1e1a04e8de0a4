import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { CLI_LIMITS } from './limits.js';
import { LineSplitter } from './line-splitter.js';

/**
 * The lines of a file or of stdin (`-` or none), as they arrive: an endless stdin is read chunk by
 * chunk, a partial line is held until its end, a line longer than the limit is cut. `onLines`
 * may return a promise (output backpressure): reading waits for it.
 */
export async function readLines(
  file: string | undefined,
  onLines: (lines: string[]) => Promise<void> | undefined,
): Promise<void> {
  const input: Readable =
    file === undefined || file === '-'
      ? process.stdin
      : fs.createReadStream(file, { highWaterMark: CLI_LIMITS.readChunkBytes });
  const splitter = new LineSplitter();
  for await (const chunk of input) {
    const lines = splitter.push(chunk as Buffer);
    if (lines.length > 0) await onLines(lines);
  }
  const last = splitter.end();
  if (last.length > 0) await onLines(last);
}
