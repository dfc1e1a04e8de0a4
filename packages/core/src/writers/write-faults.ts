/**
 * The file a writer has open was deleted or replaced under it (rm, logrotate without copytruncate,
 * another process's rotation): the error reported once per kind, before the writer opens the path
 * again (docs/rotation.md). `uncounted`: a loss the writer cannot count (two writers rotating one file).
 */
export function fileGone(
  file: string,
  deleted: boolean,
  lost: number,
  interval: number,
  rotating: boolean,
): NodeJS.ErrnoException & { uncounted?: boolean } {
  if (!deleted && rotating) {
    // This writer rotates the file too: someone else (another process, logrotate) rotated it.
    const err: NodeJS.ErrnoException & { uncounted?: boolean } = new Error(
      `log file ${file} was rotated or replaced by another writer while open; reopened the path. Two writers rotating one file rename backups over each other's: records can be lost that way, and that loss cannot be counted. Give each process its own file (docs/rotation.md)`,
    );
    err.code = 'EHYDRA_FILE_ROTATED_ELSEWHERE';
    err.path = file;
    err.uncounted = true;
    return err;
  }
  const err: NodeJS.ErrnoException = new Error(
    deleted
      ? `log file ${file} was deleted while open; reopened it (a new file). ` +
          (lost > 0
            ? `Up to ${lost} records written to it after the deletion (in the ${interval} ms before it was noticed) are lost, counted in dropped.file_deleted`
            : 'Nothing was written to it after the deletion')
      : `log file ${file} was replaced or moved away while open (logrotate, another process's rotation); reopened the path. Records written before went to the moved file, none lost`,
  );
  err.code = deleted ? 'EHYDRA_FILE_DELETED' : 'EHYDRA_FILE_REPLACED';
  err.path = file;
  return err;
}

/** Error codes worth another attempt: the sink is busy, not broken. */
export const RETRYABLE = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR', 'EBUSY']);

/** A write that took 0 bytes is treated as a busy sink (retried, bounded), so it cannot spin forever. */
export function noProgress(): NodeJS.ErrnoException {
  return Object.assign(new Error('write(2) accepted 0 bytes'), { code: 'EAGAIN' });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` (the bounded backoff of a busy sink; a synchronous flush's wait). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Lines in `buf` (its newlines). */
export function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
