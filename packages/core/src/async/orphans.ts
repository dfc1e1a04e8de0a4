import { fs, path } from '../internal/builtins.js';
import { journalFiles, readJournalFile } from './journal.js';

/**
 * Journals of a previous run whose target no destination of this logger writes (`mine`: the
 * targets it does write): their lines go to that file (when its directory still exists) or
 * descriptor now, in order. Files that cannot be written stay for the next start. Returns the
 * lines replayed.
 */
export function replayOrphans(dir: string, mine: ReadonlySet<string>): number {
  let replayed = 0;
  for (const file of journalFiles(dir)) {
    const content = readJournalFile(file);
    const key = content.key;
    if (key === undefined) {
      if (content.lines.length === 0) fs.rmSync(file, { force: true });
      continue;
    }
    if (mine.has(key)) continue;
    if (writeOrphan(key, content.lines.join(''))) {
      replayed += content.lines.length;
      fs.rmSync(file, { force: true });
    }
  }
  return replayed;
}

/** Appends `text` to the target a journal names; false when it cannot (it then waits for the next start). */
function writeOrphan(key: string, text: string): boolean {
  let fd = -1;
  let owns = false;
  try {
    if (key.startsWith('file:')) {
      const file = key.slice(5);
      if (!fs.existsSync(path.dirname(file))) return false;
      fd = fs.openSync(file, 'a', 0o644);
      owns = true;
    } else if (key === 'fd:1' || key === 'fd:2') fd = Number(key.slice(3));
    else return false;
    const buf = Buffer.from(text);
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    return true;
  } catch {
    return false;
  } finally {
    if (owns && fd >= 0) fs.closeSync(fd);
  }
}
